import fs from 'node:fs/promises';
import path from 'node:path';
import type { SiteModel } from '../config/model.js';
import { EdgeshipError, EXIT } from '../errors.js';
import { FileHashes, ImageCache, IMAGE_CACHE_DIR } from './cache.js';
import { sharpEncoder, type ImageEncoder } from './encoder.js';
import { classifySharpError, ImageError, type ImageErrorCode } from './errors.js';
import { rewriteSiteHtml, type HtmlReport } from './html.js';
import { Budget } from './limit.js';
import { mapLimit } from '../store/concurrency.js';
import { processSource, rel, type Counters } from './source.js';
import { buildManifest, writeManifest } from './manifest.js';
import { MANIFEST_NAME, scanImages } from './scan.js';
import type { ImageManifest, ManifestEntry, OutputFormat } from './types.js';

/** Decoded pixels in flight at once, across files. A single larger source still runs, alone. */
export const MEMORY_BUDGET_BYTES = 1024 * 1024 * 1024;

export interface ImagesOptions {
  /** Ignore the cache: probe and encode every output again. */
  force?: boolean;
  /** Files in flight; default `images.concurrency`, else 3 (2 when AVIF is configured). */
  concurrency?: number;
  /** The encoder (default sharp). */
  encoder?: ImageEncoder;
  /** Clock for the report's duration (milliseconds). */
  now?: () => number;
}

export interface ImagesProgress {
  done: number;
  total: number;
  /** The file just finished, relative to the site folder. */
  file: string;
}

export interface ImageFailure {
  file: string;
  code: ImageErrorCode;
  reason: string;
}

export interface ImagesReport {
  /** Raster sources found. */
  sources: number;
  /** SVG and ICO files, left as they are. */
  untouched: number;
  /** AVIF and WebP files (already modern), left as they are: no variants, not rewritten. */
  modern: number;
  /** Variant files the manifest lists (excluding the originals). */
  variants: number;
  /** Outputs encoded in this run (variants and optimized originals). */
  encoded: number;
  /** Outputs taken from the cache instead of being encoded. */
  fromCache: number;
  /** Sources that needed no encoding at all. */
  cacheHits: number;
  bytes: {
    /** The sources as found (before any optimization in place). */
    before: number;
    /** What a browser downloads for every image at its largest width in the first offered format. */
    after: number;
    /** `1 - after / before`. */
    saving: number;
    /** The originals after optimization in place. */
    originals: number;
    /** Total bytes of the variants, per format. */
    byFormat: Partial<Record<OutputFormat, number>>;
  };
  html: HtmlReport | null;
  failures: ImageFailure[];
  /** The manifest file, relative to the config's folder. */
  manifest: string;
  durationMs: number;
}

/**
 * `edgeship images` as a library call: encodes the variants of every raster under
 * `<site>/<images.dir>`, optimizes the originals in place, writes the manifest and rewrites the
 * HTML. A failed image is reported and the others still processed; check `report.failures`.
 */
export async function runImagesPipeline(site: SiteModel, options: ImagesOptions = {}, hooks: { onProgress?: (p: ImagesProgress) => void } = {}): Promise<ImagesReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const config = site.images;
  const encoder = options.encoder ?? sharpEncoder;
  const stat = await fs.stat(site.siteDir).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new EdgeshipError('SITE_MISSING', `the site folder ${rel(site, site.siteDir)} does not exist`, {
      exitCode: EXIT.usage,
      hint: 'build the site first, or set `site` in the config to the build output folder',
    });
  }
  const imagesDir = path.join(site.siteDir, config.dir);
  const scan = await scanImages(site.siteDir, config.dir);
  const cache = new ImageCache(path.join(site.rootDir, IMAGE_CACHE_DIR));
  const hashes = new FileHashes(path.join(cache.dir, 'files.json'));
  if (!options.force) await hashes.load();
  const slots = options.concurrency ?? config.concurrency ?? (config.formats.includes('avif') ? 2 : 3);
  const budget = new Budget(slots, MEMORY_BUDGET_BYTES);
  const counters: Counters = { encoded: 0, fromCache: 0, cacheHits: 0, before: 0 };
  const entries = new Map<string, ManifestEntry>();
  const failures: ImageFailure[] = scan.unsupported.map((f) => ({
    file: rel(site, f.abs),
    code: 'IMAGE_UNSUPPORTED',
    reason: `${path.extname(f.rel).slice(1).toUpperCase()} images are not supported (the pipeline reads JPEG, PNG, WebP, AVIF, GIF and TIFF)`,
  }));

  let done = 0;
  hooks.onProgress?.({ done: 0, total: scan.sources.length, file: '' });
  // Each source's failure is counted and reported with the others, never thrown past the map.
  await mapLimit(scan.sources, slots, async (file) => {
    try {
      entries.set(file.url, await processSource(file, { site, encoder, cache, hashes, budget, counters, force: options.force ?? false }));
    } catch (error) {
      const e = error instanceof ImageError ? error : classifySharpError(rel(site, file.abs), error);
      failures.push({ file: e.file, code: e.code as ImageErrorCode, reason: e.reason });
    }
    hooks.onProgress?.({ done: ++done, total: scan.sources.length, file: file.rel });
  });

  await hashes.save();
  const manifest = buildManifest(entries);
  const manifestFile = path.join(imagesDir, MANIFEST_NAME);
  if (scan.sources.length > 0 || entries.size > 0) await writeManifest(manifestFile, manifest);
  const html = config.rewriteHtml ? await rewriteSiteHtml(site.siteDir, manifest, site.basePath) : null;
  failures.sort((a, b) => a.file.localeCompare(b.file));
  return {
    sources: scan.sources.length,
    untouched: scan.untouched.length,
    modern: scan.modern.length,
    variants: Object.values(manifest.images).reduce((n, e) => n + e.variants.length, 0),
    encoded: counters.encoded,
    fromCache: counters.fromCache,
    cacheHits: counters.cacheHits,
    bytes: byteSummary(manifest, counters.before),
    html,
    failures,
    manifest: rel(site, manifestFile),
    durationMs: Math.round(now() - started),
  };
}

function byteSummary(manifest: ImageManifest, before: number): ImagesReport['bytes'] {
  let after = 0;
  let originals = 0;
  const byFormat: Partial<Record<OutputFormat, number>> = {};
  for (const entry of Object.values(manifest.images)) {
    originals += entry.bytes;
    for (const v of entry.variants) byFormat[v.format] = (byFormat[v.format] ?? 0) + v.bytes;
    // A browser showing the image at its largest width gets the largest variant of the first format offered.
    const first = entry.variants[0]?.format;
    const largest = entry.variants.filter((v) => v.format === first).at(-1);
    after += largest && largest.bytes < entry.bytes ? largest.bytes : entry.bytes;
  }
  return { before, after, saving: before > 0 ? 1 - after / before : 0, originals, byFormat };
}
