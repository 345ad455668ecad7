/**
 * `edgeship functions test` gives the four parts of `aws cloudfront test-function`
 * (TestResult: FunctionOutput, FunctionExecutionLogs, FunctionErrorMessage, ComputeUtilization)
 * for events in CloudFront's documented format.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetFiles } from '../../src/cli/init.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { GUIDE_EXAMPLE_EVENT, viewerRequestTestEvent } from './aws-events.js';

let dir: string;
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};

async function cli(...argv: string[]) {
  const io = memoryIo(dir);
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr, json: () => (JSON.parse(io.stdout) as { TestResult: Record<string, unknown> }).TestResult };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-fntest-'));
  for (const [rel, text] of Object.entries(presetFiles('nextjs-export', 'example.com'))) write(rel, text);
  write('events/about.json', JSON.stringify(viewerRequestTestEvent('/about', 'example.com')));
  write('events/www.json', JSON.stringify(viewerRequestTestEvent('/pricing', 'www.example.com')));
  write('events/guide.json', JSON.stringify(GUIDE_EXAMPLE_EVENT));
  write(
    'edge/add-header.js',
    `async function handler(event) {\n  const response = event.response;\n  console.log('status ' + response.statusCode);\n  response.headers['x-content-type-options'] = { value: 'nosniff' };\n  return response;\n}\n`,
  );
  write(
    'edge/kvs-redirect.js',
    `import cf from 'cloudfront';\nconst kvs = cf.kvs();\nasync function handler(event) {\n  const to = await kvs.get('redirect:' + event.request.uri);\n  return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: to } } };\n}\n`,
  );
  write('kvs.json', JSON.stringify({ data: [{ key: 'redirect:/about', value: '/company' }] }));
  write('edge/boom.js', `function handler(event) {\n  console.log('about to fail');\n  throw new Error('no such tenant: ' + event.request.headers.host.value);\n}\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('edgeship functions test', () => {
  it('a viewer-request rewrite, by behavior pattern: output is the request with the new uri, with a compute utilization', async () => {
    const r = await cli('functions', 'test', '*', '--event', 'events/about.json', '--json');
    expect(r.code).toBe(0);
    const result = r.json();
    expect(JSON.parse(result.FunctionOutput as string)).toMatchObject({ request: { method: 'GET', uri: '/about.html' } });
    expect(result.FunctionErrorMessage).toBe('');
    expect(result.FunctionExecutionLogs).toEqual([]);
    expect(Number(result.ComputeUtilization)).toBeGreaterThanOrEqual(0);
    expect(Number(result.ComputeUtilization)).toBeLessThanOrEqual(100);
    expect(result.FunctionSummary).toEqual({ Name: 'url-handler', FunctionConfig: { Runtime: 'cloudfront-js-2.0' } });
  });

  it('a generated redirect: an alias host gets a 301 to the canonical domain', async () => {
    const r = await cli('functions', 'test', 'edge/url-handler.js', '--event', 'events/www.json', '--json');
    expect(r.code).toBe(0);
    const output = JSON.parse(r.json().FunctionOutput as string) as { response: { statusCode: number; headers: Record<string, { value: string }> } };
    expect(output.response.statusCode).toBe(301);
    expect(output.response.headers.location).toEqual({ value: 'https://example.com/pricing' });
  });

  it("a viewer-response header change on the guide's example event, unchanged: the event's own eventType picks the stage", async () => {
    const r = await cli('functions', 'test', 'edge/add-header.js', '--event', 'events/guide.json');
    expect(r.code).toBe(0);
    expect(r.out).toContain('edge/add-header.js (viewer-response)');
    expect(r.out).toMatch(/compute utilization {2}\d+/);
    expect(r.out).toContain('error                (none)');
    expect(r.out).toContain('  status 200');
    expect(r.out).toContain('"x-content-type-options": {');
    expect(r.out).toContain('"value": "gunicorn/19.9.0"');
  });

  it('a KeyValueStore read from --kvs', async () => {
    const r = await cli('functions', 'test', 'edge/kvs-redirect.js', '--event', 'events/about.json', '--kvs', 'kvs.json', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.json().FunctionOutput as string)).toMatchObject({ response: { statusCode: 302, headers: { location: { value: '/company' } } } });
  });

  it('an error: exit 1, the message with file:line, the logs up to the throw, no output', async () => {
    const r = await cli('functions', 'test', 'edge/boom.js', '--event', 'events/about.json', '--json');
    expect(r.code).toBe(1);
    const result = r.json();
    expect(result.FunctionErrorMessage).toMatch(/^FunctionExecutionError: boom: Error: no such tenant: example.com \(at handler \(.*boom\.js:3:9\)\)/);
    expect(result.FunctionExecutionLogs).toEqual(['about to fail']);
    expect(result.FunctionOutput).toBe('');
  });

  it('--stage overrides the event type; a bad event names the file and the field', async () => {
    const r = await cli('functions', 'test', 'edge/add-header.js', '--event', 'events/about.json', '--stage', 'viewer-response');
    expect(r.code).toBe(2);
    expect(r.err).toContain('events/about.json: response is missing');
    write('events/upper.json', JSON.stringify({ request: { uri: '/', headers: { Host: { value: 'x' } } } }));
    const upper = await cli('functions', 'test', 'edge/url-handler.js', '--event', 'events/upper.json');
    expect(upper.code).toBe(2);
    expect(upper.err).toContain('request.headers.Host must be lower-case');
  });

  it('an unknown behavior lists the behaviors', async () => {
    const r = await cli('functions', 'test', 'api/*', '--event', 'events/about.json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('fix: behaviors: _next/static/*, images/*, *');
  });
});
