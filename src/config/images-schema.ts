import { z } from 'zod';

/** `images` block: the sharp pipeline (see src/images). */
export const imagesSchema = z.strictObject({
  /** Folder of source images inside `site`. Default `images`. */
  dir: z.string().min(1).default('images'),
  /** Responsive widths in pixels; never upscaled. */
  widths: z.array(z.number().int().positive().max(16_384)).min(1).default([640, 1080, 1920]),
  /** Modern formats offered before the source's own format (the fallback). */
  formats: z.array(z.enum(['avif', 'webp'])).default(['avif', 'webp']),
  /** Encoder quality per format (1-100). */
  quality: z
    .strictObject({
      avif: z.number().int().min(1).max(100).default(50),
      webp: z.number().int().min(1).max(100).default(75),
      jpeg: z.number().int().min(1).max(100).default(80),
      png: z.number().int().min(1).max(100).default(80),
    })
    .prefault({}),
  /** Rewrite `<img>` in built HTML into `<picture>` with the variants. */
  rewriteHtml: z.boolean().default(true),
  /** Sources with more pixels than this are refused (decompression bombs). */
  maxPixels: z.number().int().positive().default(100_000_000),
  /** Add a tiny blurred placeholder (ThumbHash data URL) to the manifest. */
  placeholder: z.boolean().default(false),
  /** Files encoded at once. */
  concurrency: z.number().int().min(1).max(64).optional(),
});

export type ImagesConfig = z.output<typeof imagesSchema>;
