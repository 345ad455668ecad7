import type { ObjectStore } from '../store/types.js';
import { getBytes, type StoredBytes } from '../store/get-bytes.js';
import { JOURNAL_KEY } from './reserved-keys.js';
import { parseManifest, serializeManifest } from './manifest.js';
import type { ManifestEntry } from './types.js';

export { JOURNAL_KEY } from './reserved-keys.js';

/** Writes recorded before the journal is written again (and at the end of every phase). */
export const JOURNAL_EVERY = 100;

const NO_MANIFEST = 'none';

/** The journal a deploy left, with the ETag of the manifest it was started on (`none`: there was none). */
export async function readJournal(store: ObjectStore): Promise<JournalRead | undefined> {
  return journalFrom(await getBytes(store, JOURNAL_KEY), store.location);
}

export type JournalRead = { base: string; entries: Record<string, ManifestEntry> };

/** The journal from its object as read (`undefined`: none was left). */
export function journalFrom(got: StoredBytes | undefined, location: string): JournalRead | undefined {
  if (!got) return undefined;
  return { base: got.head.metadata.base ?? '', entries: parseManifest(got.bytes, `${location} ${JOURNAL_KEY}`).entries };
}

/** The journal's entries, when it was started on the manifest read at `manifestEtag` (any later manifest supersedes it). */
export function journalFor(journal: JournalRead | undefined, manifestEtag: string | undefined): Record<string, ManifestEntry> | undefined {
  return journal && journal.base === (manifestEtag ?? NO_MANIFEST) ? journal.entries : undefined;
}

/** Records a deploy's writes and writes them to the store every JOURNAL_EVERY writes (one write in flight at a time). */
export class Journal {
  readonly #entries: Record<string, ManifestEntry>;
  #pending = 0;
  #writing: Promise<void> = Promise.resolve();
  #written = false;
  writes = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly manifestEtag: string | undefined,
    private readonly deployId: number,
    /** Entries of a journal left by an interrupted deploy: still true, kept. */
    previous: Record<string, ManifestEntry> = {},
    private readonly checkpoint?: () => void,
  ) {
    this.#entries = { ...previous };
    this.#written = Object.keys(previous).length > 0;
  }

  record(key: string, entry: ManifestEntry): void {
    this.#entries[key] = entry;
    if (++this.#pending >= JOURNAL_EVERY) void this.flush().catch(() => undefined);
  }

  /** Writes what was recorded so far; resolves once it is in the store. */
  flush(): Promise<void> {
    if (this.#pending === 0) return this.#writing;
    this.#pending = 0;
    const entries = { ...this.#entries };
    this.#writing = this.#writing.then(async () => {
      this.checkpoint?.();
      const body = serializeManifest({ version: 1, deploys: [{ id: this.deployId, at: new Date(0).toISOString() }], entries });
      await this.store.put(JOURNAL_KEY, body, { contentType: 'application/x-brotli', cacheControl: 'no-store', metadata: { base: this.manifestEtag ?? NO_MANIFEST } });
      this.writes++;
      this.#written = true;
    });
    return this.#writing;
  }

  /** Once the manifest records the deploy, the journal has nothing left to say. */
  async discard(): Promise<void> {
    await this.#writing.catch(() => undefined);
    if (!this.#written) return;
    const { errors } = await this.store.deleteMany([JOURNAL_KEY]);
    // Left behind, it would be ignored (it names the manifest before this one), but say so.
    if (errors.length > 0) throw new Error(`the deploy is recorded, but ${JOURNAL_KEY} could not be removed: ${errors[0]!.code} ${errors[0]!.message}`);
  }
}
