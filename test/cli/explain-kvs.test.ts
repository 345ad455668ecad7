/**
 * `edgeship explain` runs the functions with the KeyValueStore data `serve` gives them
 * (`edge.kvs`), so a KeyValueStore function loads and answers as it does at the local edge.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-explain-kvs-'));
  fs.mkdirSync(path.join(dir, 'edge'));
  fs.mkdirSync(path.join(dir, 'out'));
  fs.writeFileSync(
    path.join(dir, 'edge/redirects.js'),
    `import cf from 'cloudfront';\nconst kvs = cf.kvs();\nasync function handler(event) {\n  if (await kvs.exists(event.request.uri)) {\n    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: await kvs.get(event.request.uri) } } };\n  }\n  return event.request;\n}\n`,
  );
  fs.writeFileSync(path.join(dir, 'kvs.json'), JSON.stringify({ '/old': '/new' }));
  fs.writeFileSync(
    path.join(dir, 'edgeship.config.json'),
    JSON.stringify({ site: 'out', behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/redirects.js' } }], edge: { kvs: 'kvs.json' } }),
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('explain with a KeyValueStore function', () => {
  it('answers from the configured KeyValueStore data: /old is a 301 to /new, /page is the object', async () => {
    const io = memoryIo(dir);
    const code = await runCli(['explain', '/old', '/page.html', '--json'], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    const [old, page] = JSON.parse(io.stdout) as { object: string | null; functionResponse?: { status: number; location?: string } }[];
    expect(old).toMatchObject({ object: null, functionResponse: { status: 301, location: '/new' } });
    expect(page).toMatchObject({ object: 'page.html' });
  });
});
