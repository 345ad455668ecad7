import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { mapLimit } from './concurrency.js';
import { errno } from './fs-errors.js';
import { readRecordFile, type FsRecord } from './fs-record.js';

/** The names in `dir`; none when it does not exist (a store nothing was written to yet). */
export async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return [];
    throw err;
  }
}

/**
 * Every record under `meta/`, shard by shard. Records are hashed names, so a prefix cannot
 * narrow the walk to a folder: the whole tree is read, 32 records of a shard at a time.
 */
export async function* walkRecords(dir: string, location: string): AsyncIterable<FsRecord> {
  const metaDir = path.join(dir, 'meta');
  for (const shard of await readdirOrEmpty(metaDir)) {
    const files = (await readdirOrEmpty(path.join(metaDir, shard))).filter((f) => f.endsWith('.json'));
    const records = await mapLimit(files, 32, (f) => readRecordFile(path.join(metaDir, shard, f), location));
    for (const rec of records) if (rec !== undefined) yield rec;
  }
}

/** Every blob file under `blobs/`, with its shard folder and name. */
export async function* walkBlobs(dir: string): AsyncIterable<{ shard: string; name: string; file: string }> {
  const blobsDir = path.join(dir, 'blobs');
  for (const shard of await readdirOrEmpty(blobsDir)) {
    for (const name of await readdirOrEmpty(path.join(blobsDir, shard))) yield { shard, name, file: path.join(blobsDir, shard, name) };
  }
}
