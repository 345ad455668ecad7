import type { DefaultTreeAdapterTypes as T } from 'parse5';

/** An `<img>` of the page, in document order. */
export interface PageImage {
  el: T.Element;
  /** Inside a `<picture>` (the author's, or an earlier run's): counted for the loading intent, never rewritten. */
  inPicture: boolean;
  /** Inside markup a client framework hydrates (see {@link readPage}). */
  hydrated: boolean;
}

/** A `<link rel="preload" as="image">` of the page. */
export interface PagePreload {
  el: T.Element;
  /** The URLs it names (`href`, then each `imagesrcset` candidate), as written. */
  urls: string[];
}

export interface PageParts {
  images: PageImage[];
  preloads: PagePreload[];
}

/**
 * Elements whose content a client framework hydrates: React (Next.js Pages Router `#__next`,
 * Gatsby `#___gatsby`), Vue (Nuxt `#__nuxt`) and Astro islands. Hydration expects the DOM the
 * server rendered: an `<img>` found inside a `<picture>` is a mismatch, and the framework then
 * renders the tree again on the client, fetching the original image after all.
 */
const HYDRATION_ROOT_IDS = new Set(['__next', '___gatsby', '__nuxt']);

export function attr(el: T.Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

/**
 * The images and image preloads of a parsed document. `<template>` content is not walked (it
 * lives in `content`, not `childNodes`) and `<noscript>` content is text to parse5.
 */
export function readPage(document: T.Document): PageParts {
  const parts: PageParts = { images: [], preloads: [] };
  // Next.js App Router hydrates the whole document (`hydrateRoot(document, ...)`); its pages
  // carry the RSC payload in `self.__next_f` scripts.
  const wholeDocument = hasNextAppRouterPayload(document);
  const visit = (node: T.ParentNode, inPicture: boolean, hydrated: boolean): void => {
    for (const child of node.childNodes) {
      if (!('tagName' in child)) continue;
      const inside = hydrated || child.tagName === 'astro-island' || HYDRATION_ROOT_IDS.has(attr(child, 'id') ?? '');
      if (child.tagName === 'img' && child.sourceCodeLocation?.startTag) parts.images.push({ el: child, inPicture, hydrated: inside });
      else if (child.tagName === 'link' && isImagePreload(child)) parts.preloads.push({ el: child, urls: preloadUrls(child) });
      visit(child, inPicture || child.tagName === 'picture', inside);
    }
  };
  visit(document, false, wholeDocument);
  return parts;
}

function isImagePreload(el: T.Element): boolean {
  const rel = (attr(el, 'rel') ?? '').toLowerCase().split(/\s+/);
  return rel.includes('preload') && (attr(el, 'as') ?? '').trim().toLowerCase() === 'image' && el.sourceCodeLocation !== undefined;
}

function preloadUrls(el: T.Element): string[] {
  const urls: string[] = [];
  const href = attr(el, 'href');
  if (href) urls.push(href);
  // A srcset candidate is a URL, then optional descriptors; only the URL matters here.
  for (const candidate of (attr(el, 'imagesrcset') ?? '').split(',')) {
    const url = candidate.trim().split(/\s+/)[0];
    if (url) urls.push(url);
  }
  return urls;
}

function hasNextAppRouterPayload(node: T.ParentNode): boolean {
  for (const child of node.childNodes) {
    if (!('tagName' in child)) continue;
    if (child.tagName === 'script') {
      if (child.childNodes.some((t) => t.nodeName === '#text' && (t as T.TextNode).value.includes('self.__next_f'))) return true;
    } else if (hasNextAppRouterPayload(child)) return true;
  }
  return false;
}
