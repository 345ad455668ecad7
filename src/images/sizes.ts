/**
 * The `sizes` a rewritten image gets when the author gave none. `sizes` tells the browser the
 * width of the image's slot before layout, so it can pick a `srcset` candidate from the HTML
 * alone; a wrong guess costs bytes (too wide) or sharpness (too narrow).
 */

/**
 * When the page says nothing about an image's width: the viewport width. Conservative: never a
 * blurry image, at worst a wider file than the slot needs. The report lists every image that
 * fell back to it, so the author can add `sizes` (or `width`) where it costs bytes.
 */
export const DEFAULT_SIZES = '100vw';

/** Where the `sizes` of an image came from. */
export type SizesSource = 'author' | 'width' | 'default';

export interface SizesChoice {
  sizes: string;
  source: SizesSource;
}

/**
 * - the author's `sizes`, as written (the framework's own, e.g. Next.js's `sizes` prop);
 * - else a numeric `width` attribute as the most the image is shown at:
 *   `(max-width: Wpx) 100vw, Wpx`;
 * - else {@link DEFAULT_SIZES}.
 *
 * A lazy image that the author gave no `sizes` gets `auto, ` in front: browsers that support
 * `sizes="auto"` (HTML, for lazy images only: Chromium 126+) use the width the layout gives
 * it, the others read the rest of the list.
 */
export function chooseSizes(attrs: { sizes?: string; width?: string }, lazy: boolean): SizesChoice {
  if (attrs.sizes !== undefined) return { sizes: attrs.sizes, source: 'author' };
  const width = attrs.width !== undefined && /^\s*\d+\s*$/.test(attrs.width) ? Number(attrs.width) : 0;
  const choice: SizesChoice = width > 0 ? { sizes: `(max-width: ${width}px) 100vw, ${width}px`, source: 'width' } : { sizes: DEFAULT_SIZES, source: 'default' };
  return lazy ? { ...choice, sizes: `auto, ${choice.sizes}` } : choice;
}
