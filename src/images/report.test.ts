import { describe, expect, it } from 'vitest';
import type { ImagesReport } from './pipeline.js';
import { formatBytes, formatImagesReport } from './report.js';

const report: ImagesReport = {
  sources: 2,
  untouched: 1,
  modern: 0,
  variants: 6,
  encoded: 7,
  fromCache: 0,
  cacheHits: 0,
  bytes: { before: 2_000_000, after: 100_000, saving: 0.95, originals: 1_500_000, byFormat: { webp: 150_000, jpeg: 300_000 } },
  html: { files: 3, changed: 2, images: 4, priority: 2, preloads: 1, defaultSizes: [{ file: 'index.html', src: '/images/a.jpg' }] },
  failures: [{ file: 'images/bad.jpg', code: 'IMAGE_CORRUPT', reason: 'the file is truncated' }],
  manifest: 'out/images/manifest.json',
  durationMs: 1234,
};

describe('formatImagesReport', () => {
  it('says what was made, saved, rewritten and what failed', () => {
    const text = formatImagesReport(report);
    expect(text).toContain('images    2 sources (+1 SVG/ICO left as is), 6 variants (webp 146.5 kB, jpeg 293.0 kB)');
    expect(text).toContain('(saved 95%); originals 1.4 MB, optimized in place');
    expect(text).toContain('html      4 <img> rewritten in 2 of 3 files; 2 priority images, 1 preload made responsive');
    expect(text).toContain('sizes     1 image with no sizes or width got sizes="100vw" (lazy ones "auto, 100vw"); add sizes to save bytes:\n            index.html /images/a.jpg');
    expect(text).toContain('time      1.23 s');
    expect(text).toContain('1 image failed (the others were processed):\n  images/bad.jpg: the file is truncated [IMAGE_CORRUPT]');
  });

  it('does not claim the originals were optimized when optimizeOriginals is false', () => {
    const text = formatImagesReport(report, false);
    expect(text).toContain('originals 1.4 MB, left as they are');
    expect(text).not.toContain('optimized in place');
  });
});

it('counts the AVIF/WebP files left as they are', () => {
  expect(formatImagesReport({ ...report, modern: 3 })).toContain('images    2 sources (+1 SVG/ICO, 3 AVIF/WebP left as is), 6 variants');
});

it('lists at most ten images that fell back to the default sizes', () => {
  const defaultSizes = Array.from({ length: 12 }, (_, i) => ({ file: 'index.html', src: `/images/${i}.jpg` }));
  const text = formatImagesReport({ ...report, html: { ...report.html!, defaultSizes } });
  expect(text).toContain('index.html /images/9.jpg\n            and 2 more (--json lists them all)');
  expect(text).not.toContain('/images/10.jpg');
});

describe('formatBytes', () => {
  it.each([
    [512, '512 B'],
    [2048, '2.0 kB'],
    [5 * 1024 * 1024, '5.0 MB'],
  ])('%i -> %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
