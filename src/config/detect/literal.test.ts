import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readProjectFacts } from './facts.js';
import { readConfigLiteral, UNREAD } from './literal.js';

describe('readConfigLiteral: a framework config read without running it', () => {
  it.each([
    ['export default { output: "export", trailingSlash: true }', { output: 'export', trailingSlash: true }],
    ["import { defineConfig } from 'astro/config';\nexport default defineConfig({ build: { format: 'file' }, base: `/docs` });", { build: { format: 'file' }, base: '/docs' }],
    ["const nextConfig = { output: 'export', distDir: 'build' };\nexport default nextConfig;", { output: 'export', distDir: 'build' }],
    ["module.exports = { output: 'export', basePath: '/x' };", { output: 'export', basePath: '/x' }],
    ["const withMDX = require('@next/mdx')();\nmodule.exports = withMDX({ output: 'export' });", { output: 'export' }],
    ["export default (phase) => ({ output: 'export', trailingSlash: false });", { output: 'export', trailingSlash: false }],
    ["export default function config() { return { output: 'export' }; }", { output: 'export' }],
  ])('%s', (source, expected) => {
    expect(readConfigLiteral(source)).toEqual(expected);
  });

  it('a value that is not a literal reads as UNREAD, never as a guess', () => {
    expect(readConfigLiteral("export default { trailingSlash: process.env.SLASH === '1', basePath: `/${x}` };")).toEqual({ trailingSlash: UNREAD, basePath: UNREAD });
  });

  it('no exported object, or no JavaScript at all: undefined', () => {
    expect(readConfigLiteral("import x from './x.js';\nexport default x;")).toBeUndefined();
    expect(readConfigLiteral('this is not javascript {')).toBeUndefined();
  });
});

describe('readProjectFacts: configs as projects write them', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-facts-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };

  it("next.config.ts, as create-next-app writes it, with its types stripped (nothing is run)", async () => {
    write('next.config.ts', "import type { NextConfig } from 'next';\n\nconst nextConfig: NextConfig = {\n  output: 'export',\n  trailingSlash: true as boolean,\n};\n\nexport default nextConfig;\n");
    write('package.json', JSON.stringify({ dependencies: { next: '16.5.0', react: '19.3.1' } }));
    const f = await readProjectFacts(dir);
    expect(f.next).toEqual({ file: 'next.config.ts', values: { output: 'export', trailingSlash: true } });
    expect(f.dependencies).toEqual(['next', 'react']);
  });

  it('hugo.toml with mixed-case keys, and a build listing', async () => {
    write('hugo.toml', "baseURL = 'https://example.org/'\nuglyURLs = true\npublishDir = 'site'\n");
    write('site/index.html', '<h1>home</h1>');
    write('site/posts/hello.html', '<h1>hello</h1>');
    const f = await readProjectFacts(dir, ['site']);
    expect(f.hugo?.values).toMatchObject({ baseurl: 'https://example.org/', uglyurls: true, publishdir: 'site' });
    expect(f.builds.site).toEqual(['index.html', 'posts/hello.html']);
  });

  it('a config that does not parse says so, it does not throw', async () => {
    write('astro.config.ts', 'export default defineConfig({ oops: });');
    const f = await readProjectFacts(dir);
    expect(f.astro?.values).toBeUndefined();
    expect(f.astro?.problem).toMatch(/could not be parsed|exports no object/);
  });
});
