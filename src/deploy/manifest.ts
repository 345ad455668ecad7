import { z } from 'zod';
import { RESERVED_PREFIX } from '../edge/contracts.js';
import { EdgeshipError, EXIT } from '../errors.js';
import type { ObjectStore } from '../store/types.js';
import { DEPLOY_ERRORS } from './errors.js';
import type { Manifest } from './types.js';

/** The deploy manifest's key in the store. */
export const MANIFEST_KEY = `${RESERVED_PREFIX}deploy-manifest.json`;

/** Deploys remembered in the manifest (and per key): enough for any sane `deploy.retainDeploys`. */
export const MANIFEST_HISTORY = 20;

const entrySchema = z.object({
  md5: z.string(),
  etag: z.string(),
  size: z.number().int().min(0),
  cacheControl: z.string(),
  contentType: z.string(),
  deploys: z.array(z.number().int()),
  removedAt: z.string().optional(),
});

const manifestSchema = z.object({
  version: z.literal(1),
  deploys: z.array(z.object({ id: z.number().int(), at: z.string() })),
  entries: z.record(z.string(), entrySchema),
});

export function emptyManifest(): Manifest {
  return { version: 1, deploys: [], entries: {} };
}

export function parseManifest(text: string, where: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw manifestError(where, `is not JSON (${(error as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw manifestError(where, `does not have the expected shape: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

function manifestError(where: string, detail: string): EdgeshipError {
  return new EdgeshipError(DEPLOY_ERRORS.badManifest, `the deploy manifest ${where} ${detail}`, {
    exitCode: EXIT.failed,
    hint: `delete the object "${MANIFEST_KEY}" from the store: the next deploy compares ETags and rewrites it`,
  });
}

export function serializeManifest(manifest: Manifest): Buffer {
  return Buffer.from(JSON.stringify(manifest));
}

/** Reads the manifest; a store without one (a first deploy, or a bucket filled by another tool) gives an empty one. */
export async function readManifest(store: ObjectStore): Promise<Manifest> {
  const got = await store.get(MANIFEST_KEY);
  if (!got) return emptyManifest();
  const chunks: Buffer[] = [];
  for await (const chunk of got.body as AsyncIterable<Buffer>) chunks.push(chunk);
  return parseManifest(Buffer.concat(chunks).toString('utf8'), `${store.location} ${MANIFEST_KEY}`);
}

export async function writeManifest(store: ObjectStore, manifest: Manifest): Promise<void> {
  await store.put(MANIFEST_KEY, serializeManifest(manifest), { contentType: 'application/json', cacheControl: 'no-store' });
}
