import type { NextSiteOptions } from '../../test/helpers/next-site.js';

/**
 * The synthetic Next.js export every deploy benchmark builds: 2,800 files / 100 MB, 1% of its
 * files changed per rebuild (`--small`: a quick run of a few hundred files).
 */
export function benchSite(small: boolean): NextSiteOptions {
  return small
    ? { pages: 60, chunks: 150, images: 100, chunkBytes: 20_000, imageBytes: 60_000 }
    : { pages: 500, chunks: 1_290, images: 1_000, chunkBytes: 20_000, imageBytes: 76_000, changed: 0.01 };
}
