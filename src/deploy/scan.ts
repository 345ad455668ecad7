import fs from 'node:fs';
import path from 'node:path';
import { matchPattern } from '../behavior/pattern.js';
import { RESERVED_PREFIX } from '../edge/contracts.js';
import { hashLargeFile, hashSmallFileSync, needsStream, type FileHashes } from './etag.js';
import { DEPLOY_ERRORS, badInput } from './errors.js';
import { hashFilesInWorker, WORKER_MIN_BYTES } from './hash-worker.js';
import { fileStamp, type FileStamp, type HashCache } from './hash-cache.js';
import { mapLimit } from '../store/concurrency.js';
import { Slices } from './slices.js';
import type { LocalFile } from './types.js';

export interface ScanOptions {
  /** Site-relative patterns (CloudFront path-pattern syntax) never deployed. */
  exclude?: readonly string[];
  /** Files at least `threshold` bytes are uploaded in parts of `partSize`: their multipart ETag is computed too. */
  multipart?: { threshold: number; partSize: number };
  cache?: HashCache;
  /** Files hashed at once. */
  concurrency?: number;
}

export interface ScanResult {
  files: LocalFile[];
  /** Keys skipped by `exclude`. */
  excluded: string[];
  hashed: number;
  /** Of `hashed`, the files hashed on the worker thread (a rebuild's many megabytes). */
  onWorker: number;
  fromCache: number;
}

/**
 * Walks the build folder and hashes every file. Dotfiles (`.well-known/`) are part of the
 * site; a symlink is followed only while it stays inside the folder. A missing or empty
 * folder is refused before anything reads the store, so it can never turn into deletes.
 */
export async function scanSite(siteDir: string, options: ScanOptions = {}): Promise<ScanResult> {
  const root = await realDir(siteDir);
  const exclude = options.exclude ?? [];
  const found: { key: string; absPath: string; size: number; mtimeMs: number; stamp: FileStamp }[] = [];
  const excluded: string[] = [];
  // Real paths of the folders being walked: a link back to one of them would loop forever.
  // Synchronous: a build folder is local, and a sync stat costs a few microseconds where an
  // async one waits for a thread-pool round trip (thousands of files, one after the other).
  const walk = (dir: string, prefix: string, ancestors: ReadonlySet<string>): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    // A name that is not UTF-8 comes back with U+FFFD in it (and could not be opened by it).
    if (entries.some((e) => e.name.includes('\uFFFD'))) assertUtf8Names(dir, siteDir);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      const key = prefix + entry.name;
      let isDir = entry.isDirectory();
      let target = abs;
      if (entry.isSymbolicLink()) {
        target = resolveLink(abs, root, key);
        const stat = fs.statSync(target);
        isDir = stat.isDirectory();
        if (!isDir && !stat.isFile()) continue;
      } else if (!isDir && !entry.isFile()) continue; // sockets, fifos: not site content
      if (isDir) {
        if (ancestors.has(target)) continue; // a link to a folder above: a cycle
        walk(target, `${key}/`, new Set([...ancestors, target]));
        continue;
      }
      if (exclude.some((p) => matchPattern(p, key))) {
        excluded.push(key);
        continue;
      }
      if (key.startsWith(RESERVED_PREFIX)) {
        throw badInput(
          DEPLOY_ERRORS.reservedKey,
          `${path.join(siteDir, key)}: the key "${key}" is under "${RESERVED_PREFIX}", which edgeship keeps for its deploy manifest`,
          `rename the folder, or add "${RESERVED_PREFIX}*" to deploy.exclude`,
        );
      }
      const stamp = fileStamp(fs.statSync(target, { bigint: true }));
      found.push({ key, absPath: target, size: stamp.size, mtimeMs: Number(stamp.mtimeNs / 1_000_000n), stamp });
    }
  };
  walk(root, '', new Set([root]));

  if (found.length === 0) {
    throw badInput(
      DEPLOY_ERRORS.emptySite,
      `the site folder ${siteDir} has no files to deploy${excluded.length ? ` (${excluded.length} excluded by deploy.exclude)` : ''}; nothing was changed in the store`,
      'build the site first, or point "site" in the config at the build output',
    );
  }

  let hashed = 0;
  let fromCache = 0;
  const files = new Array<LocalFile>(found.length);
  const small: number[] = [];
  const large: number[] = [];
  found.forEach((f, i) => {
    const cached = options.cache?.get(f.key, f.stamp);
    if (cached) {
      fromCache++;
      files[i] = { key: f.key, absPath: f.absPath, size: f.size, mtimeMs: f.mtimeMs, md5: cached.md5, multipartEtag: cached.multipartEtag };
    } else (needsStream(f.size, options.multipart) ? large : small).push(i);
  });
  const done = (i: number, hashes: FileHashes) => {
    const f = found[i]!;
    hashed++;
    options.cache?.set(f.key, f.stamp, hashes);
    files[i] = { key: f.key, absPath: f.absPath, size: f.size, mtimeMs: f.mtimeMs, ...hashes };
  };
  // Small files are hashed synchronously in slices of a few milliseconds, so the store listing
  // running meanwhile still gets its answers read; a rebuild's many megabytes go to a worker
  // thread instead, leaving this one to those answers. Large files stream alongside.
  const smallBytes = small.reduce((sum, i) => sum + found[i]!.size, 0);
  let onWorker = 0;
  const hashSmall = async () => {
    if (smallBytes >= WORKER_MIN_BYTES) {
      await hashFilesInWorker(small.map((i) => found[i]!.absPath), (j, md5) => {
        onWorker++;
        done(small[j]!, { md5 });
      });
      return;
    }
    const slices = new Slices();
    for (const i of small) {
      done(i, hashSmallFileSync(found[i]!.absPath));
      if (slices.due()) await slices.yield();
    }
  };
  await Promise.all([
    hashSmall(),
    mapLimit(large, options.concurrency ?? 4, async (i) => done(i, await hashLargeFile(found[i]!.absPath, found[i]!.size, options.multipart))),
  ]);
  return { files, excluded, hashed, onWorker, fromCache };
}

/**
 * Refuses a folder holding a file name that is not UTF-8: an S3 key is UTF-8, so the file has
 * no key to go to. The error names the folder and the name's bytes.
 */
function assertUtf8Names(dir: string, siteDir: string): void {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  for (const name of fs.readdirSync(dir, { encoding: 'buffer' })) {
    try {
      utf8.decode(name);
    } catch {
      const bytes = [...name].map((b) => b.toString(16).padStart(2, '0')).join(' ');
      throw badInput(
        DEPLOY_ERRORS.badFileName,
        `${dir}: a file name is not UTF-8 (bytes ${bytes}, shown as "${name.toString('utf8')}"); object keys are UTF-8, so it cannot be deployed; nothing was changed in the store`,
        `rename it to a UTF-8 name (e.g. convmv -f latin1 -t utf8), or remove it from ${siteDir}`,
      );
    }
  }
}

async function realDir(siteDir: string): Promise<string> {
  try {
    const real = await fs.promises.realpath(siteDir);
    if ((await fs.promises.stat(real)).isDirectory()) return real;
  } catch {
    // reported below
  }
  throw badInput(
    DEPLOY_ERRORS.noSite,
    `the site folder ${siteDir} does not exist; nothing was changed in the store`,
    'build the site first, or point "site" in the config at the build output',
  );
}

function resolveLink(abs: string, root: string, key: string): string {
  let target: string;
  try {
    target = fs.realpathSync(abs);
  } catch {
    throw badInput(DEPLOY_ERRORS.symlinkOutside, `${abs} (key "${key}") is a broken symlink`, 'remove the link or point it at a file inside the site folder');
  }
  if (target !== root && !target.startsWith(root + path.sep)) {
    throw badInput(
      DEPLOY_ERRORS.symlinkOutside,
      `${abs} (key "${key}") is a symlink to ${target}, outside the site folder ${root}; it is refused so that a deploy never publishes files from elsewhere`,
      'copy the file into the site folder, or add the key to deploy.exclude',
    );
  }
  return target;
}
