/**
 * What a real browser fetches for the images of a page: every image request with its bytes,
 * and where each `<img>` ended up, after the page settled (hydration included).
 */
import type { Browser } from 'playwright-core';

export interface Viewport {
  width: number;
  height: number;
  deviceScaleFactor: number;
}

/** A laptop, and a phone (390x844 CSS px at 3x, as an iPhone 12 to 15). */
export const VIEWPORTS: Record<'desktop' | 'phone', Viewport> = {
  desktop: { width: 1280, height: 900, deviceScaleFactor: 1 },
  phone: { width: 390, height: 844, deviceScaleFactor: 3 },
};

export interface ImageRequest {
  /** URL path. */
  path: string;
  bytes: number;
  contentType: string;
}

export interface PlacedImage {
  /** URL path of the file the browser shows (`currentSrc`). */
  current: string;
  /** Part of it is inside the first viewport, without scrolling. */
  inFirstViewport: boolean;
  /** Still inside a `<picture>` after the page settled. */
  inPicture: boolean;
  /** `img.loading` as the browser reports it (`lazy`, `eager`, or Chromium's `auto` when unset). */
  loading: string;
}

export interface PageImages {
  requests: ImageRequest[];
  images: PlacedImage[];
  /** Bytes fetched for the first viewport: every image fetched while loading except those shown only below it (a preloaded file that nothing shows counts). */
  firstViewportBytes: number;
  /** Bytes of every image fetched while loading, without scrolling. */
  loadBytes: number;
}

/** Opens `url` in a fresh context (empty cache) and waits until the network has been idle (load, then hydration and its fetches). */
export async function loadPageImages(browser: Browser, url: string, viewport: Viewport): Promise<PageImages> {
  const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, deviceScaleFactor: viewport.deviceScaleFactor });
  try {
    const tab = await context.newPage();
    const pending: Promise<ImageRequest>[] = [];
    tab.on('response', (response) => {
      if (response.request().resourceType() !== 'image') return;
      pending.push(
        response.body().then((body) => ({ path: new URL(response.url()).pathname, bytes: body.length, contentType: response.headers()['content-type'] ?? '' })),
      );
    });
    await tab.goto(url, { waitUntil: 'networkidle' });
    const images = await tab.evaluate(() =>
      [...document.images].map((img) => {
        const rect = img.getBoundingClientRect();
        return {
          current: img.currentSrc ? new URL(img.currentSrc).pathname : '',
          inFirstViewport: rect.width > 0 && rect.bottom > 0 && rect.top < window.innerHeight,
          inPicture: img.parentElement?.tagName === 'PICTURE',
          loading: img.loading,
        };
      }),
    );
    const requests = await Promise.all(pending);
    const firstViewport = new Set(images.filter((i) => i.inFirstViewport).map((i) => i.current));
    const belowOnly = new Set(images.filter((i) => !firstViewport.has(i.current)).map((i) => i.current));
    const sum = (list: ImageRequest[]) => list.reduce((n, r) => n + r.bytes, 0);
    return { requests, images, firstViewportBytes: sum(requests.filter((r) => !belowOnly.has(r.path))), loadBytes: sum(requests) };
  } finally {
    await context.close();
  }
}
