import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { errno } from './fs-errors.js';
import { tmpPath } from './fs-layout.js';

// How an fs store commits a file: write it under `tmp/`, flush it (`fsync`), then rename it
// into place. A rename within one file system is atomic, so a reader sees the old file or the
// new one, never a torn one; and the flush before the rename means a power loss cannot leave
// a committed name pointing at unwritten bytes.

/**
 * Renames into shard folders (`meta/<xx>/`, `blobs/<xx>/`), creating each folder the first
 * time, and again if it vanished meanwhile (a sweep or a hand-cleaned store).
 */
export class AtomicFiles {
  readonly #dir: string;
  readonly #fsync: boolean;
  /** Shard folders known to exist (skips a mkdir per write). */
  readonly #madeDirs = new Set<string>();

  /** `fsync: false` skips the flushes (tests, throwaway previews). */
  constructor(dir: string, fsync: boolean) {
    this.#dir = dir;
    this.#fsync = fsync;
  }

  /**
   * Writes into a new file (`wx`: never over an existing one) with `write`, flushes it when
   * the store flushes, and closes it, whether or not the write succeeded.
   */
  async writeNew(file: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
    const handle = await open(file, 'wx');
    try {
      await write(handle);
      if (this.#fsync) await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Writes `text` to `target` through a temporary file: readers see the old content or all of the new. */
  async replace(target: string, text: string): Promise<void> {
    const tmp = tmpPath(this.#dir, `${randomUUID()}.json`);
    try {
      await this.writeNew(tmp, (handle) => handle.writeFile(text));
      await this.renameInto(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Renames `from` to `to`, creating `to`'s shard folder the first time (or if it vanished). */
  async renameInto(from: string, to: string): Promise<void> {
    const dir = path.dirname(to);
    if (!this.#madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.#madeDirs.add(dir);
    }
    try {
      await rename(from, to);
    } catch (err) {
      if (errno(err) !== 'ENOENT') throw err;
      await mkdir(dir, { recursive: true });
      await rename(from, to);
    }
  }
}
