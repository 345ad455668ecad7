/**
 * The one viewer-response function, run in the local CloudFront Functions runtime: the status a
 * `_redirects` 404 rule marked (spec §7.3: a viewer-response function may change statusCode)
 * and the `_headers` rules no path pattern expresses, both from the same code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { viewerResponseEvent } from '../edge/functions/event.js';
import { loadEdgeFunction } from '../edge/functions/runtime.js';
import { requestEvent, tempDir } from '../edge/functions/test-helpers.js';
import { headersFunctionEntries } from '../headers-file/function-code.js';
import { parseHeaders } from '../headers-file/parse.js';
import { responseFunctionCode, type ResponseFunctionParts } from './code.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function answer(parts: ResponseFunctionParts, requestHeaders: [string, string][], marked = true) {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.js`);
  fs.writeFileSync(file, responseFunctionCode(parts, marked).code);
  const fn = await loadEdgeFunction(file, { timeLimitMs: 5_000 });
  const event = viewerResponseEvent(requestEvent('/blog/nope/index.html', [['Host', 'example.com'], ...requestHeaders]), { statusCode: 200, headers: { 'content-type': 'text/html' } });
  const out = await fn.runViewerResponse(event);
  return { status: `${out.statusCode} ${out.statusDescription ?? ''}`.trim(), headers: Object.fromEntries(Object.entries(out.headers).filter(([k]) => k.startsWith('x-')).map(([k, v]) => [k, v.value])) };
}

const { rules } = parseHeaders('/blog/:slug/\n  X-Post: yes\n', 'netlify');
const BOTH: ResponseFunctionParts = { headers: { file: '_headers', entries: headersFunctionEntries(rules, ['x-post']) }, statuses: { 404: 'Not Found' } };
const PATH: [string, string] = ['X-Edgeship-Path', '/blog/nope/'];

describe('edgeship viewer-response function', () => {
  it('answers with the status a rule marked, and sets the _headers headers of the asked path', async () => {
    expect(await answer(BOTH, [PATH, ['X-Edgeship-Status', '404']])).toEqual({ status: '404 Not Found', headers: { 'x-post': 'yes' } });
  });

  it('leaves the status of an unmarked request', async () => {
    expect(await answer(BOTH, [PATH])).toEqual({ status: '200', headers: { 'x-post': 'yes' } });
  });

  it('sets only the statuses it was compiled with', async () => {
    expect((await answer(BOTH, [PATH, ['X-Edgeship-Status', '500']])).status).toBe('200');
    expect((await answer({ headers: BOTH.headers }, [PATH, ['X-Edgeship-Status', '404']])).status).toBe('200');
  });

  it('with statuses only, sets no header', async () => {
    expect(await answer({ statuses: { 404: 'Not Found' } }, [PATH, ['X-Edgeship-Status', '404']])).toEqual({ status: '404 Not Found', headers: {} });
  });

  it('the copy for behaviors without the url-handler trusts neither header a viewer could send', async () => {
    // The object's own path (/blog/nope/index.html) matches no rule: the viewer's X-Edgeship-Path is not read, nor its status.
    expect(await answer(BOTH, [['X-Edgeship-Path', '/blog/x/'], ['X-Edgeship-Status', '404']], false)).toEqual({ status: '200', headers: {} });
  });
});
