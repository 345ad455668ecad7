import zlib from 'node:zlib';
import { z } from 'zod';
import { EdgeshipError, EXIT } from '../errors.js';
import { isStoreError, STORE_ERRORS } from '../store/errors.js';
import type { ObjectStore } from '../store/types.js';
import { getBytes, type StoredBytes } from '../store/get-bytes.js';
import { DEPLOY_ERRORS } from './errors.js';
import type { Manifest, ManifestEntry } from './types.js';
import { MANIFEST_KEY } from './reserved-keys.js';

export { MANIFEST_KEY } from './reserved-keys.js';

/** Deploys remembered in the manifest's history. */
export const MANIFEST_HISTORY = 20;

/** One key on the store: `[md5, size, header index, first deploy, last deploy?, removedAt?, etag?]` as an object with short names. */
const storedEntrySchema = z.object({
  m: z.string(),
  s: z.number().int().min(0),
  h: z.number().int().min(0),
  f: z.number().int(),
  l: z.number().int().optional(),
  r: z.string().optional(),
  e: z.string().optional(),
});

const storedSchema = z.object({
  version: z.literal(1),
  deploys: z.array(z.object({ id: z.number().int(), at: z.string() })),
  /** `[cacheControl, contentType]` pairs. */
  headers: z.array(z.tuple([z.string(), z.string()])),
  entries: z.record(z.string(), storedEntrySchema),
});
type Stored = z.infer<typeof storedSchema>;

export function emptyManifest(): Manifest {
  return { version: 1, deploys: [], entries: {} };
}

export function serializeManifest(manifest: Manifest): Buffer {
  const headers: [string, string][] = [];
  const index = new Map<string, number>();
  const entries: Stored['entries'] = {};
  for (const key of Object.keys(manifest.entries).sort()) {
    const e = manifest.entries[key]!;
    const id = `${e.cacheControl}\n${e.contentType}`;
    let h = index.get(id);
    if (h === undefined) {
      h = headers.push([e.cacheControl, e.contentType]) - 1;
      index.set(id, h);
    }
    entries[key] = { m: e.md5, s: e.size, h, f: e.firstDeploy, ...(e.lastDeploy !== undefined && { l: e.lastDeploy }), ...(e.removedAt !== undefined && { r: e.removedAt }), ...(e.etag !== e.md5 && { e: e.etag }) };
  }
  const stored: Stored = { version: 1, deploys: manifest.deploys, headers, entries };
  // Quality 4: the hex digests do not compress further (level 9 took 5x the time and gave 3% more bytes).
  return zlib.brotliCompressSync(Buffer.from(JSON.stringify(stored)), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
}

export function parseManifest(bytes: Buffer, where: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(zlib.brotliDecompressSync(bytes).toString('utf8'));
  } catch (error) {
    throw manifestError(where, `cannot be read (${(error as Error).message})`);
  }
  const parsed = storedSchema.safeParse(raw);
  if (!parsed.success) throw manifestError(where, `does not have the expected shape: ${parsed.error.issues[0]?.message ?? ''}`);
  const { deploys, headers, entries } = parsed.data;
  const out: Record<string, ManifestEntry> = {};
  for (const [key, e] of Object.entries(entries)) {
    const h = headers[e.h];
    if (!h) throw manifestError(where, `names header set ${e.h} for "${key}", which it does not have`);
    out[key] = { md5: e.m, etag: e.e ?? e.m, size: e.s, cacheControl: h[0], contentType: h[1], firstDeploy: e.f, ...(e.l !== undefined && { lastDeploy: e.l }), ...(e.r !== undefined && { removedAt: e.r }) };
  }
  return { version: 1, deploys, entries: out };
}

function manifestError(where: string, detail: string): EdgeshipError {
  return new EdgeshipError(DEPLOY_ERRORS.badManifest, `the deploy manifest ${where} ${detail}`, {
    exitCode: EXIT.failed,
    hint: `delete the object "${MANIFEST_KEY}" from the store: the next deploy compares ETags and rewrites it`,
  });
}

/** Reads the manifest; a store without one (a first deploy, or a bucket filled by another tool) gives an empty one. */
export async function readManifest(store: ObjectStore): Promise<Manifest> {
  return (await readManifestWithEtag(store)).manifest;
}

/** The manifest and the ETag it was read at (none when the store has no manifest): the condition of the next write. */
export async function readManifestWithEtag(store: ObjectStore): Promise<{ manifest: Manifest; etag: string | undefined }> {
  return manifestFrom(await getBytes(store, MANIFEST_KEY), store.location);
}

/** The manifest from its object as read (`undefined`: there is none, a first deploy). */
export function manifestFrom(got: StoredBytes | undefined, location: string): { manifest: Manifest; etag: string | undefined } {
  if (!got) return { manifest: emptyManifest(), etag: undefined };
  return { manifest: parseManifest(got.bytes, `${location} ${MANIFEST_KEY}`), etag: got.head.etag };
}

/**
 * Writes the manifest. With `readAt` (the ETag it was read at, `null` when there was none), only
 * while it is still the one read (`If-Match`, `If-None-Match: *`): a deploy that lost its lock
 * never overwrites what another deploy recorded. Returns the new ETag.
 */
export async function writeManifest(store: ObjectStore, manifest: Manifest, readAt?: string | null): Promise<string> {
  const condition = readAt === undefined ? {} : readAt === null ? { ifNoneMatch: '*' as const } : { ifMatch: readAt };
  try {
    return (await store.put(MANIFEST_KEY, serializeManifest(manifest), { contentType: 'application/x-brotli', cacheControl: 'no-store', ...condition })).etag;
  } catch (error) {
    if (!isStoreError(error, STORE_ERRORS.preconditionFailed)) throw error;
    throw new EdgeshipError(DEPLOY_ERRORS.manifestChanged, `${store.location}: the deploy manifest changed since this deploy read it: another deploy wrote to this target meanwhile; this deploy's manifest was not written`, {
      exitCode: EXIT.failed,
      cause: error,
      hint: 'run the deploy again once the other one has finished: it compares the store with the build and converges',
    });
  }
}
