/**
 * A provisioned site's KeyValueStore, written with the CloudFront KeyValueStore API. Every
 * write names the store's ETag (`IfMatch`): a store someone else changed in between answers
 * ConflictException, and the update starts over from a fresh read.
 */
import {
  CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  ListKeysCommand,
  UpdateKeysCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { EdgeshipError, EXIT } from '../errors.js';
import { effectiveChange, type KvsChange, type KvsChangeFor, type KvsUpdate, type SiteKvs } from './site-kvs.js';

/** Keys per UpdateKeys request (puts and deletes together), kept under the API's per-request limit. */
export const UPDATE_BATCH = 50;

export class CloudFrontKvs implements SiteKvs {
  constructor(
    private readonly client: CloudFrontKeyValueStoreClient,
    readonly location: string,
    private readonly maxAttempts = 3,
  ) {}

  async read(): Promise<Record<string, string>> {
    return Object.fromEntries(await listKeys(this.client, this.location));
  }

  async update(change: KvsChange | KvsChangeFor): Promise<KvsUpdate> {
    const arn = this.location;
    for (let attempt = 1; ; attempt++) {
      const { ETag } = await this.client.send(new DescribeKeyValueStoreCommand({ KvsARN: arn }));
      const effective = effectiveChange(await this.read(), change);
      const result = { put: effective.put.length, deleted: effective.delete.length, unchanged: effective.unchanged, conflicts: attempt - 1 };
      // Puts first, then deletes: a function reading the store mid-update never misses a key it still needs.
      const ops = [...effective.put.map(([Key, Value]) => ({ put: { Key, Value } })), ...effective.delete.map((Key) => ({ del: { Key } }))];
      try {
        let etag = ETag;
        for (let i = 0; i < ops.length; i += UPDATE_BATCH) {
          const batch = ops.slice(i, i + UPDATE_BATCH);
          const puts = batch.flatMap((o) => ('put' in o ? [o.put] : []));
          const deletes = batch.flatMap((o) => ('del' in o ? [o.del] : []));
          const out = await this.client.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: etag, ...(puts.length ? { Puts: puts } : {}), ...(deletes.length ? { Deletes: deletes } : {}) }));
          etag = out.ETag;
        }
        return result;
      } catch (error) {
        if ((error as { name?: string }).name === 'ConflictException' && attempt < this.maxAttempts) continue;
        throw new EdgeshipError('KVS_WRITE_FAILED', `could not write ${ops.length} key(s) into ${arn}: ${(error as Error).message}`, {
          exitCode: EXIT.failed,
          cause: error,
          hint: 'run the command again: it writes only the keys that differ',
        });
      }
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
