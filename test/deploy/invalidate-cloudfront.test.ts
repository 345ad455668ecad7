import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { afterEach, describe, expect, it } from 'vitest';
import { invalidateCloudFront } from '../../src/deploy/invalidate-cloudfront.js';

const NS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';
const tooMany = `<?xml version="1.0"?><ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>TooManyInvalidationsInProgress</Code><Message>Your request contains too many invalidations.</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
const created = (id: string) =>
  `<?xml version="1.0"?><Invalidation xmlns="${NS}"><Id>${id}</Id><Status>InProgress</Status><CreateTime>2026-03-01T00:00:00Z</CreateTime><InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/a</Path></Items></Paths><CallerReference>c</CallerReference></InvalidationBatch></Invalidation>`;

/**
 * The CreateInvalidation REST endpoint (API 2020-05-31) on 127.0.0.1: answers
 * TooManyInvalidationsInProgress `busy` times, then 201. The real SDK talks to it over HTTP.
 */
async function fakeCloudFront(busy: number) {
  const requests: { url: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ url: `${req.method} ${req.url}`, body });
      if (requests.length <= busy) return void res.writeHead(400, { 'content-type': 'text/xml' }).end(tooMany);
      res.writeHead(201, { 'content-type': 'text/xml', location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/E1/invalidation/I${requests.length}` }).end(created(`I${requests.length}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new CloudFrontClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { client, requests };
}
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe('invalidateCloudFront (spec §8.2, §8.3)', () => {
  it('sends one CreateInvalidation with the paths and the caller reference', async () => {
    const cf = await fakeCloudFront(0);
    const result = await invalidateCloudFront('E1', ['/about', '/about/'], 'ref-7', { client: cf.client });
    expect(result).toEqual({ id: 'I1', attempts: 1 });
    expect(cf.requests).toHaveLength(1);
    expect(cf.requests[0]!.url).toBe('POST /2020-05-31/distribution/E1/invalidation');
    expect(cf.requests[0]!.body).toContain('<Path>/about</Path><Path>/about/</Path>');
    expect(cf.requests[0]!.body).toContain('<Quantity>2</Quantity>');
    expect(cf.requests[0]!.body).toContain('<CallerReference>ref-7</CallerReference>');
  });

  it('retries TooManyInvalidationsInProgress with a growing wait, same caller reference', async () => {
    const cf = await fakeCloudFront(2);
    const waits: number[] = [];
    const result = await invalidateCloudFront('E1', ['/*'], 'ref-8', { client: cf.client, sleep: async (ms) => void waits.push(ms), baseDelayMs: 100 });
    expect(result).toEqual({ id: 'I3', attempts: 3 });
    expect(waits).toEqual([100, 200]);
    expect(new Set(cf.requests.map((r) => /<CallerReference>(.*)<\/CallerReference>/.exec(r.body)?.[1]))).toEqual(new Set(['ref-8']));
  });

  it('stops after maxAttempts with an error that says how to retry by hand', async () => {
    const cf = await fakeCloudFront(100);
    await expect(invalidateCloudFront('E1', ['/a'], 'r', { client: cf.client, sleep: async () => {}, maxAttempts: 3 })).rejects.toMatchObject({
      code: 'INVALIDATE_FAILED',
      message: expect.stringMatching(/after 3 tries: TooManyInvalidationsInProgress/),
      hint: expect.stringMatching(/edgeship invalidate '\/a'/),
    });
    expect(cf.requests).toHaveLength(3);
  });
});
