/** A redeploy that changes nothing is not counted; a file name that is not UTF-8 is bad input; --json always prints an object. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { readManifest } from '../../src/deploy/manifest.js';
import { EXIT } from '../../src/errors.js';
import { FsStore } from '../../src/store/fs-store.js';
import { generateNextSite } from '../helpers/next-site.js';
import { NEXT_BEHAVIORS } from './fixtures.js';

let root: string;
const SITE = { pages: 6, chunks: 6, images: 3, chunkBytes: 200, imageBytes: 300 };
const model = () => resolveConfig({ site: 'out', behaviors: NEXT_BEHAVIORS }, root);
const cli = async (...args: string[]) => {
  const io = memoryIo(root);
  const code = await runCli(args, io);
  return { code, out: io.stdout, err: io.stderr };
};

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-redeploy-'));
  fs.writeFileSync(path.join(root, 'edgeship.config.json'), JSON.stringify({ site: 'out', behaviors: NEXT_BEHAVIORS }));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a redeploy that changes nothing', () => {
  it('is not counted after a deploy that deleted keys (the retention window keeps its length)', async () => {
    generateNextSite(path.join(root, 'out'), SITE);
    await deploySite(model());
    generateNextSite(path.join(root, 'out'), { ...SITE, rev: 1, changed: 0.3, removedPages: 2 });
    const second = await deploySite(model());
    expect(second.totals.delete).toBeGreaterThanOrEqual(2);
    const again = await deploySite(model());
    expect(again.changed).toBe(false);
    expect(again.deployId).toBe(second.deployId);
    expect((await readManifest(new FsStore(path.join(root, '.edgeship/store')))).deploys.map((d) => d.id)).toEqual([1, 2]);
  });
});

describe('a file name that is not UTF-8', () => {
  it('is exit 2 naming the folder and the bytes, with --json an object too', async () => {
    generateNextSite(path.join(root, 'out'), SITE);
    const folder = path.join(root, 'out', 'images');
    fs.writeFileSync(Buffer.concat([Buffer.from(`${folder}/caf`), Buffer.from([0xe9]), Buffer.from('.jpg')]), 'latin-1 name');
    const { code, out, err } = await cli('deploy', '--json');
    expect(code).toBe(EXIT.usage);
    expect(err).toContain(`${folder}: a file name is not UTF-8 (bytes 63 61 66 e9 2e 6a 70 67`);
    const json = JSON.parse(out) as { error: { code: string; message: string; hint: string; exitCode: number } };
    expect(json.error).toMatchObject({ code: 'DEPLOY_BAD_FILE_NAME', exitCode: EXIT.usage, hint: expect.stringContaining('rename') });
    expect(json.error.message).toContain(folder);
    expect(fs.existsSync(path.join(root, '.edgeship/store'))).toBe(false);
  });
});

describe('--json', () => {
  it('prints an object for every failure: a refused plan, a missing site, a bad config', async () => {
    generateNextSite(path.join(root, 'out'), SITE);
    await cli('deploy');
    fs.rmSync(path.join(root, 'out'), { recursive: true });
    fs.mkdirSync(path.join(root, 'out'));
    fs.writeFileSync(path.join(root, 'out', 'robots.txt'), 'User-agent: *\n');
    const refused = await cli('deploy', '--json');
    expect(refused.code).toBe(EXIT.refused);
    expect(JSON.parse(refused.out)).toMatchObject({ error: { code: 'DEPLOY_TOO_MANY_DELETES', exitCode: EXIT.refused } });
    fs.rmSync(path.join(root, 'out'), { recursive: true });
    const missing = await cli('deploy', '--json');
    expect(JSON.parse(missing.out)).toMatchObject({ error: { code: 'DEPLOY_NO_SITE', exitCode: EXIT.usage } });
    fs.writeFileSync(path.join(root, 'edgeship.config.json'), JSON.stringify({ site: 'out', deploy: { concurrency: 'many' } }));
    const bad = await cli('deploy', '--json');
    expect(JSON.parse(bad.out)).toMatchObject({ error: { code: 'CONFIG_INVALID', exitCode: EXIT.usage } });
  });
});
