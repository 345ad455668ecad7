/**
 * Writes the keys of `edge.kvs` into the site's CloudFront KeyValueStore after `provision`
 * (the stack creates the store empty: an ImportSource would be a file asset, which needs
 * `cdk bootstrap`). Only what differs is written, ETag-guarded (`CloudFrontKvs`); the keys
 * edgeship keeps there itself (deploy pointers, redirects: `es:` keys) are left alone.
 */
import type { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { EdgeshipError, EXIT } from '../errors.js';
import { CloudFrontKvs } from '../kvs/cloudfront-kvs.js';
import { isReservedKvsKey } from '../kvs/keys.js';
import type { KvsUpdate } from '../kvs/site-kvs.js';

export { UPDATE_BATCH } from '../kvs/cloudfront-kvs.js';
export type KvsSync = KvsUpdate;

export async function syncKvsKeys(client: CloudFrontKeyValueStoreClient, arn: string, entries: Readonly<Record<string, string>>, maxAttempts = 3): Promise<KvsSync> {
  const reserved = Object.keys(entries).filter(isReservedKvsKey);
  if (reserved.length > 0) {
    throw new EdgeshipError('KVS_RESERVED_KEY', `edge.kvs holds key(s) edgeship keeps for itself: ${reserved.slice(0, 5).join(', ')}`, {
      exitCode: EXIT.usage,
      hint: 'rename the keys: the "es:" prefix holds deploy pointers and redirects',
    });
  }
  try {
    return await new CloudFrontKvs(client, arn, maxAttempts).update((current) => ({
      put: entries,
      delete: Object.keys(current).filter((k) => !isReservedKvsKey(k) && !Object.hasOwn(entries, k)),
    }));
  } catch (error) {
    if (!(error instanceof EdgeshipError)) throw error;
    throw new EdgeshipError('KVS_SYNC_FAILED', `could not write the keys of edge.kvs into ${arn}: ${error.message}`, {
      exitCode: EXIT.failed,
      cause: error,
      hint: 'run edgeship provision again: it writes only the keys that differ',
    });
  }
}
