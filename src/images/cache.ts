import fs from 'node:fs/promises';
import path from 'node:path';
import { copyFileAtomic, fileSize, writeFileAtomic } from './fs-atomic.js';
import type { SourceInfo } from './types.js';

/** Where the cache lives, relative to the config's folder: outside the build folder, so it survives a rebuild. */
export const IMAGE_CACHE_DIR = '.edgeship/cache/images';

/** What is remembered about a source, keyed by the hash of its bytes (and the encoder version). */
export interface SourceRecord {
  encoder: string;
  /** Size of the source file. */
  bytes: number;
  info: SourceInfo;
  placeholder?: string;
}

/** "These bytes are the optimized original of `source`, made as output `key`." */
export interface OptimizedRecord {
  source: string;
  key: string;
}

/**
 * The incremental cache. Content-addressed throughout:
 * - `outputs/<key>`: encoded bytes of one output, keyed by source bytes + options + encoder version;
 * - `sources/<hash>.json`: the header facts of a source (and its placeholder);
 * - `optimized/<hash>.json`: "these bytes are the optimized original of source <hash>", so a
 *   second run over an in-place optimized original finds the same outputs instead of
 *   re-encoding (and renaming) everything;
 * - `originals/<hash>`: the bytes of a source that was replaced in place, so a changed option
 *   re-encodes from the real source, not from a lossy copy of it.
 */
export class ImageCache {
  constructor(readonly dir: string) {}

  private outputPath(key: string): string {
    return path.join(this.dir, 'outputs', key.slice(0, 2), key);
  }

  /** Bytes of a cached output, or undefined. */
  outputSize(key: string): number | undefined {
    return fileSize(this.outputPath(key));
  }

  async putOutput(key: string, data: Buffer): Promise<void> {
    await writeFileAtomic(this.outputPath(key), data);
  }

  /** Copies a cached output to `target` (atomically). */
  async copyOutput(key: string, target: string): Promise<void> {
    await copyFileAtomic(this.outputPath(key), target);
  }

  readOutput(key: string): Promise<Buffer> {
    return fs.readFile(this.outputPath(key));
  }

  async getSource(hash: string, encoder: string): Promise<SourceRecord | undefined> {
    const record = await readJson<SourceRecord>(path.join(this.dir, 'sources', `${hash}.json`));
    return record?.encoder === encoder ? record : undefined;
  }

  async putSource(hash: string, record: SourceRecord): Promise<void> {
    await writeFileAtomic(path.join(this.dir, 'sources', `${hash}.json`), JSON.stringify(record));
  }

  /** The source (and output key) whose optimized original has these bytes, if any. */
  sourceOfOptimized(hash: string): Promise<OptimizedRecord | undefined> {
    return readJson<OptimizedRecord>(path.join(this.dir, 'optimized', `${hash}.json`));
  }

  async putOptimized(optimizedHash: string, record: OptimizedRecord): Promise<void> {
    await writeFileAtomic(path.join(this.dir, 'optimized', `${optimizedHash}.json`), JSON.stringify(record));
  }

  async keepOriginal(hash: string, data: Buffer): Promise<void> {
    const file = path.join(this.dir, 'originals', hash.slice(0, 2), hash);
    if (fileSize(file) !== data.length) await writeFileAtomic(file, data);
  }

  async readOriginal(hash: string): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(path.join(this.dir, 'originals', hash.slice(0, 2), hash));
    } catch {
      return undefined;
    }
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

type StatKey = [size: number, mtimeMs: number, ino: number, hash: string];

/**
 * Content hashes of source files, reused while a file's size, mtime and inode are unchanged, so a
 * run over an untouched folder reads no image. A rebuilt folder has new mtimes: it is hashed again.
 */
export class FileHashes {
  private entries: Record<string, StatKey> = {};
  private readonly seen: Record<string, StatKey> = {};

  constructor(private readonly file: string) {}

  async load(): Promise<void> {
    this.entries = (await readJson<Record<string, StatKey>>(this.file)) ?? {};
  }

  lookup(key: string, stat: { size: number; mtimeMs: number; ino: number }): string | undefined {
    const e = this.entries[key];
    return e && e[0] === stat.size && e[1] === stat.mtimeMs && e[2] === stat.ino ? e[3] : undefined;
  }

  record(key: string, stat: { size: number; mtimeMs: number; ino: number }, hash: string): void {
    this.seen[key] = [stat.size, stat.mtimeMs, stat.ino, hash];
  }

  /** Keeps the files seen in this run (others are forgotten). */
  async save(): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(this.seen));
  }
}
