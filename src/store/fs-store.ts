import { randomUUID } from 'node:crypto';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { md5Hex, VerifyingHash } from './etag.js';
import { STORE_ERRORS, storeError, isStoreError } from './errors.js';
import { assertHeaders, assertKey, assertPrefix, invalidKeyError } from './keys.js';
import { clampRange } from './range.js';
import { KeyedMutex, mapLimit } from './concurrency.js';
import { checkMd5Option } from './options.js';
import { checkCondition, isConditional } from './conditional.js';
import { AtomicFiles } from './fs-atomic.js';
import { whileHoldingKey } from './fs-cross-process.js';
import { errno, fsFailure } from './fs-errors.js';
import { blobName, blobPath, recordPath, tmpPath } from './fs-layout.js';
import { prepareStoreDir } from './fs-marker.js';
import { readRange } from './fs-read.js';
import { encodeRecord, headerFields, readRecordFile, toHead, type FsRecord } from './fs-record.js';
import { sweepLeftovers } from './fs-sweep.js';
import { walkRecords } from './fs-walk.js';
import type { DeleteResult, GetOptions, GetResult, ObjectHead, ObjectStore, ObjectSummary, PutBody, PutOptions, PutResult } from './types.js';

export { FS_STORE_MARKER } from './fs-marker.js';

export interface FsStoreOptions {
  /** Clock for `lastModified`. Default: the system clock. */
  now?: () => Date;
  /**
   * Flush each object and record to disk (`fsync`) before the rename that commits it, so a
   * power loss cannot leave a committed record pointing at unwritten bytes. Default true;
   * tests and throwaway previews may turn it off.
   */
  fsync?: boolean;
}

/** How many times `get` re-reads a record whose blob a concurrent put just replaced. */
const GET_ATTEMPTS = 5;

/**
 * The embedded store: objects and their metadata in a local folder.
 *
 * Layout (see docs/store.md):
 * ```
 * <dir>/edgeship-store.json           format marker
 * <dir>/meta/<xx>/<sha256(key)>.json  one record per key: headers, size, ETag, blob name
 * <dir>/blobs/<xx>/<sha256(key)>.<id> the bytes of one write, never modified after commit
 * <dir>/tmp/                          writes in flight
 * ```
 * File names are hashes of the key (fs-layout.ts), so no key can name a path outside `<dir>`.
 *
 * A put writes the bytes to `tmp/`, renames them to a fresh blob, then writes the record to
 * `tmp/` and renames it over `meta/…`: that one rename commits the put. Readers see the old
 * record or the new one, never a torn object; a write that fails or crashes before the rename
 * leaves the old object in place (its leftovers sit in `tmp/` or as an unreferenced blob, which
 * `sweep()` removes). `copyMetadata` writes a new record that points at the same blob, so the
 * bytes are not rewritten. How a file is committed: fs-atomic.ts; what a record holds:
 * fs-record.ts.
 */
export class FsStore implements ObjectStore {
  readonly location: string;
  readonly dir: string;
  readonly #now: () => Date;
  readonly #files: AtomicFiles;
  readonly #locks = new KeyedMutex();
  #ready: Promise<void> | undefined;

  constructor(dir: string, options: FsStoreOptions = {}) {
    this.dir = path.resolve(dir);
    this.location = `fs:${this.dir}`;
    this.#now = options.now ?? (() => new Date());
    this.#files = new AtomicFiles(this.dir, options.fsync ?? true);
  }

  // ------------------------------------------------------------------------------------------
  // reads

  async *list(prefix = ''): AsyncIterable<ObjectSummary> {
    assertPrefix(prefix, `${this.location} list`);
    if (!(await this.#exists())) return;
    for await (const rec of walkRecords(this.dir, this.location)) {
      if (rec.key.startsWith(prefix)) yield { key: rec.key, size: rec.size, etag: rec.etag, lastModified: new Date(rec.lastModified) };
    }
  }

  async head(key: string): Promise<ObjectHead | undefined> {
    assertKey(key, `${this.location} head`);
    const rec = await this.#readRecord(key);
    return rec === undefined ? undefined : toHead(rec);
  }

  async get(key: string, options: GetOptions = {}): Promise<GetResult | undefined> {
    assertKey(key, `${this.location} get`);
    for (let attempt = 0; attempt < GET_ATTEMPTS; attempt++) {
      const rec = await this.#readRecord(key);
      if (rec === undefined) return undefined;
      const range = options.range === undefined ? undefined : clampRange(options.range, rec.size, `${this.location} get ${JSON.stringify(key)}`);
      let handle: FileHandle;
      try {
        handle = await open(blobPath(this.dir, key, rec.blob), 'r');
      } catch (err) {
        // A concurrent put or delete replaced the record and removed this blob: read again.
        if (errno(err) === 'ENOENT') continue;
        throw this.#fail('get', key, err);
      }
      // An open descriptor keeps the bytes readable even if the blob is unlinked meanwhile.
      const body = await readRange(handle, range ?? { start: 0, end: rec.size - 1 }).catch((err: unknown) => {
        throw this.#fail('get', key, err);
      });
      return range === undefined ? { head: toHead(rec), body } : { head: toHead(rec), body, range };
    }
    throw storeError(
      STORE_ERRORS.requestFailed,
      `${this.location}: key ${JSON.stringify(key)} kept changing while it was read (${GET_ATTEMPTS} attempts)`,
      'retry the read; something is rewriting this key in a tight loop',
    );
  }

  // ------------------------------------------------------------------------------------------
  // writes

  async put(key: string, body: PutBody, options: PutOptions = {}): Promise<PutResult> {
    assertKey(key, `${this.location} put`);
    assertHeaders(options, `${this.location} put ${JSON.stringify(key)}`);
    checkMd5Option(options.md5, key);
    if (!Buffer.isBuffer(body) && options.size === undefined) {
      throw storeError(STORE_ERRORS.bodyMismatch, `${this.location} put ${JSON.stringify(key)}: a stream body needs options.size`, 'pass the size in bytes of the stream');
    }
    await this.#prepareForWrite();
    const id = randomUUID();
    const tmpBlob = tmpPath(this.dir, id);
    let written: { etag: string; size: number };
    try {
      written = await this.#writeBlob(tmpBlob, key, body, options);
    } catch (err) {
      await rm(tmpBlob, { force: true });
      throw isStoreError(err) ? err : this.#fail('put', key, err);
    }
    const commit = () => this.#commitPut(key, id, tmpBlob, written, options);
    // A conditional put also holds the key against other processes: its condition must still hold at the rename.
    return this.#locks.run(key, () => (isConditional(options) ? whileHoldingKey(this.#guardWhere(key), key, commit) : commit()));
  }

  /** Checks the put's condition, renames its blob into place and commits its record: the put is visible from this rename on. */
  async #commitPut(key: string, id: string, tmpBlob: string, written: { etag: string; size: number }, options: PutOptions): Promise<PutResult> {
    const { etag, size } = written;
    const old = await this.#readRecord(key);
    if (isConditional(options)) {
      try {
        checkCondition(this.location, key, options, old?.etag);
      } catch (err) {
        await rm(tmpBlob, { force: true });
        throw err;
      }
    }
    const blob = blobName(key, id);
    const blobFile = blobPath(this.dir, key, blob);
    try {
      await this.#files.renameInto(tmpBlob, blobFile);
    } catch (err) {
      await rm(tmpBlob, { force: true });
      throw this.#fail('put', key, err);
    }
    const rec: FsRecord = { v: 1, key, size, etag, lastModified: this.#now().toISOString(), blob, ...headerFields(options) };
    try {
      await this.#commitRecord(key, rec);
    } catch (err) {
      await rm(blobFile, { force: true });
      throw this.#fail('put', key, err);
    }
    if (old !== undefined && old.blob !== blob) await rm(blobPath(this.dir, key, old.blob), { force: true });
    return { etag };
  }

  /** Conditions are checked and the record renamed under this process's key lock and a guard file, so they hold across processes. */
  async conditionalWrites(): Promise<'atomic'> {
    return 'atomic';
  }

  async copyMetadata(key: string, options: PutOptions): Promise<PutResult> {
    assertKey(key, `${this.location} copyMetadata`);
    assertHeaders(options, `${this.location} copyMetadata ${JSON.stringify(key)}`);
    return this.#locks.run(key, async () => {
      const old = await this.#readRecord(key);
      if (old === undefined) {
        throw storeError(STORE_ERRORS.notFound, `${this.location} copyMetadata: key ${JSON.stringify(key)} does not exist`, 'upload the object (put) instead of updating its metadata');
      }
      const rec: FsRecord = { v: 1, key, size: old.size, etag: old.etag, lastModified: this.#now().toISOString(), blob: old.blob, ...headerFields(options) };
      try {
        await this.#commitRecord(key, rec);
      } catch (err) {
        throw this.#fail('copyMetadata', key, err);
      }
      return { etag: rec.etag };
    });
  }

  async deleteMany(keys: readonly string[]): Promise<DeleteResult> {
    const result: DeleteResult = { deleted: [], errors: [] };
    const outcomes = await mapLimit([...keys], 16, async (key) => {
      const invalid = invalidKeyError(key);
      if (invalid !== undefined) return invalid;
      try {
        await this.#locks.run(key, async () => {
          const rec = await this.#readRecord(key);
          if (rec === undefined) return;
          await rm(recordPath(this.dir, key), { force: true });
          await rm(blobPath(this.dir, key, rec.blob), { force: true });
        });
        return undefined;
      } catch (err) {
        const e = this.#fail('delete', key, err);
        return { key, code: e.code, message: e.message };
      }
    });
    keys.forEach((key, i) => {
      const failure = outcomes[i];
      if (failure === undefined) result.deleted.push(key);
      else result.errors.push(failure);
    });
    return result;
  }

  /**
   * Removes leftovers of writes that failed or crashed: files in `tmp/` and blobs no record
   * points at, when older than `olderThanMs` (default one hour, so writes in flight in other
   * processes are left alone). Returns how many files it removed.
   */
  async sweep(olderThanMs = 60 * 60 * 1000): Promise<number> {
    if (!(await this.#exists())) return 0;
    return sweepLeftovers(this.dir, this.location, this.#now().getTime() - olderThanMs);
  }

  // ------------------------------------------------------------------------------------------
  // internals

  async #writeBlob(file: string, key: string, body: PutBody, options: PutOptions): Promise<{ etag: string; size: number }> {
    const mismatch = (what: string): Error =>
      storeError(STORE_ERRORS.bodyMismatch, `${this.location} put ${JSON.stringify(key)}: the body has ${what}; nothing was written`, 'the file changed while it was uploaded, or the declared md5/size is wrong; scan it again');
    if (Buffer.isBuffer(body)) {
      const md5 = md5Hex(body);
      if (options.size !== undefined && options.size !== body.length) throw mismatch(`${body.length} bytes, declared ${options.size}`);
      if (options.md5 !== undefined && options.md5.toLowerCase() !== md5) throw mismatch(`MD5 ${md5}, declared ${options.md5}`);
      await this.#files.writeNew(file, (handle) => handle.writeFile(body));
      return { etag: md5, size: body.length };
    }
    const hasher = new VerifyingHash(Number.MAX_SAFE_INTEGER, { md5: options.md5, size: options.size, onMismatch: mismatch });
    await this.#files.writeNew(file, (handle) =>
      pipeline(body(), hasher, async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) await handle.write(chunk);
      }),
    );
    return { etag: hasher.result.md5, size: hasher.result.size };
  }

  #commitRecord(key: string, rec: FsRecord): Promise<void> {
    return this.#files.replace(recordPath(this.dir, key), encodeRecord(rec));
  }

  async #readRecord(key: string): Promise<FsRecord | undefined> {
    const rec = await readRecordFile(recordPath(this.dir, key), this.location);
    // A record for another key under this name would mean a SHA-256 collision; treat as absent.
    return rec?.key === key ? rec : undefined;
  }

  /** Whether the store folder exists and is a store (reads of a missing folder see no objects). */
  async #exists(): Promise<boolean> {
    if (this.#ready !== undefined) {
      await this.#ready;
      return true;
    }
    try {
      await stat(this.dir);
    } catch (err) {
      if (errno(err) === 'ENOENT') return false;
      throw err;
    }
    await this.#prepareForWrite();
    return true;
  }

  /** Creates the folder and marker once; refuses a non-empty folder that is not a store. */
  #prepareForWrite(): Promise<void> {
    this.#ready ??= prepareStoreDir(this.dir, this.location, (err) => this.#fail('open', undefined, err)).catch((err: unknown) => {
      this.#ready = undefined;
      throw err;
    });
    return this.#ready;
  }

  #guardWhere(key: string) {
    return { dir: this.dir, location: this.location, now: this.#now, fail: (err: unknown) => this.#fail('put', key, err) };
  }

  #fail(op: string, key: string | undefined, err: unknown) {
    return fsFailure(this.location, this.dir, op, key, err);
  }
}
