import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileHashes } from './etag.js';

/** Where the hash cache lives, under the project's `.edgeship/cache/`. */
export function hashCacheFile(rootDir: string): string {
  return path.join(rootDir, '.edgeship', 'cache', 'deploy-hashes.json');
}

/**
 * What a file's stat says about its bytes, as git's index keeps it: size, mtime and ctime to
 * the nanosecond, inode and device. `cp -p`, `rsync -a`, an unpacked CI artifact or a
 * `SOURCE_DATE_EPOCH` build restore the mtime; none of them can restore the ctime or the inode.
 */
export interface FileStamp {
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

export function fileStamp(stat: fs.BigIntStats): FileStamp {
  return { size: Number(stat.size), mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs, ino: stat.ino, dev: stat.dev };
}

interface CachedHash extends FileHashes {
  /** `size:mtimeNs:ctimeNs:ino:dev` when the file was hashed. */
  stamp: string;
}

interface CacheFile {
  version: 2;
  /** Multipart settings the ETags were computed with; a change empties the cache. */
  multipart: string;
  /** The machine and folder the stamps belong to: inodes and ctimes mean nothing elsewhere. */
  origin: string;
  files: Record<string, CachedHash>;
}

const stampOf = (s: FileStamp) => `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}:${s.dev}`;

/** The machine and the site folder a cache belongs to. */
export function cacheOrigin(siteDir: string): string {
  return `${os.hostname()}:${path.resolve(siteDir)}`;
}

/**
 * MD5s of the build's files keyed by path and stamp, so that a redeploy with no change
 * re-hashes nothing while a changed file is never skipped. Not trusted: a damaged file, one
 * written for other multipart settings or by another machine or checkout, and (git's "racily
 * clean" rule) an entry whose file was modified no earlier than the cache was written, since a
 * change in that same clock tick leaves the stamp as it was.
 */
export class HashCache {
  private readonly fresh: Record<string, CachedHash> = {};
  hits = 0;
  misses = 0;

  private constructor(
    private readonly file: string,
    private readonly multipart: string,
    private readonly origin: string,
    private readonly old: Record<string, CachedHash>,
    /** The cache file's own mtime: entries of files changed at or after it are not trusted. */
    private readonly writtenNs: bigint,
  ) {}

  /** `trust: false` (`deploy --force`) starts empty: every file is hashed again, and the cache rewritten. */
  static load(file: string, multipart: string, origin: string, options: { trust?: boolean } = {}): HashCache {
    let old: Record<string, CachedHash> = {};
    let writtenNs = 0n;
    try {
      if (options.trust === false) throw new Error('not trusted');
      writtenNs = fs.statSync(file, { bigint: true }).mtimeNs;
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CacheFile>;
      if (parsed.version === 2 && parsed.multipart === multipart && parsed.origin === origin && parsed.files && typeof parsed.files === 'object') old = parsed.files;
    } catch {
      // no cache yet, unreadable, or not to be trusted: start empty
    }
    return new HashCache(file, multipart, origin, old, writtenNs);
  }

  get(key: string, stamp: FileStamp): FileHashes | undefined {
    const hit = Object.hasOwn(this.old, key) ? this.old[key] : undefined;
    const settled = stamp.mtimeNs < this.writtenNs && stamp.ctimeNs < this.writtenNs;
    if (hit && settled && hit.stamp === stampOf(stamp) && typeof hit.md5 === 'string') {
      this.hits++;
      this.fresh[key] = hit;
      return hit;
    }
    this.misses++;
    return undefined;
  }

  set(key: string, stamp: FileStamp, hashes: FileHashes): void {
    this.fresh[key] = { stamp: stampOf(stamp), ...hashes };
  }

  /** Writes the entries seen in this scan (removed files drop out), atomically. */
  save(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const body: CacheFile = { version: 2, multipart: this.multipart, origin: this.origin, files: this.fresh };
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(body));
    fs.renameSync(tmp, this.file);
  }
}
