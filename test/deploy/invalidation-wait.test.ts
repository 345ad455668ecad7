/**
 * `deploy --wait`: the SDK's own waiter on GetInvalidation, against aws-sdk-client-mock. The
 * delays are a few milliseconds so the waiter's real timer stays short; nothing is timed.
 */
import { CloudFrontClient, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { waitForInvalidation } from '../../src/deploy/invalidate-cloudfront.js';
import { EdgeshipError } from '../../src/errors.js';

const cf = mockClient(CloudFrontClient);
const fast = { client: new CloudFrontClient({ region: 'us-east-1' }), minDelaySeconds: 0.001, maxDelaySeconds: 0.002 };
const invalidation = (status: string) => ({ Invalidation: { Id: 'I2J0I21PCUYOIK', Status: status, CreateTime: new Date(0), InvalidationBatch: { CallerReference: 'x', Paths: { Quantity: 1, Items: ['/about'] } } } });

beforeEach(() => cf.reset());
afterAll(() => cf.restore());

describe('waitForInvalidation', () => {
  it('returns once CloudFront reports the invalidation Completed', async () => {
    cf.on(GetInvalidationCommand).resolvesOnce(invalidation('InProgress')).resolvesOnce(invalidation('InProgress')).resolves(invalidation('Completed'));
    await waitForInvalidation('E2QWRUHEXAMPLE', 'I2J0I21PCUYOIK', fast);
    const calls = cf.commandCalls(GetInvalidationCommand);
    expect(calls).toHaveLength(3);
    expect(calls[0]!.args[0].input).toEqual({ DistributionId: 'E2QWRUHEXAMPLE', Id: 'I2J0I21PCUYOIK' });
  });

  it('gives up after maxWaitSeconds with INVALIDATION_WAIT_FAILED (exit 1), saying the deploy is done', async () => {
    cf.on(GetInvalidationCommand).resolves(invalidation('InProgress'));
    const error = (await waitForInvalidation('E2QWRUHEXAMPLE', 'I2J0I21PCUYOIK', { ...fast, maxWaitSeconds: 0.05 }).catch((e: unknown) => e)) as EdgeshipError;
    expect(error).toBeInstanceOf(EdgeshipError);
    expect(error.code).toBe('INVALIDATION_WAIT_FAILED');
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe('invalidation I2J0I21PCUYOIK on E2QWRUHEXAMPLE did not complete within 0.05 s');
    expect(error.hint).toContain('the deploy itself is done');
    expect(cf.commandCalls(GetInvalidationCommand).length).toBeGreaterThan(1);
  });
});
