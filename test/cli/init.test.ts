/**
 * `edgeship init` around an existing project: `--ci github` writes only the workflow, `--force`
 * overwrites only what the call writes, and the example's config is init's own output for it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initFiles } from '../../src/cli/init.js';
import { cli } from '../helpers/cli.js';
import { detectProject } from '../../src/config/detect/detect.js';
import { readProjectFacts } from '../../src/config/detect/facts.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-init-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));


function project(): string {
  const dir = fs.mkdtempSync(path.join(base, 'p-'));
  fs.writeFileSync(path.join(dir, 'next.config.mjs'), "export default { output: 'export' };\n");
  return dir;
}

describe('edgeship init --ci github in a project that has a config', () => {
  it('writes only the workflow and leaves the config and the function as the user edited them', async () => {
    const dir = project();
    expect((await cli(dir, 'init', '--domain', 'shop.example.org')).code).toBe(0);
    const config = path.join(dir, 'edgeship.config.ts');
    const handler = path.join(dir, 'edge/url-handler.js');
    fs.appendFileSync(config, '// my edit\n');
    fs.appendFileSync(handler, '// my edit\n');
    const before = [fs.readFileSync(config, 'utf8'), fs.readFileSync(handler, 'utf8')];

    const r = await cli(dir, 'init', '--ci', 'github');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('wrote .github/workflows/deploy.yml');
    expect(r.stdout).toContain('kept edgeship.config.ts and edge/url-handler.js as they are');
    expect([fs.readFileSync(config, 'utf8'), fs.readFileSync(handler, 'utf8')]).toEqual(before);
    // The workflow audits the configured domain, not the example.com default.
    expect(fs.readFileSync(path.join(dir, '.github/workflows/deploy.yml'), 'utf8')).toContain('https://shop.example.org');

    // Again: the workflow exists; --force overwrites it, and still nothing else.
    expect((await cli(dir, 'init', '--ci', 'github')).code).toBe(2);
    const forced = await cli(dir, 'init', '--ci', 'github', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('overwrote .github/workflows/deploy.yml');
    expect([fs.readFileSync(config, 'utf8'), fs.readFileSync(handler, 'utf8')]).toEqual(before);
  });

  it('in a new project writes the config, the function and the workflow together', async () => {
    const dir = project();
    const r = await cli(dir, 'init', '--ci', 'github');
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['edgeship.config.ts', 'edge/url-handler.js', '.github/workflows/deploy.yml']) expect(r.stdout).toContain(`wrote ${f}`);
  });

  it('--preview-domain writes the same host into the config and the url-handler, which the loaded config accepts', async () => {
    const dir = project();
    const r = await cli(dir, 'init', '--preview-domain', 'Preview.Example.com');
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'edgeship.config.ts'), 'utf8')).toContain("previewDomain: 'preview.example.com'");
    expect(fs.readFileSync(path.join(dir, 'edge/url-handler.js'), 'utf8')).toContain("var PREVIEW_DOMAIN = 'preview.example.com';");
    expect((await cli(dir, 'explain', '/', '--json')).code).toBe(0);
  });

  it('--preview-domain refuses a bad host, and --in-place with it, writing nothing', async () => {
    for (const args of [['--preview-domain', 'not a host'], ['--preview-domain', 'p.example.com', '--in-place']]) {
      const dir = project();
      const r = await cli(dir, 'init', ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--preview-domain');
      expect(fs.existsSync(path.join(dir, 'edgeship.config.ts'))).toBe(false);
    }
  });

  it('two frameworks in one folder: exit 2 naming both, nothing written', async () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, 'astro.config.mjs'), 'export default {};\n');
    const r = await cli(dir, 'init');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: found Next.js (next.config.mjs exists) and Astro (astro.config.mjs exists) in one folder');
    expect(r.stderr).toContain('fix: pass the one to use: --preset nextjs-export or --preset astro');
    expect(fs.existsSync(path.join(dir, 'edgeship.config.ts'))).toBe(false);
  });
});

describe('a command run without a config says so', () => {
  it('explain names the defaults it used and how to create a config, on stderr', async () => {
    const dir = fs.mkdtempSync(path.join(base, 'none-'));
    const r = await cli(dir, 'explain', '/');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`note: no edgeship.config.{ts,mts,mjs,js,json} in ${dir} or above: using the defaults`);
    expect(r.stderr).toContain('`edgeship init` writes one for this project');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('with a config, no such note', async () => {
    const dir = project();
    await cli(dir, 'init');
    expect((await cli(dir, 'explain', '/')).stderr).toBe('');
  });
});

describe('examples/marketing', () => {
  it("its config and url-handler are exactly what init --in-place writes for it (one source for presets and the example)", async () => {
    const dir = path.resolve(import.meta.dirname, '../../examples/marketing');
    const detection = detectProject(await readProjectFacts(dir));
    const files = initFiles(detection, 'marketing.example.com', { atomic: false });
    expect(fs.readFileSync(path.join(dir, 'edgeship.config.ts'), 'utf8')).toBe(files['edgeship.config.ts']);
    expect(fs.readFileSync(path.join(dir, 'edge/url-handler.js'), 'utf8')).toBe(files['edge/url-handler.js']);
  });
});
