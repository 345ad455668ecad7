import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SiteModel } from '../config/model.js';
import { EdgeshipError, EXIT } from '../errors.js';
import { FileHashes, ImageCache, IMAGE_CACHE_DIR, type SourceRecord } from './cache.js';
import { rawBytes, sharpEncoder, type ImageEncoder } from './encoder.js';
import { classifySharpError, ImageError, type ImageErrorCode } from './errors.js';
import { fileSize, writeFileAtomic } from './fs-atomic.js';
import { rewriteSiteHtml, type HtmlReport } from './html.js';
import { Budget } from './limit.js';
import { buildManifest, writeManifest } from './manifest.js';
import { fallbackFormat, planOutputs } from './plan.js';
import { MANIFEST_NAME, scanImages, type ScannedFile } from './scan.js';
import type { ImageManifest, ManifestEntry, OutputFormat, VariantSpec } from './types.js';

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

interface Counters {
  encoded: number;
  fromCache: number;
  cacheHits: number;
  before: number;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

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

  let next = 0;
  let done = 0;
  hooks.onProgress?.({ done: 0, total: scan.sources.length, file: '' });
  const worker = async () => {
    while (next < scan.sources.length) {
      const file = scan.sources[next++]!;
      try {
        const entry = await processSource(file, { site, encoder, cache, hashes, budget, counters, force: options.force ?? false });
        entries.set(file.url, entry);
      } catch (error) {
        const e = error instanceof ImageError ? error : classifySharpError(rel(site, file.abs), error);
        failures.push({ file: e.file, code: e.code as ImageErrorCode, reason: e.reason });
      }
      hooks.onProgress?.({ done: ++done, total: scan.sources.length, file: file.rel });
    }
  };
  await Promise.all(Array.from({ length: Math.min(slots, Math.max(1, scan.sources.length)) }, worker));

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

interface SourceContext {
  site: SiteModel;
  encoder: ImageEncoder;
  cache: ImageCache;
  hashes: FileHashes;
  budget: Budget;
  counters: Counters;
  force: boolean;
}

async function processSource(file: ScannedFile, ctx: SourceContext): Promise<ManifestEntry> {
  const { site, encoder, cache, counters } = ctx;
  const name = rel(site, file.abs);
  const config = site.images;
  const hashKey = name;
  const stat = await fs.stat(file.abs);
  let current: Buffer | undefined;
  const readCurrent = async () => (current ??= await fs.readFile(file.abs));
  const fileHash = ctx.hashes.lookup(hashKey, stat) ?? sha256(await readCurrent());
  ctx.hashes.record(hashKey, stat, fileHash);

  // The file may be an original this pipeline already optimized in place: then its outputs
  // (and names) are those of the real source, and the real source is in the cache.
  const alias = await cache.sourceOfOptimized(fileHash);
  const sourceHash = alias?.source ?? fileHash;
  let sourceBytes: Buffer | undefined;
  const loadSource = async () => (sourceBytes ??= (alias && (await cache.readOriginal(sourceHash))) || (await readCurrent()));

  let record: SourceRecord | undefined = ctx.force ? undefined : await cache.getSource(sourceHash, encoder.version);
  let recordChanged = !record;
  if (!record) {
    const source = await loadSource();
    record = { encoder: encoder.version, bytes: source.length, info: await encoder.probe(name, source, config.maxPixels) };
  }
  counters.before += record.bytes;
  const info = record.info;
  const specs = planOutputs(path.basename(file.abs), sourceHash, info, config, encoder.version);
  const folder = path.dirname(file.abs);
  const sizes = new Map<string, number>();
  const pending: VariantSpec[] = [];
  /** The hash of what is now at the source's path, when this run replaced it. */
  const written: { original?: string } = {};

  for (const spec of specs) {
    const cached = ctx.force ? undefined : cache.outputSize(spec.key);
    if (spec.kind === 'original') {
      if (!ctx.force && alias?.key === spec.key) sizes.set(spec.key, stat.size);
      else if (cached !== undefined) {
        written.original = await placeOriginal(file, spec, ctx, fileHash, sourceHash, await loadSource());
        sizes.set(spec.key, cached);
        counters.fromCache += 1;
      } else pending.push(spec);
      continue;
    }
    if (cached === undefined) {
      pending.push(spec);
      continue;
    }
    const target = path.join(folder, spec.fileName);
    if (fileSize(target) !== cached) await cache.copyOutput(spec.key, target);
    sizes.set(spec.key, cached);
    counters.fromCache += 1;
  }

  const wantsPlaceholder = config.placeholder && record.placeholder === undefined;
  if (pending.length === 0 && !wantsPlaceholder) {
    counters.cacheHits += 1;
  } else {
    const source = await loadSource();
    // Variants first, the original last: a crash leaves the original as it was.
    pending.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'original' ? 1 : -1));
    await ctx.budget.run(rawBytes(info) * 1.25 + source.length, async () => {
      const opened = await encoder.open(name, source, info, { ...config, maxPixels: config.maxPixels });
      if (wantsPlaceholder) {
        record!.placeholder = await opened.placeholder();
        recordChanged = true;
      }
      for (const spec of pending) {
        const encoded = await opened.encode(spec);
        // An original is only replaced by smaller bytes; otherwise the source is its own best version.
        const data = spec.kind === 'original' && encoded.data.length >= source.length ? source : encoded.data;
        await cache.putOutput(spec.key, data);
        counters.encoded += 1;
        sizes.set(spec.key, data.length);
        if (spec.kind === 'original') written.original = await placeOriginal(file, spec, ctx, fileHash, sourceHash, source);
        else await writeFileAtomic(path.join(folder, spec.fileName), data);
      }
    });
  }
  if (recordChanged) await cache.putSource(sourceHash, record);
  if (written.original) {
    const after = await fs.stat(file.abs);
    ctx.hashes.record(hashKey, after, written.original);
  }

  const original = specs.find((s) => s.kind === 'original');
  const fallback = fallbackFormat(info, config);
  return {
    width: info.width,
    height: info.height,
    format: info.format,
    animated: info.animated,
    bytes: original ? sizes.get(original.key)! : stat.size,
    variants: specs
      .filter((s) => s.kind === 'variant')
      .map((s) => ({
        url: `${file.url.slice(0, file.url.lastIndexOf('/') + 1)}${encodeURIComponent(s.fileName)}`,
        width: s.width,
        height: s.height,
        format: s.format,
        bytes: sizes.get(s.key)!,
      })),
    ...(fallback ? { fallback } : {}),
    ...(config.placeholder && record.placeholder ? { placeholder: record.placeholder } : {}),
  };
}

/**
 * Puts the optimized original (already in the cache under `spec.key`) at the source's URL.
 * The real source is kept in the cache first, so later runs can encode from it, not from a
 * lossy copy, and find its outputs again from the optimized bytes.
 */
async function placeOriginal(file: ScannedFile, spec: VariantSpec, ctx: SourceContext, currentHash: string, sourceHash: string, source: Buffer): Promise<string> {
  const optimized = await ctx.cache.readOutput(spec.key);
  const optimizedHash = sha256(optimized);
  if (optimizedHash === sourceHash) {
    // Optimization did not pay: the source stays (put it back if an older optimization replaced
    // it), and is remembered as its own optimized original so later runs skip this step.
    if (currentHash !== sourceHash) await writeFileAtomic(file.abs, source);
    await ctx.cache.putOptimized(sourceHash, { source: sourceHash, key: spec.key });
    return sourceHash;
  }
  await ctx.cache.keepOriginal(sourceHash, source);
  await ctx.cache.putOptimized(optimizedHash, { source: sourceHash, key: spec.key });
  if (optimizedHash !== currentHash) await writeFileAtomic(file.abs, optimized);
  return optimizedHash;
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

function rel(site: SiteModel, abs: string): string {
  return path.relative(site.rootDir, abs).split(path.sep).join('/') || '.';
}
