import { isDeepStrictEqual } from 'node:util';
import { DEPLOY_DEFAULTS } from '../config/deploy-defaults.js';
import { isRecord } from '../config/file.js';
import type { DeployConfig } from '../config/deploy-schema.js';
import type { StoreConfig } from '../config/schema.js';
import type { S3StoreOptions } from '../store/s3-store.js';
import type { ObjectStore } from '../store/types.js';
import { readStore, type StoreContents, type StoreReading } from './read-store.js';
import { s3StoreOptions, type S3StoreConfig } from './target.js';

/**
 * A deploy's first requests, sent from the config as read, before it is validated: loading the
 * schema library and checking the config take a tenth of a second that the store can spend on
 * the listing. It only reads, and a deploy uses it only when the validated config opens the
 * store with the very same options; otherwise it is dropped.
 */
export interface EarlyRead {
  options: S3StoreOptions;
  /** `performance.now()` when it started: the deploy's time counts from here. */
  startedAt: number;
  store: ObjectStore & { destroy(): void };
  reading: StoreReading;
  /** The listing and manifest, as `reading.contents`. */
  contents: Promise<StoreContents>;
}

const field = (v: unknown, key: string): unknown => (isRecord(v) && Object.hasOwn(v, key) ? v[key] : undefined);
const numberOr = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);

/** Starts listing the S3 store a raw config names for a target; `undefined` for other stores or a config it cannot read. */
export async function startEarlyRead(raw: unknown, targetName: string): Promise<EarlyRead | undefined> {
  const startedAt = performance.now();
  const store = field(field(field(raw, 'targets'), targetName), 'store');
  if (!isRecord(store) || store.type !== 's3' || typeof store.bucket !== 'string') return undefined;
  const deploy = field(raw, 'deploy');
  const options = s3StoreOptions(store as S3StoreConfig, {
    concurrency: numberOr(field(deploy, 'concurrency'), DEPLOY_DEFAULTS.concurrency),
    multipartThreshold: numberOr(field(deploy, 'multipartThreshold'), DEPLOY_DEFAULTS.multipartThreshold),
  });
  try {
    const { S3Store } = await import('../store/s3-store.js');
    const s3 = new S3Store(options);
    const reading = readStore(s3); // awaited by the deploy, or dropped with it
    return { options, startedAt, store: s3, reading, contents: reading.contents };
  } catch {
    return undefined; // what the store refuses, the validation reports
  }
}

/** The early read, when the validated target opens its store with the options it was started with. */
export function matchEarlyRead(early: EarlyRead | undefined, config: StoreConfig, deploy: Pick<DeployConfig, 'concurrency' | 'multipartThreshold'>): EarlyRead | undefined {
  if (!early || config.type !== 's3') return undefined;
  return isDeepStrictEqual(early.options, s3StoreOptions(config, deploy)) ? early : undefined;
}
