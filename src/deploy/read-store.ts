import type { ObjectStore } from '../store/types.js';
import { getBytes } from '../store/get-bytes.js';
import { JOURNAL_KEY, MANIFEST_KEY } from './reserved-keys.js';
import type { Manifest, ManifestEntry, RemoteObject } from './types.js';

/** What the deploy manifest (and a journal left beside it) say about the store. */
export interface ManifestRead {
  manifest: Manifest;
  /** The ETag the manifest was read at; none when the store had no manifest. */
  manifestEtag?: string;
  /** What an interrupted deploy wrote after that manifest (its journal), when one was left. */
  journal?: Record<string, ManifestEntry>;
}

/** What a deploy reads from the store before it plans: every object, and the deploy manifest. */
export interface StoreContents extends ManifestRead {
  listed: RemoteObject[];
}

/** A read of the store under way: the manifest (one round trip) comes in before the listing (one per 1,000 keys). */
export interface StoreReading {
  manifest: Promise<ManifestRead>;
  contents: Promise<StoreContents>;
}

/**
 * Lists the store and reads its manifest and journal: the three first requests go out before
 * this returns; the code that parses the manifest (and its schema library) loads while they
 * are on their way.
 */
export function readStore(store: ObjectStore): StoreReading {
  const listing = listAll(store);
  const manifestBytes = getBytes(store, MANIFEST_KEY);
  const journalBytes = getBytes(store, JOURNAL_KEY);
  const parsing = Promise.all([import('./manifest.js'), import('./journal.js')]);
  const manifest = Promise.all([manifestBytes, journalBytes, parsing]).then(([m, j, [{ manifestFrom }, { journalFrom, journalFor }]]) => {
    const read = manifestFrom(m, store.location);
    return { manifest: read.manifest, manifestEtag: read.etag, journal: journalFor(journalFrom(j, store.location), read.etag) };
  });
  const contents = Promise.all([listing, manifest]).then(([listed, m]) => ({ listed, ...m }));
  // Either may be dropped unawaited when the other fails first; each failure still reaches whoever awaits it.
  manifest.catch(() => undefined);
  contents.catch(() => undefined);
  return { manifest, contents };
}

async function listAll(store: ObjectStore): Promise<RemoteObject[]> {
  const out: RemoteObject[] = [];
  for await (const o of store.list()) out.push(o);
  return out;
}
