/**
 * Writes the keys of `edge.kvs` into the site's CloudFront KeyValueStore after `provision`
 * (the stack creates the store empty: an ImportSource would be a file asset, which needs
 * `cdk bootstrap`). Every write names the store's ETag (`IfMatch`): a store someone else
 * changed in between answers ConflictException, and the sync starts over from a fresh read.
 */
import {
  CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  ListKeysCommand,
  UpdateKeysCommand,
  type PutKeyRequestListItem,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { EdgeshipError, EXIT } from '../errors.js';

/** Keys per UpdateKeys request (puts and deletes together), kept under the API's per-request limit. */
export const UPDATE_BATCH = 50;

export interface KvsSync {
  put: number;
  deleted: number;
  unchanged: number;
  /** Reads that had to start over because the store changed under the sync. */
  conflicts: number;
}

export async function syncKvsKeys(client: CloudFrontKeyValueStoreClient, arn: string, entries: Readonly<Record<string, string>>, maxAttempts = 3): Promise<KvsSync> {
  for (let attempt = 1; ; attempt++) {
    const { ETag } = await client.send(new DescribeKeyValueStoreCommand({ KvsARN: arn }));
    const existing = await listKeys(client, arn);
    const puts: PutKeyRequestListItem[] = Object.entries(entries).filter(([k, v]) => existing.get(k) !== v).map(([Key, Value]) => ({ Key, Value }));
    const deletes = [...existing.keys()].filter((k) => !Object.hasOwn(entries, k)).map((Key) => ({ Key }));
    const result = { put: puts.length, deleted: deletes.length, unchanged: Object.keys(entries).length - puts.length, conflicts: attempt - 1 };
    if (puts.length === 0 && deletes.length === 0) return result;
    try {
      let etag = ETag;
      // Puts first, then deletes: a function reading the store mid-sync never misses a key it still needs.
      const ops = [...puts.map((p) => ({ put: p })), ...deletes.map((d) => ({ del: d }))];
      for (let i = 0; i < ops.length; i += UPDATE_BATCH) {
        const batch = ops.slice(i, i + UPDATE_BATCH);
        const putBatch = batch.flatMap((o) => ('put' in o ? [o.put] : []));
        const delBatch = batch.flatMap((o) => ('del' in o ? [o.del] : []));
        const out = await client.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: etag, ...(putBatch.length ? { Puts: putBatch } : {}), ...(delBatch.length ? { Deletes: delBatch } : {}) }));
        etag = out.ETag;
      }
      return result;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConflictException' && attempt < maxAttempts) continue;
      throw new EdgeshipError('KVS_SYNC_FAILED', `could not write the keys of edge.kvs into ${arn}: ${(error as Error).message}`, {
        exitCode: EXIT.failed,
        cause: error,
        hint: 'run edgeship provision again: it writes only the keys that differ',
      });
    }
  }
}

async function listKeys(client: CloudFrontKeyValueStoreClient, arn: string): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await client.send(new ListKeysCommand({ KvsARN: arn, NextToken: token }));
    for (const item of page.Items ?? []) if (item.Key !== undefined) keys.set(item.Key, item.Value ?? '');
    token = page.NextToken;
  } while (token);
  return keys;
}
