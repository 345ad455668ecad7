/**
 * A site's KeyValueStore data for the local edge, kept as one JSON object (`{"key": "value"}`,
 * the shape `readKvsFile` reads) in the site's own store under the reserved prefix the edge
 * never serves. The deploy writes it; the local edge reads it beside `edge.kvs`. Writes are
 * conditional on the object's ETag, so two writers at once never lose a key on a store that
 * enforces the condition; on one that only checks it (s3rver), the deploy lock every writer
 * holds keeps them apart.
 */
import { RESERVED_PREFIX } from '../edge/contracts.js';
import { EdgeshipError, EXIT } from '../errors.js';
import { isStoreError, STORE_ERRORS } from '../store/errors.js';
import type { ObjectStore } from '../store/types.js';
import { kvsLimitProblem } from './limits.js';
import { effectiveChange, type KvsChange, type KvsChangeFor, type KvsUpdate, type SiteKvs } from './site-kvs.js';

export const LOCAL_KVS_KEY = `${RESERVED_PREFIX}kvs.json`;

export class LocalKvs implements SiteKvs {
  readonly location: string;

  constructor(
    private readonly store: ObjectStore,
    private readonly maxAttempts = 5,
  ) {
    this.location = `${store.location} ${LOCAL_KVS_KEY}`;
  }

  async read(): Promise<Record<string, string>> {
    return (await this.readVersioned()).entries;
  }

  async update(change: KvsChange | KvsChangeFor): Promise<KvsUpdate> {
    for (let attempt = 1; ; attempt++) {
      const { entries, etag } = await this.readVersioned();
      const effective = effectiveChange(entries, change);
      const result = { put: effective.put.length, deleted: effective.delete.length, unchanged: effective.unchanged, conflicts: attempt - 1 };
      if (effective.put.length === 0 && effective.delete.length === 0) return result;
      const next: Record<string, string> = { ...entries };
      for (const [k, v] of effective.put) next[k] = v;
      for (const k of effective.delete) delete next[k];
      const problem = kvsLimitProblem(Object.entries(next));
      if (problem) throw new EdgeshipError('KVS_LIMIT', `${this.location}: ${problem}`, { exitCode: EXIT.usage, hint: 'shorten the key or value, or keep fewer keys' });
      const body = Buffer.from(`${JSON.stringify(sortedObject(next), null, 1)}\n`);
      try {
        await this.store.put(LOCAL_KVS_KEY, body, { contentType: 'application/json', cacheControl: 'no-store', ...(etag ? { ifMatch: etag } : { ifNoneMatch: '*' }) });
        return result;
      } catch (error) {
        if (isStoreError(error, STORE_ERRORS.preconditionFailed) && attempt < this.maxAttempts) continue;
        throw error;
      }
    }
  }

  private async readVersioned(): Promise<{ entries: Record<string, string>; etag?: string }> {
    const got = await this.store.get(LOCAL_KVS_KEY);
    if (!got) return { entries: {} };
    const chunks: Buffer[] = [];
    for await (const chunk of got.body) chunks.push(chunk as Buffer);
    return { entries: parseLocalKvs(this.location, Buffer.concat(chunks).toString('utf8')), etag: got.head.etag };
  }
}

/** Parses the stored object; anything but an object of strings is a clear error naming the key. */
export function parseLocalKvs(location: string, text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw corrupt(location, `not JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw corrupt(location, 'expected a JSON object of string values');
  const entries: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') throw corrupt(location, `the value of "${k}" is not a string`);
    entries[k] = v;
  }
  return entries;
}

function corrupt(location: string, why: string): EdgeshipError {
  return new EdgeshipError('KVS_CORRUPT', `${location}: ${why}`, {
    exitCode: EXIT.failed,
    hint: `the deploy writes this object; delete it and deploy again to rewrite it`,
  });
}

function sortedObject(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
