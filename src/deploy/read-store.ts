import type { ObjectStore } from '../store/types.js';
import type { Manifest, ManifestEntry, RemoteObject } from './types.js';

/** What a deploy reads from the store before it plans: every object, and the deploy manifest. */
export interface StoreContents {
  listed: RemoteObject[];
  manifest: Manifest;
  /** The ETag the manifest was read at; none when the store had no manifest. */
  manifestEtag?: string;
  /** What an interrupted deploy wrote after that manifest (its journal), when one was left. */
  journal?: Record<string, ManifestEntry>;
}

/**
 * Lists the store and reads its manifest. The listing's first request goes out before this
 * returns; the manifest code (and its schema library) loads after it.
 */
export function readStore(store: ObjectStore): Promise<StoreContents> {
  const listing = listAll(store);
  const manifest = import('./manifest.js').then(({ readManifestWithEtag }) => readManifestWithEtag(store));
  const journal = import('./journal.js').then(async ({ readJournal, journalFor }) => ({ read: await readJournal(store), journalFor }));
  return Promise.all([listing, manifest, journal]).then(([listed, m, j]) => ({ listed, manifest: m.manifest, manifestEtag: m.etag, journal: j.journalFor(j.read, m.etag) }));
}

async function listAll(store: ObjectStore): Promise<RemoteObject[]> {
  const out: RemoteObject[] = [];
  for await (const o of store.list()) out.push(o);
  return out;
}
