import { createHash } from 'node:crypto';
import path from 'node:path';

// Where an fs store keeps each key (see docs/store.md). File names are hashes of the key, so
// any key (spaces, `%`, `?`, `#`, non-ASCII, `a` next to `a/b`, `a//b`, literal `.` / `..`
// segments, 1024-byte keys) maps to a short, safe name and no key can name a path outside
// the store folder. The first two hex digits shard the folders, so none grows to a size a
// file system lists slowly.

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** `meta/<xx>/<sha256(key)>.json`: the key's record. */
export function recordPath(dir: string, key: string): string {
  const h = hashKey(key);
  return path.join(dir, 'meta', h.slice(0, 2), `${h}.json`);
}

/** `blobs/<xx>/<blob>`: the bytes of one write of the key. */
export function blobPath(dir: string, key: string, blob: string): string {
  return path.join(dir, 'blobs', hashKey(key).slice(0, 2), blob);
}

/** The blob name of a write: the key's hash and the write's id, so two writes of a key never share a file. */
export function blobName(key: string, id: string): string {
  return `${hashKey(key)}.${id}`;
}

/** The record a blob file under `blobs/<shard>/` belongs to (its key's hash comes first in its name). */
export function recordPathOfBlob(dir: string, shard: string, blob: string): string {
  return path.join(dir, 'meta', shard, `${blob.slice(0, blob.indexOf('.'))}.json`);
}

/** `tmp/<name>`: writes in flight, renamed into place when complete. */
export function tmpPath(dir: string, name: string): string {
  return path.join(dir, 'tmp', name);
}
