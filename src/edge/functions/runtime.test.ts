import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FunctionExecutionError, FunctionValidationError, type CfRequest, type CfResponse } from '../contracts.js';
import { FunctionLoadError } from './errors.js';
import { applyCfRequest, generatedResponse, viewerResponseEvent } from './event.js';
import { functionFrom, requestEvent, tempDir } from './test-helpers.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A function that reports what it saw in one response header, as JSON. */
const REPORT = (expr: string) => `function handler(event) {
  return { statusCode: 200, headers: { 'x-seen': { value: JSON.stringify(${expr}) } } };
}`;

async function seen(expr: string, url = '/', headers?: [string, string][]): Promise<unknown> {
  const fn = await functionFrom(dir, REPORT(expr));
  const result = await fn.runViewerRequest(requestEvent(url, headers));
  if (!('response' in result)) throw new Error('expected a response');
  return JSON.parse(result.response.headers['x-seen']?.value ?? 'null');
}

describe('viewer-request results (spec §7.2, §11 case 23)', () => {
  it('§11 case 23: a generated 301 is returned as a response, never as a request', async () => {
    const fn = await functionFrom(
      dir,
      `function handler(event) {
        return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: 'https://example.com/' } } };
      }`,
    );
    const result = await fn.runViewerRequest(requestEvent('/old'));
    expect(result).toEqual({
      response: { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: 'https://example.com/' } }, cookies: {} },
    });
    const http = generatedResponse((result as { response: CfResponse }).response);
    expect(http).toMatchObject({ status: 301, statusMessage: 'Moved Permanently', headers: { location: 'https://example.com/' } });
    expect(http.body.length).toBe(0);
  });

  it('a returned request carries the changed uri and keeps everything else', async () => {
    const fn = await functionFrom(dir, `function handler(event) { event.request.uri = '/x/index.html'; return event.request; }`);
    const event = requestEvent('/x?b=2&a=1', [['Host', 'example.com'], ['Accept', 'text/html']]);
    const result = await fn.runViewerRequest(event);
    const request = (result as { request: CfRequest }).request;
    expect(request).toEqual({ ...event.request, uri: '/x/index.html' });
    expect(applyCfRequest(event, request).url).toBe('/x/index.html?b=2&a=1');
  });

  it('a handler declared as a const arrow function is found too', async () => {
    const fn = await functionFrom(dir, `const handler = (event) => { event.request.uri = '/arrow'; return event.request; };`);
    expect(await fn.runViewerRequest(requestEvent('/'))).toMatchObject({ request: { uri: '/arrow' } });
  });

  it('async handlers with await run to completion (cloudfront-js-2.0, §7.1)', async () => {
    const fn = await functionFrom(
      dir,
      `async function handler(event) {
        const a = await Promise.resolve('/a');
        const b = await new Promise((resolve) => resolve('/b'));
        event.request.uri = a + b;
        return event.request;
      }`,
    );
    const result = await fn.runViewerRequest(requestEvent('/'));
    expect((result as { request: CfRequest }).request.uri).toBe('/a/b');
  });

  it("each invocation gets a fresh copy of the event; the caller's event is never changed", async () => {
    const fn = await functionFrom(
      dir,
      `function handler(event) {
        const before = event.request.headers['x-mark'] ? 'dirty' : 'clean';
        event.request.headers['x-mark'] = { value: before };
        return event.request;
      }`,
    );
    const event = requestEvent('/');
    const first = (await fn.runViewerRequest(event)) as { request: CfRequest };
    const second = (await fn.runViewerRequest(event)) as { request: CfRequest };
    expect(first.request.headers['x-mark']).toEqual({ value: 'clean' });
    expect(second.request.headers['x-mark']).toEqual({ value: 'clean' });
    expect(event.request.headers['x-mark']).toBeUndefined();
  });
});

describe('errors (spec §7.7, §11 case 24)', () => {
  it('§11 case 24: a function that throws ends as FunctionExecutionError (503)', async () => {
    const fn = await functionFrom(dir, `function handler(event) {\n  throw new Error('boom');\n}`);
    const error = await fn.runViewerRequest(requestEvent('/')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionExecutionError);
    expect(error).toMatchObject({ status: 503, xCache: 'FunctionExecutionError from cloudfront' });
    expect((error as Error).message).toMatch(/Error: boom \(at handler \(.*fn-\d+\.js:2:9\)\)/);
  });

  it('§11 case 24: assigning the read-only host header ends as FunctionValidationError (502)', async () => {
    const fn = await functionFrom(dir, `function handler(event) { event.request.headers.host = { value: 'evil.com' }; return event.request; }`);
    const error = await fn.runViewerRequest(requestEvent('/')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionValidationError);
    expect(error).toMatchObject({ status: 502, xCache: 'FunctionValidationError from cloudfront' });
    expect((error as Error).message).toContain('"host" is read-only');
  });

  it.each([
    ['a rejected promise', `async function handler(event) { await null; throw new TypeError('late'); }`, /TypeError: late/],
    ['no return value', `function handler(event) { event.request.uri = '/x'; }`, /returned nothing/],
    ['a promise that never settles', `function handler(event) { return new Promise(() => {}); }`, /never settled/],
    ['a reference to require', `function handler(event) { return require('fs'); }`, /require is not defined/],
    ['eval (§7.4)', `function handler(event) { return eval('event.request'); }`, /EvalError/],
    ['new Function (§7.4)', `function handler(event) { return new Function('return 1')(); }`, /EvalError/],
  ])('%s ends as FunctionExecutionError (503)', async (_label, code, message) => {
    const fn = await functionFrom(dir, code);
    const error = await fn.runViewerRequest(requestEvent('/')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionExecutionError);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    ['a statusCode that is not an integer', `return { statusCode: '200' };`, /statusCode must be an integer/],
    ['a statusCode out of range', `return { statusCode: 99 };`, /statusCode must be an integer/],
    ['a header value that is not a string', `return { statusCode: 200, headers: { 'x-a': { value: 1 } } };`, /x-a\.value must be a string, got number/],
    ['a header CloudFront does not let functions add (§7.4)', `return { statusCode: 200, headers: { 'x-cache': { value: 'Hit' } } };`, /"x-cache" cannot be added/],
    ['a header name with a space', `return { statusCode: 200, headers: { 'x a': { value: 'a' } } };`, /must be token characters/],
    ['a body with invalid base64', `return { statusCode: 200, body: { encoding: 'base64', data: '@@@' } };`, /not valid base64/],
    ['a uri without a leading slash', `event.request.uri = 'index.html'; return event.request;`, /starting with "\/"/],
    ['a query string with a space', `event.request.querystring = { q: { value: 'a b' } }; return event.request;`, /no spaces/],
    ['a cookie value with ";" (it would split the Cookie header)', `event.request.cookies.a = { value: '1; admin=1' }; return event.request;`, /cannot contain ";"/],
    ['a changed method (read-only, §7.3)', `event.request.method = 'POST'; return event.request;`, /method is read-only/],
    ['the whole event', `return event;`, /not the whole event/],
    ['a string', `return 'ok';`, /got string/],
    ['a circular object', `const r = { statusCode: 200 }; r.self = r; return r;`, /cannot be serialized/],
  ])('returning %s ends as FunctionValidationError (502)', async (_label, body, message) => {
    const fn = await functionFrom(dir, `function handler(event) { ${body} }`);
    const error = await fn.runViewerRequest(requestEvent('/')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionValidationError);
    expect((error as Error).message).toMatch(message);
  });

  it('header names as CloudFront takes them: X-A is lower-cased, not refused', async () => {
    const fn = await functionFrom(dir, `function handler(event) { return { statusCode: 200, headers: { 'X-A': { value: 'a' }, 'Cache-Control': { value: 'no-store' } } }; }`);
    const result = (await fn.runViewerRequest(requestEvent('/'))) as { response: CfResponse };
    expect(result.response.headers).toEqual({ 'x-a': { value: 'a' }, 'cache-control': { value: 'no-store' } });
  });

  it('a body set by a viewer-response function ends as FunctionValidationError (502): the body is never visible there', async () => {
    const fn = await functionFrom(dir, `function handler(event) { var r = event.response; r.body = 'replaced'; return r; }`);
    const event = { ...requestEvent('/'), response: { statusCode: 200, headers: {}, cookies: {} } };
    const run = await fn.invoke('viewer-response', event);
    expect(run.error).toBeInstanceOf(FunctionValidationError);
    expect(run.error?.message).toContain('response.body cannot be set by a viewer-response function');
  });

  it("console.log('a', 'b', {c: 1}) logs one line with every argument", async () => {
    const fn = await functionFrom(dir, `function handler(event) { console.log('a', 'b', { c: 1 }); return event.request; }`);
    expect((await fn.invoke('viewer-request', requestEvent('/'))).logs).toEqual(['a b {"c":1}']);
  });

  it('a rejected promise the function leaves unhandled never reaches Node (which would end the process)', async () => {
    const seen: unknown[] = [];
    const spy = (reason: unknown) => seen.push(reason);
    process.on('unhandledRejection', spy);
    try {
      const fn = await functionFrom(
        dir,
        `Promise.reject(new Error('at load'));
        function Later(executor) { return Reflect.construct(Promise, [executor], Later); }
        Object.setPrototypeOf(Later, Promise);
        Later.prototype = Object.create(Promise.prototype);
        async function later() { await null; throw new Error('after await'); }
        async function handler(event) {
          Promise.reject(new Error('side'));
          later();
          Later.reject(new Error('subclass'));
          return event.request;
        }`,
      );
      expect(await fn.runViewerRequest(requestEvent('/'))).toMatchObject({ request: { uri: '/' } });
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual([]);
    } finally {
      process.off('unhandledRejection', spy);
    }
  });

  it('an infinite loop is stopped at the time limit as FunctionExecutionError (503), and the function keeps working', async () => {
    const fn = await functionFrom(
      dir,
      `function handler(event) {
        if (event.request.uri === '/loop') { for (;;) {} }
        return event.request;
      }`,
      // Generous enough that the trivial second run is not stopped on a heavily loaded machine.
      { timeLimitMs: 200 },
    );
    const error = await fn.runViewerRequest(requestEvent('/loop')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionExecutionError);
    expect((error as Error).message).toContain('longer than 200 ms');
    expect(await fn.runViewerRequest(requestEvent('/ok'))).toMatchObject({ request: { uri: '/ok' } });
  });

  it('an infinite loop after an await is stopped too (microtasks run inside the limit)', async () => {
    const fn = await functionFrom(dir, `async function handler(event) { await null; while (true) {} }`, { timeLimitMs: 30 });
    await expect(fn.runViewerRequest(requestEvent('/'))).rejects.toBeInstanceOf(FunctionExecutionError);
  });
});

describe('loading (spec §7.1, §7.5)', () => {
  it('a syntax error is a FunctionLoadError naming the file and line', async () => {
    const error = await functionFrom(dir, `function handler(event) {\n  return event.request\n  var = 1;\n}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionLoadError);
    expect(error).toMatchObject({ code: 'FUNCTION_SYNTAX', line: 3 });
    expect((error as Error).message).toMatch(/fn-\d+\.js:3: syntax error/);
  });

  it('a negative or fractional time limit is refused', async () => {
    await expect(functionFrom(dir, `function handler(event) { return event.request; }`, { timeLimitMs: -1 })).rejects.toBeInstanceOf(RangeError);
    await expect(functionFrom(dir, `function handler(event) { return event.request; }`, { timeLimitMs: 1.5 })).rejects.toBeInstanceOf(RangeError);
  });

  it('a file without a handler is refused', async () => {
    await expect(functionFrom(dir, `function main(event) { return event.request; }`)).rejects.toMatchObject({ code: 'FUNCTION_NO_HANDLER' });
  });

  it('code over 10 KB is refused (§7.5)', async () => {
    const code = `function handler(event) { return event.request; }\n// ${'x'.repeat(10_240)}`;
    await expect(functionFrom(dir, code)).rejects.toMatchObject({ code: 'FUNCTION_TOO_LARGE' });
  });

  it('optional chaining is refused: it fails at run time in CloudFront (§7.1 [obs])', async () => {
    await expect(functionFrom(dir, `function handler(event) {\n  return event?.request;\n}`)).rejects.toMatchObject({ code: 'FUNCTION_UNSUPPORTED', line: 2 });
  });

  it('dynamic import() is refused at load', async () => {
    await expect(functionFrom(dir, `async function handler(event) { await import('fs'); return event.request; }`)).rejects.toMatchObject({
      code: 'FUNCTION_UNSUPPORTED',
    });
  });

  it('§11 case 26: the cloudfront module is not available under cloudfront-js-1.0', async () => {
    const code = `import cf from 'cloudfront';\nfunction handler(event) { return event.request; }`;
    await expect(functionFrom(dir, code, { runtime: 'cloudfront-js-1.0' })).rejects.toMatchObject({ code: 'FUNCTION_UNSUPPORTED', line: 1 });
    await expect(functionFrom(dir, `function handler(event) { const a = 1; return event.request; }`, { runtime: 'cloudfront-js-1.0' })).rejects.toMatchObject({
      code: 'FUNCTION_UNSUPPORTED',
    });
  });

  it('import of an unknown module is refused', async () => {
    await expect(functionFrom(dir, `import fs from 'fs';\nfunction handler(event) { return event.request; }`)).rejects.toMatchObject({ code: 'FUNCTION_UNSUPPORTED' });
  });
});

describe('sandbox (spec §7.4)', () => {
  it.each([
    ['require', 'typeof require'],
    ['process', 'typeof process'],
    ['setTimeout', 'typeof setTimeout'],
    ['setImmediate', 'typeof setImmediate'],
    ['fetch', 'typeof fetch'],
    ['SharedArrayBuffer', 'typeof SharedArrayBuffer'],
    ['FinalizationRegistry (its callbacks would run outside the time limit)', 'typeof FinalizationRegistry'],
    ['WebAssembly', 'typeof WebAssembly'],
  ])('%s is undefined', async (_name, expr) => {
    expect(await seen(expr)).toBe('undefined');
  });

  it.each([
    ['globalThis.constructor.constructor', `globalThis.constructor.constructor('return process')()`],
    ['the Function of console.log', `console.log.constructor('return process')()`],
    ['the AsyncFunction constructor', `Object.getPrototypeOf(handler).constructor('return process')()`],
    ['a thrown error', `(() => { try { null.x; } catch (e) { return e.constructor.constructor('return process')(); } })()`],
  ])('%s does not reach the host process', async (_label, expr) => {
    // An async handler: its prototype's constructor is the context's AsyncFunction.
    const fn = await functionFrom(dir, `async ${REPORT(`(function () { const p = ${expr}; return p && typeof p.exit; })()`)}`);
    const error = await fn.runViewerRequest(requestEvent('/')).catch((e: unknown) => e);
    // Code generation from strings is off, so each attempt throws EvalError inside the context.
    expect(error).toBeInstanceOf(FunctionExecutionError);
    expect((error as Error).message).toContain('EvalError');
  });

  it('a failing log sink never reaches the function nor the viewer: lines are delivered after the run', async () => {
    const fn = await functionFrom(
      dir,
      `function handler(event) {
        let caught = 'none';
        try { console.log('x'); } catch (e) { caught = e.name; }
        return { statusCode: 200, headers: { 'x-seen': { value: caught } } };
      }`,
      {
        onLog: () => {
          throw new Error('log sink failed');
        },
      },
    );
    const result = (await fn.runViewerRequest(requestEvent('/'))) as { response: CfResponse };
    expect(result.response.headers['x-seen']?.value).toBe('none');
  });

  it("this.constructor.constructor('return process')() fails in the handler (this is undefined) and at top level (no code generation)", async () => {
    const inHandler = await functionFrom(dir, `function handler(event) { return this.constructor.constructor('return process')().mainModule; }`);
    await expect(inHandler.runViewerRequest(requestEvent('/'))).rejects.toThrow(/TypeError: Cannot read properties of undefined/);
    const atTop = functionFrom(dir, `var p = this.constructor.constructor('return process')();\nfunction handler(event) { return event.request; }`);
    await expect(atTop).rejects.toMatchObject({ code: 'FUNCTION_INIT', message: expect.stringContaining('EvalError') as unknown });
  });

  it('replacing JSON, Object.defineProperty, iterators or Function.prototype.call does not break the runtime', async () => {
    const fn = await functionFrom(
      dir,
      `JSON.parse = function () { throw new Error('patched'); };
      Array.prototype[Symbol.iterator] = function () { throw new Error('patched'); };
      Function.prototype.call = function () { throw new Error('patched'); };
      Object.defineProperty(Object.prototype, 'get', { value: function () { throw new Error('patched'); }, writable: true, configurable: true });
      Object.prototype.toJSON = undefined;
      function handler(event) {
        JSON.stringify = function () { return '{"ok":true,"value":{"statusCode":418}}'; };
        Object.defineProperty = function () { throw new Error('patched'); };
        event.request.uri = '/kept';
        return event.request;
      }`,
    );
    expect(await fn.runViewerRequest(requestEvent('/'))).toMatchObject({ request: { uri: '/kept' } });
    expect(await fn.runViewerRequest(requestEvent('/'))).toMatchObject({ request: { uri: '/kept' } });
  });

  it('a thrown Proxy or a getter that loops is handled inside the time limit', async () => {
    const fn = await functionFrom(
      dir,
      `function handler(event) {
        if (event.request.uri === '/proxy') throw new Proxy({}, { get() { for (;;) {} }, getPrototypeOf() { for (;;) {} } });
        return { statusCode: 200, get headers() { for (;;) {} } };
      }`,
      { timeLimitMs: 50 },
    );
    await expect(fn.runViewerRequest(requestEvent('/proxy'))).rejects.toThrow(/longer than 50 ms/);
    await expect(fn.runViewerRequest(requestEvent('/getter'))).rejects.toThrow(/longer than 50 ms/);
  });

  it('"this" in a top-level handler call is undefined (strict mode, §7.1)', async () => {
    expect(await seen('(function () { return typeof this; })()')).toBe('undefined');
  });

  it('Date is pinned to the start of the run (§7.4)', async () => {
    const fn = await functionFrom(
      dir,
      `function handler(event) {
        let spin = 0; for (let i = 0; i < 1e5; i++) spin += i;
        return { statusCode: 200, headers: { 'x-now': { value: String(Date.now()) + ' ' + new Date().toISOString() } } };
      }`,
      { clock: () => Date.UTC(2030, 0, 2, 3, 4, 5), lenientCompute: true },
    );
    const result = (await fn.runViewerRequest(requestEvent('/'))) as { response: CfResponse };
    expect(result.response.headers['x-now']?.value).toBe(`${Date.UTC(2030, 0, 2, 3, 4, 5)} 2030-01-02T03:04:05.000Z`);
  });

  it('console.log lines go to onLog, bounded at 10 KB per invocation (§7.5)', async () => {
    const lines: string[] = [];
    const fn = await functionFrom(
      dir,
      `function handler(event) {
        console.log('uri ' + event.request.uri);
        console.log({ a: 1 });
        for (let i = 0; i < 100; i++) console.log('x'.repeat(200));
        return event.request;
      }`,
      { name: 'logger', onLog: (line, name) => lines.push(`${name}: ${line}`) },
    );
    await fn.runViewerRequest(requestEvent('/p'));
    expect(lines.slice(0, 2)).toEqual(['logger: uri /p', 'logger: {"a":1}']);
    expect(lines.at(-1)).toBe('logger: [log truncated at 10240 bytes]');
    expect(lines.length).toBeLessThan(60);
  });
});

describe('event shape and write-back (spec §7.3, §11 case 25)', () => {
  it('§11 case 25: two Accept lines become value + multiValue; no query string is {}', async () => {
    const request = (await seen('event.request', '/', [
      ['Host', 'example.com'],
      ['Accept', 'a'],
      ['Accept', 'b'],
    ])) as CfRequest;
    expect(request.headers.accept).toEqual({ value: 'a', multiValue: [{ value: 'a' }, { value: 'b' }] });
    expect(request.querystring).toEqual({});
  });

  it('§11 case 25: when both multiValue and value are edited, multiValue wins', async () => {
    const fn = await functionFrom(
      dir,
      `function handler(event) {
        const accept = event.request.headers.accept;
        accept.value = 'ignored';
        accept.multiValue = [{ value: 'x' }, { value: 'y' }, { value: 'z' }];
        return event.request;
      }`,
    );
    const event = requestEvent('/', [['Host', 'example.com'], ['Accept', 'a'], ['Accept', 'b']]);
    const { request } = (await fn.runViewerRequest(event)) as { request: CfRequest };
    expect(request.headers.accept).toEqual({ value: 'x', multiValue: [{ value: 'x' }, { value: 'y' }, { value: 'z' }] });
    expect(applyCfRequest(event, request).headers.accept).toEqual(['x', 'y', 'z']);
  });

  it('a changed value alone replaces the first occurrence; the others stay (§7.3)', async () => {
    const fn = await functionFrom(dir, `function handler(event) { event.request.headers.accept.value = 'c'; return event.request; }`);
    const { request } = (await fn.runViewerRequest(requestEvent('/', [['Accept', 'a'], ['Accept', 'b']]))) as { request: CfRequest };
    expect(request.headers.accept).toEqual({ value: 'c', multiValue: [{ value: 'c' }, { value: 'b' }] });
  });

  it('repeated query parameters and cookies get multiValue; rawQueryString() returns the query as sent (§7.6)', async () => {
    const request = (await seen('[event.request.querystring, event.request.cookies, event.request.rawQueryString()]', '/p?q=1&q=2&flag&e=%20', [
      ['Cookie', 'a=1; b=2'],
      ['Cookie', 'a=3'],
    ])) as unknown[];
    expect(request[0]).toEqual({ q: { value: '1', multiValue: [{ value: '1' }, { value: '2' }] }, flag: { value: '' }, e: { value: '%20' } });
    expect(request[1]).toEqual({ a: { value: '1', multiValue: [{ value: '1' }, { value: '3' }] }, b: { value: '2' } });
    expect(request[2]).toBe('q=1&q=2&flag&e=%20');
    expect(await seen('event.request.rawQueryString() === undefined', '/p')).toBe(true);
  });

  it('the context carries the distribution and request id (§7.3)', async () => {
    const fn = await functionFrom(dir, REPORT('event.context'), { distributionDomainName: 'd111.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE' });
    const result = (await fn.runViewerRequest(requestEvent('/'))) as { response: CfResponse };
    expect(JSON.parse(result.response.headers['x-seen']?.value ?? '')).toEqual({
      distributionDomainName: 'd111.cloudfront.net',
      distributionId: 'EDFDVBD6EXAMPLE',
      eventType: 'viewer-request',
      requestId: 'req-1',
    });
  });

  it('a query string assigned as a string is forwarded as written (AWS normalize-query-string example)', async () => {
    const fn = await functionFrom(
      dir,
      `function handler(event) {
        var qs = [];
        for (var key in event.request.querystring) qs.push(key + '=' + event.request.querystring[key].value);
        event.request.querystring = qs.sort().join('&');
        return event.request;
      }`,
    );
    const event = requestEvent('/p?b=2&a=1');
    const { request } = (await fn.runViewerRequest(event)) as { request: CfRequest };
    expect(request.querystring).toEqual({ a: { value: '1' }, b: { value: '2' } });
    expect(applyCfRequest(event, request).url).toBe('/p?a=1&b=2');
  });
});

describe('viewer-response functions (spec §7.2)', () => {
  const responseEvent = () =>
    viewerResponseEvent(requestEvent('/a'), {
      statusCode: 200,
      headers: { 'content-type': 'text/html', via: '1.1 x.cloudfront.net (CloudFront)', 'set-cookie': ['s=1; Path=/'], 'x-cache': 'Hit from cloudfront' },
    });

  it('a changed response comes back with headers and cookies; the function does not see disallowed headers', async () => {
    const fn = await functionFrom(
      dir,
      `function handler(event) {
        const r = event.response;
        r.headers['x-seen'] = { value: Object.keys(r.headers).sort().join(',') };
        r.cookies.t = { value: '2', attributes: 'Secure' };
        return r;
      }`,
    );
    const response = await fn.runViewerResponse(responseEvent());
    expect(response.headers['x-seen']).toEqual({ value: 'content-type,via' });
    expect(response.cookies).toEqual({ s: { value: '1', attributes: 'Path=/' }, t: { value: '2', attributes: 'Secure' } });
  });

  it('changing the read-only via header ends as FunctionValidationError (§7.4)', async () => {
    const fn = await functionFrom(dir, `function handler(event) { delete event.response.headers.via; return event.response; }`);
    await expect(fn.runViewerResponse(responseEvent())).rejects.toBeInstanceOf(FunctionValidationError);
  });

  it('returning the request from a viewer-response function is invalid', async () => {
    const fn = await functionFrom(dir, `function handler(event) { return event.request; }`);
    await expect(fn.runViewerResponse(responseEvent())).rejects.toBeInstanceOf(FunctionValidationError);
  });
});

describe('crypto and querystring modules (spec §7.6)', () => {
  it('createHash / createHmac match node:crypto', async () => {
    const out = await seen(`(function () {
      const crypto = require('crypto');
      return [
        crypto.createHash('sha256').update('héllo').digest('hex'),
        crypto.createHmac('sha1', 'key').update('a').update('b').digest('base64'),
        Array.from(crypto.createHash('md5').update('x').digest()).length,
      ];
    })()`);
    const { createHash, createHmac } = await import('node:crypto');
    expect(out).toEqual([createHash('sha256').update('héllo').digest('hex'), createHmac('sha1', 'key').update('ab').digest('base64'), 16]);
  });

  it('import querystring / atob / btoa / TextEncoder work in cloudfront-js-2.0', async () => {
    const fn = await functionFrom(
      dir,
      `import qs from 'querystring';
      function handler(event) {
        const v = [qs.parse('a=1&a=2&b=%20x'), qs.stringify({ a: ['1', '2'], c: 'd e' }), btoa('hi'), atob('aGk='), new TextEncoder().encode('é').length];
        return { statusCode: 200, headers: { 'x-seen': { value: JSON.stringify(v) } } };
      }`,
    );
    const result = (await fn.runViewerRequest(requestEvent('/'))) as { response: CfResponse };
    expect(JSON.parse(result.response.headers['x-seen']?.value ?? '')).toEqual([{ a: ['1', '2'], b: ' x' }, 'a=1&a=2&c=d%20e', 'aGk=', 'hi', 2]);
  });
});

describe('Buffer (cloudfront-js-2.0, spec §7.1)', () => {
  it('encodes, decodes, concatenates and compares like Node', async () => {
    const out = await seen(`(function () {
      const b = Buffer.from('héllo');
      const u = Buffer.from('dXNlcjpwYXNz', 'base64').toString();
      const c = Buffer.concat([Buffer.from([1, 2]), Buffer.alloc(2, 0xff)]);
      const n = Buffer.alloc(8);
      n.writeUInt32BE(0xdeadbeef, 0);
      n.writeInt16LE(-2, 4);
      return [b.length, b.toString('hex'), b.toString('base64url'), u, Array.from(c), Buffer.isBuffer(c), c instanceof Uint8Array,
        n.readUInt32BE(0), n.readInt16LE(4), Buffer.byteLength('é'), Buffer.compare(Buffer.from('a'), Buffer.from('b')),
        Buffer.from('abc').equals(Buffer.from('abc')), Buffer.from('abcdef').subarray(1, 3).toString(), Buffer.from('ff00', 'hex').readUint16BE()];
    })()`);
    const b = Buffer.from('héllo');
    expect(out).toEqual([b.length, b.toString('hex'), b.toString('base64url'), 'user:pass', [1, 2, 255, 255], true, true, 0xdeadbeef, -2, 2, -1, true, 'bc', 0xff00]);
  });

  it("digest() without an encoding returns a Buffer (§7.6); import buffer from 'buffer' works", async () => {
    const fn = await functionFrom(
      dir,
      `import buffer from 'buffer';
      import crypto from 'crypto';
      function handler(event) {
        const d = crypto.createHash('sha1').update('x').digest();
        return { statusCode: 200, headers: { 'x-seen': { value: JSON.stringify([buffer.Buffer === Buffer, Buffer.isBuffer(d), d.toString('hex')]) } } };
      }`,
    );
    const result = (await fn.runViewerRequest(requestEvent('/'))) as { response: CfResponse };
    const { createHash } = await import('node:crypto');
    expect(JSON.parse(result.response.headers['x-seen']?.value ?? '')).toEqual([true, true, createHash('sha1').update('x').digest('hex')]);
  });

  it('an unknown encoding is a TypeError of the function', async () => {
    const fn = await functionFrom(dir, `function handler(event) { return Buffer.from('x', 'klingon'); }`);
    await expect(fn.runViewerRequest(requestEvent('/'))).rejects.toThrow(/TypeError: Unknown encoding: klingon/);
  });
});

describe('KeyValueStore (spec §7.6, §11 case 26)', () => {
  const kvsFile = path.join(dir, 'kvs.json');
  fs.writeFileSync(kvsFile, JSON.stringify({ data: [{ key: 'greeting', value: 'hello' }, { key: 'conf', value: '{"n":2}' }] }));
  const KVS = (body: string) => `import cf from 'cloudfront';
const kvs = cf.kvs();
async function handler(event) {
  ${body}
}`;

  it('§11 case 26: get of a missing key rejects; uncaught, the run ends as FunctionExecutionError (503)', async () => {
    const fn = await functionFrom(dir, KVS(`await kvs.get('missing'); return event.request;`), { kvsFile });
    const error = await fn.runViewerRequest(requestEvent('/')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionExecutionError);
    expect((error as Error).message).toContain('key "missing" does not exist');
  });

  it('§11 case 26: exists of a missing key is false; get returns strings, json and bytes; meta counts keys', async () => {
    const fn = await functionFrom(
      dir,
      KVS(`const out = [await kvs.exists('missing'), await kvs.exists('greeting'), await kvs.get('greeting'), (await kvs.get('conf', { format: 'json' })).n,
        (await kvs.get('greeting', { format: 'bytes' })).length, (await kvs.meta()).keyCount];
      let caught = 'no';
      try { await kvs.get('missing'); } catch (e) { caught = 'yes'; }
      out.push(caught);
      return { statusCode: 200, headers: { 'x-seen': { value: JSON.stringify(out) } } };`),
      { kvsFile },
    );
    const result = (await fn.runViewerRequest(requestEvent('/'))) as { response: CfResponse };
    expect(JSON.parse(result.response.headers['x-seen']?.value ?? '')).toEqual([false, true, 'hello', 2, 5, 2, 'yes']);
  });

  it('a store file that breaks the size limits is refused at load (§7.5)', async () => {
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, JSON.stringify({ k: 'v'.repeat(1_025) }));
    await expect(functionFrom(dir, KVS('return event.request;'), { kvsFile: big })).rejects.toMatchObject({ code: 'KVS_INVALID' });
  });

  it('cf.kvs() without a store fails the load of a function that opens it at top level', async () => {
    await expect(functionFrom(dir, KVS('return event.request;'))).rejects.toMatchObject({ code: 'FUNCTION_INIT' });
  });
});
