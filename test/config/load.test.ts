import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { findConfigFile, loadConfig } from '../../src/config/load.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-load-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(base, 'c-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('loading edgeship.config.{ts,mts,mjs,js,json}', () => {
  it.each([
    ['edgeship.config.ts', `import { defineConfig } from 'edgeship';\nconst site: string = 'dist';\nexport default defineConfig({ site });\n`],
    ['edgeship.config.mts', `export default { site: 'dist' as const };\n`],
    ['edgeship.config.mjs', `export default { site: 'dist' };\n`],
    ['edgeship.config.js', `export default { site: 'dist' };\n`],
    ['edgeship.config.json', `{ "site": "dist" }\n`],
  ])('%s loads without a build step', async (name, text) => {
    const dir = folder({ [name]: text, 'package.json': '{"type":"module"}' });
    const site = await loadConfig({ cwd: dir });
    expect(site.siteDir).toBe(path.join(dir, 'dist'));
    expect(site.configFile).toBe(path.join(dir, name));
  });

  it('is found from a subfolder, and relative paths are read from the config folder', async () => {
    const dir = folder({ 'edgeship.config.json': '{ "site": "build" }', 'src/pages/x.txt': '' });
    const site = await loadConfig({ cwd: path.join(dir, 'src/pages') });
    expect(site.rootDir).toBe(dir);
    expect(site.siteDir).toBe(path.join(dir, 'build'));
  });

  it('--config names the file explicitly', async () => {
    const dir = folder({ 'conf/site.json': '{ "site": "public" }' });
    const site = await loadConfig({ cwd: dir, configFile: 'conf/site.json' });
    expect(site.siteDir).toBe(path.join(dir, 'conf/public'));
  });

  it('a missing --config file is a config error naming it', async () => {
    const dir = folder({});
    await expect(loadConfig({ cwd: dir, configFile: 'nope.ts' })).rejects.toThrow(`${path.join(dir, 'nope.ts')} does not exist`);
  });

  it('a config that does not parse is a config error naming the file', async () => {
    const dir = folder({ 'edgeship.config.ts': 'export default {\n' });
    const error = await loadConfig({ cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).file).toBe(path.join(dir, 'edgeship.config.ts'));
    expect((error as ConfigError).message).toContain('could not be loaded');
  });

  it('invalid JSON says so', async () => {
    const dir = folder({ 'edgeship.config.json': '{ site: out }' });
    await expect(loadConfig({ cwd: dir })).rejects.toThrow(/is not valid JSON/);
  });

  it('without any config, the defaults apply', async () => {
    const dir = folder({});
    expect(findConfigFile(dir)).toBeUndefined();
    const site = await loadConfig({ cwd: dir });
    expect(site.behaviors.map((b) => b.path)).toEqual(['*']);
  });
});
