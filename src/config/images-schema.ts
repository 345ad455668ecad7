import { z } from 'zod';

/**
 * `images` block: the sharp pipeline (see src/images and docs/images.md, where each default is
 * measured: `node bench/images/quality.ts`).
 */
export const imagesSchema = z.strictObject({
  /** Folder of source images inside `site`. Default `images` (served `immutable` by the `nextjs-export` preset). */
  dir: z.string().min(1).default('images'),
  /** Responsive widths in pixels; never upscaled. Default `[640, 1080, 1920]`. */
  widths: z.array(z.number().int().positive().max(16_384)).min(1).default([640, 1080, 1920]),
  /** Modern formats offered before the source's own format (the fallback). Default `['avif', 'webp']`. */
  formats: z.array(z.enum(['avif', 'webp'])).default(['avif', 'webp']),
  /**
   * Encoder quality per format (1-100), measured in docs/images.md: WebP 75 (the Next.js default;
   * past it bytes grow 37% per 5 steps), AVIF 60 (the lowest with an SSIM at least WebP 75's, at
   * 23% fewer bytes), JPEG 80 (the fallback). PNG 100 is lossless; below 100 PNG is quantized.
   */
  quality: z
    .strictObject({
      avif: z.number().int().min(1).max(100).default(60),
      webp: z.number().int().min(1).max(100).default(75),
      jpeg: z.number().int().min(1).max(100).default(80),
      png: z.number().int().min(1).max(100).default(100),
    })
    .prefault({}),
  /**
   * Encoder effort (CPU spent for fewer bytes), measured by bench/images/effort.ts. AVIF 0-9,
   * default 3 (7% fewer bytes than 2 for 11% more CPU; effort 4 cost 7x the CPU of 3 for 3%
   * fewer bytes still); WebP 0-6, default 4 (libwebp's own default).
   */
  effort: z
    .strictObject({
      avif: z.number().int().min(0).max(9).default(3),
      webp: z.number().int().min(0).max(6).default(4),
    })
    .prefault({}),
  /**
   * What browsers without the modern formats get. `'variants'` (default): resized copies in the
   * source's own format, as the `<img>` srcset. `'original'`: the original itself (the `<img>`
   * keeps its `src`): no resized copies to encode and deploy, for sites whose visitors all take
   * WebP or AVIF (every current browser does).
   */
  fallback: z.enum(['variants', 'original']).default('variants'),
  /**
   * Re-encode JPEG and PNG originals in place when that makes them smaller (PNG losslessly; JPEG at
   * `quality.jpeg`). Default true; false leaves originals byte for byte (e.g. when they were
   * optimized already and a second lossy pass is not wanted).
   */
  optimizeOriginals: z.boolean().default(true),
  /** Rewrite `<img>` in built HTML into `<picture>` with the variants. Default true. */
  rewriteHtml: z.boolean().default(true),
  /** Sources with more pixels than this (per frame) are refused as decompression bombs. Default 100 MP. */
  maxPixels: z.number().int().positive().default(100_000_000),
  /** Add a tiny blurred placeholder (ThumbHash PNG data URL) to the manifest. Default false. */
  placeholder: z.boolean().default(false),
  /** Files encoded at once. Default 3, or 2 when AVIF is among the formats (its encoder needs more memory). */
  concurrency: z.number().int().min(1).max(64).optional(),
});

export type ImagesConfig = z.output<typeof imagesSchema>;
