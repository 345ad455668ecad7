import { readFile } from 'node:fs/promises';
import { STORE_ERRORS, storeError } from './errors.js';
import { errno } from './fs-errors.js';
import { lowerCaseKeys } from './options.js';
import type { ObjectHead, PutOptions } from './types.js';

/** What `meta/<xx>/<sha256(key)>.json` holds: one object's metadata and the blob with its bytes. */
export interface FsRecord {
  v: 1;
  key: string;
  size: number;
  etag: string;
  lastModified: string;
  /** File name under `blobs/<xx>/`. */
  blob: string;
  contentType?: string;
  cacheControl?: string;
  contentEncoding?: string;
  metadata: Record<string, string>;
}

type HeaderFields = Pick<FsRecord, 'contentType' | 'cacheControl' | 'contentEncoding' | 'metadata'>;

export function encodeRecord(rec: FsRecord): string {
  return JSON.stringify(rec);
}

/**
 * The record in `file`, or `undefined` when there is none. A record that cannot be read or
 * parsed is an error naming the file: guessing would serve wrong headers or bytes.
 */
export async function readRecordFile(file: string, location: string): Promise<FsRecord | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = errno(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw storeError(STORE_ERRORS.fsInvalid, `${location}: cannot read ${file}: ${(err as Error).message}`, 'check the permissions of the store folder', err);
  }
  try {
    const rec = JSON.parse(text) as FsRecord;
    if (rec.v !== 1 || typeof rec.key !== 'string' || typeof rec.blob !== 'string') throw new Error('unknown record format');
    return rec;
  } catch (err) {
    throw storeError(STORE_ERRORS.fsInvalid, `${location}: ${file} is not a valid object record (${(err as Error).message})`, 'delete that file (the object is lost) or the whole store folder, then deploy again', err);
  }
}

export function toHead(rec: FsRecord): ObjectHead {
  const head: ObjectHead = { key: rec.key, size: rec.size, etag: rec.etag, lastModified: new Date(rec.lastModified), metadata: { ...rec.metadata } };
  if (rec.contentType !== undefined) head.contentType = rec.contentType;
  if (rec.cacheControl !== undefined) head.cacheControl = rec.cacheControl;
  if (rec.contentEncoding !== undefined) head.contentEncoding = rec.contentEncoding;
  return head;
}

/** The headers a put or copyMetadata sets, as record fields (absent ones left out, not stored as `undefined`). */
export function headerFields(options: PutOptions): HeaderFields {
  const fields: HeaderFields = { metadata: lowerCaseKeys(options.metadata) };
  if (options.contentType !== undefined) fields.contentType = options.contentType;
  if (options.cacheControl !== undefined) fields.cacheControl = options.cacheControl;
  if (options.contentEncoding !== undefined) fields.contentEncoding = options.contentEncoding;
  return fields;
}
