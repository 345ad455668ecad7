import type { ObjectStore } from '../store/types.js';
import type { Manifest, RemoteObject } from './types.js';

/** What a deploy reads from the store before it plans: every object, and the deploy manifest. */
export interface StoreContents {
  listed: RemoteObject[];
  manifest: Manifest;
}

/**
 * Lists the store and reads its manifest. The listing's first request goes out before this
 * returns; the manifest code (and its schema library) loads after it.
 */
export function readStore(store: ObjectStore): Promise<StoreContents> {
  const listing = listAll(store);
  const manifest = import('./manifest.js').then(({ readManifest }) => readManifest(store));
  return Promise.all([listing, manifest]).then(([listed, m]) => ({ listed, manifest: m }));
}

async function listAll(store: ObjectStore): Promise<RemoteObject[]> {
  const out: RemoteObject[] = [];
  for await (const o of store.list()) out.push(o);
  return out;
}
