import type { ObjectHead, ObjectStore } from './types.js';

/** A small object read whole: its bytes and its head. */
export interface StoredBytes {
  bytes: Buffer;
  head: ObjectHead;
}

/** Reads a small object whole (a manifest, a lock); `undefined` when the key does not exist. */
export async function getBytes(store: ObjectStore, key: string): Promise<StoredBytes | undefined> {
  const got = await store.get(key);
  if (!got) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of got.body as AsyncIterable<Buffer>) chunks.push(c);
  return { bytes: Buffer.concat(chunks), head: got.head };
}
