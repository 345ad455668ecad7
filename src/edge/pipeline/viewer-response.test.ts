import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { FunctionExecutionError, FunctionValidationError } from '../contracts.js';
import { functionBridge } from '../functions-adapter.js';
import { functionFrom, tempDir } from '../functions/test-helpers.js';
import type { RequestView } from '../function-bridge.js';
import { FUNCTION_ERROR_HEADER } from './delivery.js';
import { notModifiedHeaders, runViewerResponseFunction, shapeRange } from './viewer-response.js';
import type { BehaviorRuntime, RequestRecord } from './types.js';

const body = Buffer.from('0123456789');
const cached = { status: 200, headers: { 'content-type': 'text/plain', etag: '"e"' }, body };

describe('the range a viewer asks for (§4.7, §11 case 22)', () => {
  it.each([
    ['no Range header', undefined, 200, '0123456789', undefined],
    ['one range', 'bytes=2-4', 206, '234', 'bytes 2-4/10'],
    ['a suffix range', 'bytes=-3', 206, '789', 'bytes 7-9/10'],
    ['past the end, clipped', 'bytes=8-20', 206, '89', 'bytes 8-9/10'],
    ['unsatisfiable', 'bytes=20-30', 416, '', 'bytes */10'],
    ['not a byte range: the whole object', 'items=0-1', 200, '0123456789', undefined],
  ] as const)('%s', (_name, range, status, text, contentRange) => {
    const shaped = shapeRange(cached, range, 'req-id');
    expect(shaped.status).toBe(status);
    expect(shaped.body.toString()).toBe(text);
    expect(shaped.headers['content-range']).toBe(contentRange);
  });

  it('a cached error is never cut into ranges', () => {
    expect(shapeRange({ ...cached, status: 404 }, 'bytes=0-1', 'r').status).toBe(404);
  });

  it('several ranges give one multipart/byteranges body', () => {
    const shaped = shapeRange(cached, 'bytes=0-1,5-6', 'req-id');
    expect(shaped.status).toBe(206);
    expect(shaped.headers['content-type']).toMatch(/^multipart\/byteranges; boundary=/);
    expect(shaped.body.toString()).toContain('Content-Range: bytes 5-6/10');
  });
});

describe('a 304 carries the validators and caching headers only (§4.5)', () => {
  it('keeps ETag, Last-Modified, Cache-Control, Expires, Vary, Server; drops the rest', () => {
    const headers = { etag: '"e"', 'last-modified': 'x', 'cache-control': 'max-age=1', expires: 'y', vary: 'Origin', server: 'AmazonS3', 'content-type': 'text/html', 'x-amz-meta-a': '1' };
    expect(notModifiedHeaders(headers)).toEqual({ etag: '"e"', 'last-modified': 'x', 'cache-control': 'max-age=1', expires: 'y', vary: 'Origin', server: 'AmazonS3' });
  });
});

describe('viewer-response function stage (§0 step 11, §7.7)', () => {
  const dir = tempDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const view: RequestView = { method: 'GET', uri: '/a', query: '', hasQuery: false, rawHeaders: ['host', 'example.com'], clientIp: '127.0.0.1', requestId: 'r1' };
  const run = async (code: string, originStatus: number) => {
    const fn = await functionFrom(dir, code);
    const record: Partial<RequestRecord> = {};
    const errors: unknown[] = [];
    const rt = { viewerResponse: fn } as BehaviorRuntime;
    const out = await runViewerResponseFunction({ bridge: functionBridge('d.cloudfront.net'), onFunctionError: (e) => errors.push(e) }, { rt, view, record }, originStatus, { status: 200, headers: { 'content-type': 'text/plain' } });
    return { out, record, errors };
  };
  const addHeader = `function handler(event) { event.response.headers['x-added'] = { value: 'yes' }; return event.response; }`;

  it('runs the function and records its run', async () => {
    const { out, record } = await run(addHeader, 200);
    expect(out.headers['x-added']).toBe('yes');
    expect(record.functionRuns).toEqual([expect.objectContaining({ eventType: 'viewer-response', computeUtilization: expect.any(Number) })]);
  });

  it('does not run when the origin answered 400 or more, even if a custom error response made it 200 (§7.2)', async () => {
    const { out, record } = await run(addHeader, 404);
    expect(out.headers['x-added']).toBeUndefined();
    expect(record.functionRuns).toBeUndefined();
  });

  it.each([
    ['a throw', `function handler(event) { throw new Error('boom'); }`, 503, FunctionExecutionError],
    ['a body set in viewer-response', `function handler(event) { event.response.body = { encoding: 'text', data: 'x' }; return event.response; }`, 502, FunctionValidationError],
  ])('%s marks the response for CloudFront\'s error page and reports the error', async (_name, code, status, kind) => {
    const { out, errors, record } = await run(code, 200);
    expect(out.status).toBe(status);
    expect(out.headers[FUNCTION_ERROR_HEADER]).toBe(`${kind.name} from cloudfront`);
    expect(errors[0]).toBeInstanceOf(kind);
    expect(record.functionRuns?.[0]?.error).toMatch(new RegExp(`^${kind.name}: `));
  });
});
