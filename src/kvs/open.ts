/**
 * The KeyValueStore a target's keys (deploy pointers, redirect rules) live in: for a target
 * with a CloudFront distribution, the distribution's store (CloudFront KeyValueStore API,
 * ETag-guarded); for a local target (the fs store, or an S3 endpoint without a distribution),
 * the object `.edgeship/kvs.json` in the target's store, which the local edge reads.
 */
import type { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import type { TargetConfig } from '../config/schema.js';
import { EdgeshipError, EXIT } from '../errors.js';
import type { ObjectStore } from '../store/types.js';
import { LocalKvs } from './local-kvs.js';
import type { SiteKvs } from './site-kvs.js';

export async function openSiteKvs(target: TargetConfig, targetName: string, store: ObjectStore, client?: CloudFrontKeyValueStoreClient): Promise<SiteKvs> {
  if (target.distributionId === undefined) return new LocalKvs(store);
  if (!target.keyValueStoreArn) {
    throw new EdgeshipError('NO_KEY_VALUE_STORE', `target "${targetName}" has a CloudFront distribution but no keyValueStoreArn: a deploy has nowhere to write its KeyValueStore keys (atomic pointers, redirects)`, {
      exitCode: EXIT.usage,
      hint: `set targets.${targetName}.keyValueStoreArn to the stack output KeyValueStoreArn (edgeship provision writes it; the stack creates the store for a url-handler that calls cf.kvs())`,
    });
  }
  // Loaded on use: only a provisioned target needs the KeyValueStore SDK.
  const { CloudFrontKvs } = await import('./cloudfront-kvs.js');
  const [{ CloudFrontKeyValueStoreClient: Client }] = await Promise.all([
    import('@aws-sdk/client-cloudfront-keyvaluestore'),
    // The KeyValueStore API is signed with SigV4a: the SDK's JavaScript implementation, opted into by importing it.
    import('@aws-sdk/signature-v4a'),
  ]);
  return new CloudFrontKvs(client ?? new Client({ region: 'us-east-1' }), target.keyValueStoreArn);
}
