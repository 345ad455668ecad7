import { CloudFrontClient, CreateInvalidationCommand, waitUntilInvalidationCompleted } from '@aws-sdk/client-cloudfront';
import { EdgeshipError, EXIT } from '../errors.js';
import { DEPLOY_ERRORS } from './errors.js';
import { CLOUDFRONT_LIMITS } from './invalidation-paths.js';

export interface CloudFrontInvalidationOptions {
  /** A client built by the caller (endpoint, credentials); default one from the environment. */
  client?: CloudFrontClient;
  /** Tries when CloudFront answers TooManyInvalidationsInProgress. Default 6. */
  maxAttempts?: number;
  /** Waits between tries; injected so that tests do not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** First wait in ms, doubled on each try. Default 5,000. */
  baseDelayMs?: number;
}

export interface CloudFrontInvalidation {
  id: string;
  attempts: number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One `CreateInvalidation` for the paths (spec §8.2). `TooManyInvalidationsInProgress`
 * (more than 3,000 individual or 15 wildcard paths in progress, §8.3) is retried with a
 * growing wait: earlier invalidations finish within minutes. The caller reference makes a
 * retried request idempotent.
 */
export async function invalidateCloudFront(
  distributionId: string,
  paths: readonly string[],
  callerReference: string,
  options: CloudFrontInvalidationOptions = {},
): Promise<CloudFrontInvalidation> {
  if (paths.length === 0) throw new Error('invalidateCloudFront needs at least one path');
  if (paths.length > CLOUDFRONT_LIMITS.individualPaths) {
    throw new EdgeshipError(DEPLOY_ERRORS.invalidationFailed, `${paths.length} paths exceed CloudFront's ${CLOUDFRONT_LIMITS.individualPaths} per invalidation`, { exitCode: EXIT.usage, hint: 'use a wildcard path such as "/docs/*"' });
  }
  const client = options.client ?? new CloudFrontClient({});
  const maxAttempts = options.maxAttempts ?? 6;
  const sleep = options.sleep ?? wait;
  let delay = options.baseDelayMs ?? 5_000;
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await client.send(
        new CreateInvalidationCommand({
          DistributionId: distributionId,
          InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: [...paths] } },
        }),
      );
      return { id: out.Invalidation?.Id ?? '', attempts: attempt };
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TooManyInvalidationsInProgress' && attempt < maxAttempts) {
        await sleep(delay);
        delay *= 2;
        continue;
      }
      throw new EdgeshipError(DEPLOY_ERRORS.invalidationFailed, `CloudFront invalidation of ${paths.length} paths on ${distributionId} failed after ${attempt} tries: ${name ?? ''} ${(error as Error).message}`, {
        exitCode: EXIT.failed,
        cause: error,
        hint: `run "edgeship invalidate ${paths.slice(0, 5).map((p) => `'${p}'`).join(' ')}${paths.length > 5 ? ' ...' : ''}" once the distribution accepts it`,
      });
    }
  }
}

export interface InvalidationWaitOptions {
  client?: CloudFrontClient;
  /** Give up after this long. Default 15 minutes (invalidations usually complete within minutes). */
  maxWaitSeconds?: number;
  /** Between two GetInvalidation calls, growing from min to max. Defaults: the SDK waiter's 20 s and 120 s. */
  minDelaySeconds?: number;
  maxDelaySeconds?: number;
}

/**
 * Waits until CloudFront reports the invalidation `Completed` (the SDK's own waiter), so what
 * runs next (an audit) sees the new objects instead of what the edge cached before.
 */
export async function waitForInvalidation(distributionId: string, id: string, options: InvalidationWaitOptions = {}): Promise<void> {
  const maxWaitTime = options.maxWaitSeconds ?? 900;
  try {
    await waitUntilInvalidationCompleted(
      { client: options.client ?? new CloudFrontClient({}), maxWaitTime, minDelay: options.minDelaySeconds ?? 20, maxDelay: options.maxDelaySeconds ?? 120 },
      { DistributionId: distributionId, Id: id },
    );
  } catch (error) {
    const timedOut = (error as { name?: string }).name === 'TimeoutError' || /TIMEOUT/.test((error as Error).message);
    throw new EdgeshipError('INVALIDATION_WAIT_FAILED', `invalidation ${id} on ${distributionId} ${timedOut ? `did not complete within ${maxWaitTime} s` : `could not be read: ${(error as Error).message}`}`, {
      exitCode: EXIT.failed,
      cause: error,
      hint: 'the deploy itself is done; CloudFront completes the invalidation on its own',
    });
  }
}
