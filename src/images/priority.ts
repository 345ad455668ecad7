/**
 * The loading intent of the images of one page: which image is the page's priority image (its
 * likely Largest Contentful Paint), which are in the first viewport, and which may load lazily.
 * Pure: it sees the images in document order, as the HTML describes them, never a layout.
 *
 * The rule (docs/images.md, "Loading intent"):
 * 1. An image the page marks is a priority image: `fetchpriority="high"`, `loading="eager"`,
 *    or a `<link rel="preload" as="image">` naming it (Next.js writes one for `priority`).
 * 2. When nothing is marked, the first image that is not `loading="lazy"`, not
 *    `fetchpriority="low"`, not an SVG or `data:` URL and at least {@link MIN_PRIORITY_PIXELS}
 *    (by its `width`/`height`, else its intrinsic size; unknown counts as large) is the
 *    priority image. WordPress core picks its `fetchpriority="high"` image the same way.
 * 3. The first viewport ends at the first priority image: images up to it are never made lazy,
 *    images after it are below the first viewport. A page without a priority image has no
 *    known first viewport, and nothing on it is made lazy.
 */

/** Square pixels an unmarked image needs to be taken for the priority image (WordPress core's `wp_min_priority_img_pixels`). */
export const MIN_PRIORITY_PIXELS = 50_000;

export interface ImageFacts {
  loading?: string;
  fetchpriority?: string;
  /** A `<link rel="preload" as="image">` on the page names this image. */
  preloaded: boolean;
  /** Displayed square pixels as far as the HTML (or the manifest) says; undefined when unknown. */
  area?: number;
  /** SVG, `data:` URLs and images without a URL: never taken for the priority image by rule 2. */
  minor: boolean;
}

export interface LoadingIntent {
  /** The page's priority image (rule 1 or 2): never lazy, fetched with high priority. */
  priority: boolean;
  /** Below the first viewport (rule 3): may be made lazy when the author did not say. */
  belowFirstViewport: boolean;
}

const lower = (value: string | undefined) => value?.trim().toLowerCase();

/** Rule 1: the page marks the image as important. */
export function isMarked(image: ImageFacts): boolean {
  return lower(image.fetchpriority) === 'high' || lower(image.loading) === 'eager' || image.preloaded;
}

/** Rule 2: the image may be taken for the priority image when nothing is marked. */
function isCandidate(image: ImageFacts): boolean {
  if (image.minor || lower(image.loading) === 'lazy' || lower(image.fetchpriority) === 'low') return false;
  return image.area === undefined || image.area >= MIN_PRIORITY_PIXELS;
}

export function loadingIntents(images: readonly ImageFacts[]): LoadingIntent[] {
  const marked = images.map(isMarked);
  let priority: boolean[];
  if (marked.some(Boolean)) priority = marked;
  else {
    const first = images.findIndex(isCandidate);
    priority = images.map((_, i) => i === first);
  }
  const end = priority.indexOf(true);
  return images.map((_, i) => ({ priority: priority[i]!, belowFirstViewport: end >= 0 && i > end }));
}
