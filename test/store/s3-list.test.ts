import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findNextToken } from '../../src/store/s3-list.js';
import { S3Store } from '../../src/store/s3-store.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.js';

const xml = (body: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult>${body}</ListBucketResult>`);

describe('findNextToken: the next page token from a raw ListObjectsV2 answer', () => {
  it.each([
    ['a truncated page', '<IsTruncated>true</IsTruncated><NextContinuationToken>abc/+=</NextContinuationToken>', 'abc/+='],
    ['the token before IsTruncated', '<NextContinuationToken>t1</NextContinuationToken><KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>', 't1'],
    ['the last page', '<IsTruncated>false</IsTruncated><Contents><Key>a</Key></Contents>', undefined],
    ['a last page that still names a token', '<IsTruncated>false</IsTruncated><NextContinuationToken>t9</NextContinuationToken>', undefined],
    ['named and numeric entities', '<IsTruncated>true</IsTruncated><NextContinuationToken>a&amp;b&lt;c&#x2F;d&#61;&quot;</NextContinuationToken>', 'a&b<c/d="'],
    ['an unclosed token', '<IsTruncated>true</IsTruncated><NextContinuationToken>abc', undefined],
    ['a key that spells the tag (escaped, so not a tag)', '<IsTruncated>false</IsTruncated><Contents><Key>&lt;NextContinuationToken&gt;x</Key></Contents>', undefined],
    ['non-ASCII', '<IsTruncated>true</IsTruncated><NextContinuationToken>clé</NextContinuationToken>', 'clé'],
  ])('%s', (_what, body, token) => {
    expect(findNextToken(xml(body))).toBe(token);
  });
});

// Listing pages answered by hand through the proxy, so the test controls tokens and timing.
const page = (keys: string[], next?: string) =>
  xml(
    `<Name>list</Name><Prefix></Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>${next !== undefined}</IsTruncated>` +
      (next !== undefined ? `<NextContinuationToken>${next}</NextContinuationToken>` : '') +
      keys.map((k) => `<Contents><Key>${k}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>0</Size></Contents>`).join(''),
  ).toString();

let s3: S3rverHandle;
let proxy: FaultProxy;
let store: S3Store;
beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'list' });
  proxy = await startFaultProxy({ target: s3.endpoint });
});
afterAll(async () => {
  store?.destroy();
  await proxy?.stop();
  await s3?.stop();
});

// The SDK sorts the query: only a first page starts with list-type.
const FIRST_PAGE = /^\/list\/\?list-type=2/;
const lists = () => proxy.stats.log.filter((l) => l.includes('list-type=2'));
const tokenOf = (line: string) => /continuation-token=([^& ]*)/.exec(line)?.[1] ?? '(first)';
/** Waits (bounded) for a condition the store or the proxy exposes, never for a guessed time. */
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
};

describe('S3Store.list reads one page ahead', () => {
  beforeEach(() => {
    proxy.clear();
    proxy.resetStats();
    store?.destroy();
    store = new S3Store({ bucket: 'list', endpoint: proxy.endpoint, forcePathStyle: true, retry: { attempts: 1 }, sdkMaxAttempts: 1 });
    proxy.inject({ method: 'GET', path: /continuation-token=t1/, fault: { type: 'respond', status: 200, contentType: 'application/xml', body: page(['c', 'd'], 't2') } });
    proxy.inject({ method: 'GET', path: /continuation-token=t2/, fault: { type: 'respond', status: 200, contentType: 'application/xml', body: page(['e']) } });
  });

  it('asks for the next page while the reader is on this one, and never two pages ahead', async () => {
    proxy.inject({ method: 'GET', path: FIRST_PAGE, fault: { type: 'respond', status: 200, contentType: 'application/xml', body: page(['a', 'b'], 't1') } });
    const it = store.list()[Symbol.asyncIterator]();
    expect((await it.next()).value).toMatchObject({ key: 'a' });
    // Page 2's answer is in and its token (t2) read: a read-ahead of two pages would have asked
    // for page 3 right then, before the count moved.
    await until(() => store.listStats.tokensSeen === 2);
    expect(store.listStats.pagesAsked).toBe(2);
    // On page 1: page 2 was asked for, page 3 was not.
    await until(() => lists().length === 2);
    expect(lists().map(tokenOf)).toEqual(['(first)', 't1']);
    const rest: string[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value.key);
    expect(rest).toEqual(['b', 'c', 'd', 'e']);
    expect(lists().map(tokenOf)).toEqual(['(first)', 't1', 't2']);
  });

  it('asks again with the parsed token when the one read from the raw answer differs', async () => {
    // CDATA: the SDK's parser reads t1, the raw search reads the CDATA markup.
    const cdata = page(['a', 'b'], 't1').replace('<NextContinuationToken>t1', '<NextContinuationToken><![CDATA[t1]]>');
    proxy.inject({ method: 'GET', path: FIRST_PAGE, fault: { type: 'respond', status: 200, contentType: 'application/xml', body: cdata } });
    const keys: string[] = [];
    for await (const o of store.list()) keys.push(o.key);
    expect(keys).toEqual(['a', 'b', 'c', 'd', 'e']);
    const asked = lists().map(tokenOf);
    expect(asked.filter((t) => t === 't1')).toHaveLength(1);
    expect(asked.length).toBe(4); // the page read ahead with the wrong token was dropped
  });

  it('does not fail a reader that stops early, whatever the page read ahead answers', async () => {
    proxy.inject({ method: 'GET', path: FIRST_PAGE, fault: { type: 'respond', status: 200, contentType: 'application/xml', body: page(['a', 'b'], 'bad') } });
    proxy.inject({ method: 'GET', path: /continuation-token=bad/, fault: { type: 'status', status: 400, code: 'InvalidArgument' } });
    for await (const o of store.list()) {
      expect(o.key).toBe('a');
      break;
    }
    await until(() => lists().length === 2);
    expect(lists().map(tokenOf)).toEqual(['(first)', 'bad']);
    expect(store.listStats.pagesAsked).toBe(2);
  });

  it('reports the error of a page read ahead to the reader that reaches it', async () => {
    proxy.inject({ method: 'GET', path: FIRST_PAGE, fault: { type: 'respond', status: 200, contentType: 'application/xml', body: page(['a'], 'bad') } });
    proxy.inject({ method: 'GET', path: /continuation-token=bad/, fault: { type: 'status', status: 400, code: 'InvalidArgument' } });
    const keys: string[] = [];
    await expect(
      (async () => {
        for await (const o of store.list()) keys.push(o.key);
      })(),
    ).rejects.toMatchObject({ message: expect.stringMatching(/list/) });
    expect(keys).toEqual(['a']);
  });
});
