import fs from 'node:fs';
import path from 'node:path';

/** Where the hash cache lives, under the project's `.edgeship/cache/`. */
export function hashCacheFile(rootDir: string): string {
  return path.join(rootDir, '.edgeship', 'cache', 'deploy-hashes.json');
}

export interface CachedHash {
  size: number;
  mtimeMs: number;
  md5: string;
  multipartEtag?: string;
}

interface CacheFile {
  version: 1;
  /** Multipart settings the ETags were computed with; a change empties the cache. */
  multipart: string;
  files: Record<string, CachedHash>;
}

/**
 * MD5s of the build's files keyed by path, size and mtime, so that a redeploy with no change
 * re-hashes nothing. A damaged or foreign file is ignored (everything is hashed again).
 */
export class HashCache {
  private readonly fresh: Record<string, CachedHash> = {};
  hits = 0;
  misses = 0;

  private constructor(
    private readonly file: string,
    private readonly multipart: string,
    private readonly old: Record<string, CachedHash>,
  ) {}

  static load(file: string, multipart: string): HashCache {
    let old: Record<string, CachedHash> = {};
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CacheFile>;
      if (parsed.version === 1 && parsed.multipart === multipart && parsed.files && typeof parsed.files === 'object') old = parsed.files;
    } catch {
      // no cache yet, or unreadable: start empty
    }
    return new HashCache(file, multipart, old);
  }

  get(key: string, size: number, mtimeMs: number): CachedHash | undefined {
    const hit = Object.hasOwn(this.old, key) ? this.old[key] : undefined;
    if (hit && hit.size === size && hit.mtimeMs === mtimeMs && typeof hit.md5 === 'string') {
      this.hits++;
      this.fresh[key] = hit;
      return hit;
    }
    this.misses++;
    return undefined;
  }

  set(key: string, value: CachedHash): void {
    this.fresh[key] = value;
  }

  /** Writes the entries seen in this scan (removed files drop out), atomically. */
  save(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const body: CacheFile = { version: 1, multipart: this.multipart, files: this.fresh };
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(body));
    fs.renameSync(tmp, this.file);
  }
}
