import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { EXIT } from '../../src/errors.js';
import { generateNextSite } from '../helpers/next-site.js';
import { NEXT_BEHAVIORS } from './fixtures.js';

let root: string;
const SITE = { pages: 4, chunks: 4, images: 2, chunkBytes: 200, imageBytes: 300 };
const cli = async (...args: string[]) => {
  const io = memoryIo(root);
  const code = await runCli(args, io);
  return { code, out: io.stdout, err: io.stderr };
};

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-cli-'));
  fs.writeFileSync(path.join(root, 'edgeship.config.json'), JSON.stringify({ site: 'out', behaviors: NEXT_BEHAVIORS, deploy: { maxDeleteRatio: 0.3 } }));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('edgeship deploy', () => {
  it('--json prints one object with dryRun, actions, totals and invalidation', async () => {
    const site = generateNextSite(path.join(root, 'out'), SITE);
    const { code, out } = await cli('deploy', '--json', '--dry-run');
    expect(code).toBe(EXIT.ok);
    const json = JSON.parse(out) as { dryRun: boolean; actions: { key: string; action: string; reason: string; bytes: number }[]; totals: Record<string, number>; invalidation: { paths: string[] } };
    expect(json.dryRun).toBe(true);
    expect(json.actions).toHaveLength(site.files.size);
    expect(json.actions[0]).toEqual({ key: expect.any(String), action: 'upload', reason: 'new file', bytes: expect.any(Number) });
    expect(json.totals).toEqual({ upload: site.files.size, updateMetadata: 0, delete: 0, retain: 0, skip: 0, bytesUploaded: site.bytes });
    expect(json.invalidation.paths).toEqual([]);
    expect(fs.existsSync(path.join(root, '.edgeship/store'))).toBe(false);
  });

  it('prints the changes and a summary table, with plain progress lines on stderr off a terminal', async () => {
    generateNextSite(path.join(root, 'out'), SITE);
    const { code, out, err } = await cli('deploy');
    expect(code).toBe(EXIT.ok);
    expect(out).toMatch(/upload {2}index\.html {2}\(new file\)/);
    expect(out).toMatch(/deploy #1 to local \(fs:.*\)\n {2}uploaded {10}\d+ files, [\d.]+ KiB/);
    expect(out).toMatch(/skipped +0 unchanged/);
    expect(err).toMatch(/^scanning the site folder$/m);
    expect(err).toMatch(/^uploading HTML \(\d+\)$/m);
    const again = await cli('deploy');
    expect(again.out).toMatch(/^no change: local \(fs:.*\) already holds this build \(deploy #1\)$/m);
    expect(again.out).toMatch(/uploaded +0 files, 0 B/);
  });

  it('exits 2 on an empty site folder, naming it', async () => {
    fs.mkdirSync(path.join(root, 'out'));
    const { code, err } = await cli('deploy');
    expect(code).toBe(EXIT.usage);
    expect(err).toMatch(/error: the site folder .*out has no files to deploy/);
    expect(err).toMatch(/fix: build the site first/);
  });

  it('exits 3 when the delete guard refuses, and 0 with --force', async () => {
    generateNextSite(path.join(root, 'out'), SITE);
    expect((await cli('deploy')).code).toBe(EXIT.ok);
    for (const p of [1, 2, 3]) fs.rmSync(path.join(root, 'out', `page-${p}`), { recursive: true });
    fs.rmSync(path.join(root, 'out/images'), { recursive: true });
    const refused = await cli('deploy');
    expect(refused.code).toBe(EXIT.refused);
    expect(refused.err).toMatch(/deploy\.maxDeleteRatio/);
    expect((await cli('deploy', '--force')).code).toBe(EXIT.ok);
  });

  it('prints the unhashed-immutable warning naming the file', async () => {
    generateNextSite(path.join(root, 'out'), SITE);
    await cli('deploy');
    fs.writeFileSync(path.join(root, 'out/images/photo-0.jpg'), 'new bytes');
    const { code, err } = await cli('deploy');
    expect(code).toBe(EXIT.ok);
    expect(err).toMatch(/warning: images\/photo-0\.jpg changed, but it is served as immutable/);
  });
});

describe('edgeship invalidate', () => {
  it('expands a page to its forms and records it for the local edge', async () => {
    const { code, out } = await cli('invalidate', '/about/', '--json');
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out)).toMatchObject({ paths: ['/about', '/about/', '/about/index.html'], via: 'recorded' });
    expect(fs.readFileSync(path.join(root, '.edgeship/invalidations.jsonl'), 'utf8')).toContain('"/about/index.html"');
  });

  it('exits 2 on a path without a leading slash', async () => {
    const { code, err } = await cli('invalidate', 'about');
    expect(code).toBe(EXIT.usage);
    expect(err).toMatch(/must start with "\/"/);
  });
});
