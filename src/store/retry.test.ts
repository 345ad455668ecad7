import { describe, expect, it } from 'vitest';
import { EdgeshipError } from '../errors.js';
import { backoffDelay, isRetryable, RETRY_DEFAULTS, RetriesExhausted, withRetry } from './retry.js';

const sdkError = (name: string, status?: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
const netError = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('isRetryable', () => {
  it.each([
    ['503 SlowDown', sdkError('SlowDown', 503)],
    ['429 Too Many Requests', sdkError('TooManyRequestsException', 429)],
    ['500 InternalError', sdkError('InternalError', 500)],
    ['502 with an unknown code', sdkError('UnknownError', 502)],
    ['ECONNRESET', netError('ECONNRESET')],
    ['socket hang up', new Error('socket hang up')],
    ['a request timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['ETIMEDOUT', netError('ETIMEDOUT')],
    ['a retryable cause', new Error('wrapped', { cause: netError('EPIPE') })],
  ])('retries %s', (_label, err) => {
    expect(isRetryable(err)).toBe(true);
  });

  it.each([
    ['403 AccessDenied', sdkError('AccessDenied', 403)],
    ['404 NoSuchKey', sdkError('NoSuchKey', 404)],
    ['400 InvalidRange', sdkError('InvalidRange', 416)],
    ['a typed edgeship error', new EdgeshipError('STORE_BODY_MISMATCH', 'upload was aborted')],
    ['a plain error', new Error('boom')],
    ['undefined', undefined],
  ])('does not retry %s', (_label, err) => {
    expect(isRetryable(err)).toBe(false);
  });
});

describe('backoffDelay (full jitter)', () => {
  it('grows exponentially up to the cap, scaled by the random draw', () => {
    const o = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 5].map((r) => backoffDelay(r, o, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, o, () => 0)).toBe(0);
    expect(backoffDelay(2, o, () => 0.5)).toBe(200);
  });
});

describe('withRetry', () => {
  it('retries transient failures, then returns the result', async () => {
    const slept: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        if (++calls < 3) throw sdkError('SlowDown', 503);
        return 'ok';
      },
      { sleep: async (ms) => void slept.push(ms), random: () => 0.5 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(slept).toEqual([RETRY_DEFAULTS.baseDelayMs * 0.5, RETRY_DEFAULTS.baseDelayMs]);
  });

  it('rethrows a non-retryable error at once', async () => {
    let calls = 0;
    const denied = sdkError('AccessDenied', 403);
    await expect(withRetry(async () => (calls++, Promise.reject(denied)), { sleep: async () => undefined })).rejects.toBe(denied);
    expect(calls).toBe(1);
  });

  it('gives up after `attempts` with RetriesExhausted carrying the last error', async () => {
    let calls = 0;
    const err = await withRetry(async () => (calls++, Promise.reject(netError('ECONNRESET'))), { attempts: 3, sleep: async () => undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhausted);
    expect(err).toMatchObject({ attempts: 3, last: { code: 'ECONNRESET' } });
    expect(calls).toBe(3);
  });
});
