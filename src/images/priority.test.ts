import { describe, expect, it } from 'vitest';
import { loadingIntents, MIN_PRIORITY_PIXELS, type ImageFacts } from './priority.js';

const img = (facts: Partial<ImageFacts> = {}): ImageFacts => ({ preloaded: false, minor: false, area: 1200 * 800, ...facts });
const logo = img({ area: 120 * 40 });
const svg = img({ minor: true, area: undefined });

/** `P` priority image, `.` in the first viewport, `v` below the first viewport. */
function intents(images: ImageFacts[]): string {
  return loadingIntents(images)
    .map((i) => (i.priority ? 'P' : i.belowFirstViewport ? 'v' : '.'))
    .join('');
}

describe('loading intent of a page (priority image and first viewport)', () => {
  it.each<[string, ImageFacts[], string]>([
    ['no images', [], ''],
    ['one image: it is the priority image', [img()], 'P'],
    ['the first large image, then the rest below the first viewport', [img(), img(), img()], 'Pvv'],
    ['a small logo before the hero stays in the first viewport', [logo, img(), img()], '.Pv'],
    ['an SVG or data: image is never taken by rule', [svg, img(), img()], '.Pv'],
    ['an image of unknown size counts as large', [img({ area: undefined }), img()], 'Pv'],
    ['just below the threshold is not taken', [img({ area: MIN_PRIORITY_PIXELS - 1 }), img({ area: MIN_PRIORITY_PIXELS })], '.P'],
    ['an author-lazy image is not taken', [img({ loading: 'lazy' }), img()], '.P'],
    ['fetchpriority="low" is not taken', [img({ fetchpriority: 'low' }), img()], '.P'],
    ['Next.js priority: the preloaded image, wherever it is', [img(), img({ preloaded: true }), img()], '.Pv'],
    ['fetchpriority="high" marks it', [img(), img({ fetchpriority: 'HIGH ' }), img()], '.Pv'],
    ['loading="eager" marks it (Astro)', [img(), img({ loading: 'eager' }), img()], '.Pv'],
    ['fetchpriority="auto" does not mark it, but it may be taken by rule', [img({ fetchpriority: 'auto' }), img()], 'Pv'],
    ['every marked image is a priority image; the first viewport ends at the first', [img({ loading: 'eager' }), img(), img({ preloaded: true })], 'PvP'],
    ['only small images: no priority image, nothing below a first viewport', [logo, logo, svg], '...'],
    ['only author-lazy images: nothing more is known', [img({ loading: 'lazy' }), img({ loading: 'lazy' })], '..'],
  ])('%s', (_name, images, expected) => {
    expect(intents(images)).toBe(expected);
  });
});
