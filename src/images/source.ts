/**
 * One source image through the pipeline: outputs found in the cache are copied, the others
 * encoded from a single decode, and the manifest entry made from what is now on disk.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SiteModel } from '../config/model.js';
import type { FileHashes, ImageCache, SourceRecord } from './cache.js';
import { rawBytes, type ImageEncoder } from './encoder.js';
import { fileSize, writeFileAtomic } from './fs-atomic.js';
import type { Budget } from './limit.js';
import { fallbackFormat, planOutputs } from './plan.js';
import type { ScannedFile } from './scan.js';
import type { ManifestEntry, VariantSpec } from './types.js';

export interface Counters {
  encoded: number;
  fromCache: number;
  cacheHits: number;
  before: number;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export interface SourceContext {
  site: SiteModel;
  encoder: ImageEncoder;
  cache: ImageCache;
  hashes: FileHashes;
  budget: Budget;
  counters: Counters;
  force: boolean;
}

export async function processSource(file: ScannedFile, ctx: SourceContext): Promise<ManifestEntry> {
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
    const placeholder = await encodePending(file, pending, { ctx, info, source, wantsPlaceholder, sizes, written, fileHash, sourceHash });
    if (placeholder !== undefined) {
      record.placeholder = placeholder;
      recordChanged = true;
    }
  }
  if (recordChanged) await cache.putSource(sourceHash, record);
  if (written.original) {
    const after = await fs.stat(file.abs);
    ctx.hashes.record(hashKey, after, written.original);
  }

  return manifestEntry(file, specs, { info, sizes, size: stat.size, placeholder: config.placeholder ? record.placeholder : undefined, fallback: fallbackFormat(info, config) });
}

interface Encoding {
  ctx: SourceContext;
  info: SourceRecord['info'];
  source: Buffer;
  wantsPlaceholder: boolean;
  /** Filled with the size of each output written. */
  sizes: Map<string, number>;
  written: { original?: string };
  fileHash: string;
  sourceHash: string;
}

/** Decodes the source once and encodes every output not in the cache; the placeholder when one was wanted. */
async function encodePending(file: ScannedFile, pending: VariantSpec[], { ctx, info, source, wantsPlaceholder, sizes, written, fileHash, sourceHash }: Encoding): Promise<string | undefined> {
  const config = ctx.site.images;
  let placeholder: string | undefined;
  // Variants first, the original last: a crash leaves the original as it was.
  pending.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'original' ? 1 : -1));
  await ctx.budget.run(rawBytes(info) * 1.25 + source.length, async () => {
    const opened = await ctx.encoder.open(rel(ctx.site, file.abs), source, info, { ...config, maxPixels: config.maxPixels });
    if (wantsPlaceholder) placeholder = await opened.placeholder();
    for (const spec of pending) {
      const encoded = await opened.encode(spec);
      // An original is only replaced by smaller bytes; otherwise the source is its own best version.
      const data = spec.kind === 'original' && encoded.data.length >= source.length ? source : encoded.data;
      await ctx.cache.putOutput(spec.key, data);
      ctx.counters.encoded += 1;
      sizes.set(spec.key, data.length);
      if (spec.kind === 'original') written.original = await placeOriginal(file, spec, ctx, fileHash, sourceHash, source);
      else await writeFileAtomic(path.join(path.dirname(file.abs), spec.fileName), data);
    }
  });
  return placeholder;
}

/** What the images manifest says of one source: its size and every variant's URL, size and format. */
function manifestEntry(
  file: ScannedFile,
  specs: VariantSpec[],
  { info, sizes, size, placeholder, fallback }: { info: SourceRecord['info']; sizes: Map<string, number>; size: number; placeholder: string | undefined; fallback: ReturnType<typeof fallbackFormat> },
): ManifestEntry {
  const original = specs.find((s) => s.kind === 'original');
  return {
    width: info.width,
    height: info.height,
    format: info.format,
    animated: info.animated,
    bytes: original ? sizes.get(original.key)! : size,
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
    ...(placeholder ? { placeholder } : {}),
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

export function rel(site: SiteModel, abs: string): string {
  return path.relative(site.rootDir, abs).split(path.sep).join('/') || '.';
}
