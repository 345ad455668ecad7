import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { photo, tempProject } from './fixtures.js';

describe('edgeship images (CLI)', () => {
  const p = tempProject();
  beforeAll(async () => {
    fs.writeFileSync(path.join(p.root, 'edgeship.config.json'), JSON.stringify({ site: 'out', images: { widths: [64, 128], formats: ['webp'] } }));
    await (await photo(160, 120)).jpeg().toFile(path.join(p.images, 'ok.jpg'));
    fs.writeFileSync(path.join(p.images, 'broken.jpg'), 'not a jpeg');
  });
  afterAll(() => p.cleanup());

  it('exits 1 with a summary naming the failed file, after processing the others', async () => {
    const io = memoryIo(p.root);
    expect(await runCli(['images'], io)).toBe(1);
    expect(io.stdout).toContain('images    2 sources, 4 variants');
    expect(io.stdout).toContain('1 image failed (the others were processed):');
    expect(io.stdout).toContain('out/images/broken.jpg: not a supported image');
    expect(io.stdout).toContain('[IMAGE_UNSUPPORTED]');
    expect(fs.readdirSync(p.images).filter((n) => n.startsWith('ok.') && n.endsWith('.webp'))).toHaveLength(2);
  });

  it('--json prints the report; --config points at the config; a clean run exits 0', async () => {
    fs.rmSync(path.join(p.images, 'broken.jpg'));
    const cwd = path.join(p.root, 'out');
    const io = memoryIo(cwd);
    expect(await runCli(['images', '--json', '--config', '../edgeship.config.json'], io)).toBe(0);
    const report = JSON.parse(io.stdout) as { sources: number; encoded: number; cacheHits: number; failures: unknown[] };
    expect(report).toMatchObject({ sources: 1, encoded: 0, cacheHits: 1, failures: [] });
  });

  it('--force encodes again', async () => {
    const io = memoryIo(p.root);
    expect(await runCli(['images', '--force', '--json'], io)).toBe(0);
    expect(JSON.parse(io.stdout)).toMatchObject({ encoded: 5, cacheHits: 0 });
  });

  it('refuses a missing site folder with exit 2 and the fix', async () => {
    const io = memoryIo(p.root);
    fs.writeFileSync(path.join(p.root, 'missing.json'), JSON.stringify({ site: 'nowhere' }));
    expect(await runCli(['images', '-c', 'missing.json'], io)).toBe(2);
    expect(io.stderr).toContain('the site folder nowhere does not exist');
  });
});
