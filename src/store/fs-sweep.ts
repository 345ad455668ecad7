import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { errno } from './fs-errors.js';
import { recordPathOfBlob, tmpPath } from './fs-layout.js';
import { readRecordFile } from './fs-record.js';
import { readdirOrEmpty, walkBlobs } from './fs-walk.js';

/**
 * Removes the leftovers of writes that failed or crashed, last modified before `cutoff` (ms
 * since the epoch): files in `tmp/`, and blobs no record points at. Only old files go, so
 * writes in flight in other processes are left alone. Returns how many files it removed.
 */
export async function sweepLeftovers(dir: string, location: string, cutoff: number): Promise<number> {
  let removed = 0;
  const removeIfOld = async (file: string): Promise<void> => {
    try {
      if ((await stat(file)).mtimeMs < cutoff) {
        await rm(file, { force: true });
        removed++;
      }
    } catch (err) {
      // Gone meanwhile: a write in flight committed or cleaned it up.
      if (errno(err) !== 'ENOENT') throw err;
    }
  };
  for (const name of await readdirOrEmpty(path.join(dir, 'tmp'))) await removeIfOld(tmpPath(dir, name));
  for await (const blob of walkBlobs(dir)) {
    const rec = await readRecordFile(recordPathOfBlob(dir, blob.shard, blob.name), location);
    if (rec?.blob !== blob.name) await removeIfOld(blob.file);
  }
  return removed;
}
