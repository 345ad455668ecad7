/**
 * `_redirects` through a real deploy to the embedded store: the exact-path rules land in the
 * KeyValueStore data (`.edgeship/kvs.json`) under `es:r:`, the file itself is not uploaded, and
 * a rule removed from the file is removed from the store on the next deploy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presetFiles } from '../../src/cli/init.js';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { LocalKvs } from '../../src/kvs/local-kvs.js';
import { FsStore } from '../../src/store/fs-store.js';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-redirects-'));
  const files: Record<string, string> = {
    'out/index.html': '<h1>home</h1>',
    'out/about/index.html': '<h1>about</h1>',
    'out/blog/my-post/index.html': '<h1>post</h1>',
    'out/news/archive/index.html': '<h1>archive</h1>',
    'out/_redirects': ['/home /', '/blog/my-post.php /blog/my-post', '/news/* /blog/:splat', '/about /company'].join('\n'),
    'edge/url-handler.js': presetFiles('astro', 'example.com', {})['edge/url-handler.js']!,
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const config = { site: 'out', behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } }] };
const redirectKeys = async () => Object.fromEntries(Object.entries(await new LocalKvs(new FsStore(path.join(root, '.edgeship/store'))).read()).filter(([k]) => k.startsWith('es:r:')));

describe('deploy writes the _redirects keys', () => {
  it('puts each exact rule under es:r:, marks files that shadow a pattern, and leaves _redirects out of the upload', async () => {
    const report = await deploySite(resolveConfig(config, root));
    expect(report.actions.map((a) => a.key)).not.toContain('_redirects');
    expect(await redirectKeys()).toEqual({
      'es:r:/home': '1 301 /',
      'es:r:/blog/my-post.php': '2 301 /blog/my-post',
      // A page under /news/*: it shadows the splat rule at both of its URLs.
      'es:r:/news/archive': 'e',
      'es:r:/news/archive/index.html': 'e',
    });
    // /about is a page: Netlify's rule without "!" is shadowed, so it is not written.
    expect(report.redirects).toMatchObject({ keys: 4, put: 4, deleted: 0 });
  });

  it('removes the keys of a rule taken out of the file', async () => {
    await deploySite(resolveConfig(config, root));
    fs.writeFileSync(path.join(root, 'out/_redirects'), '/home /\n');
    const report = await deploySite(resolveConfig(config, root));
    expect(await redirectKeys()).toEqual({ 'es:r:/home': '1 301 /' });
    expect(report.redirects).toMatchObject({ keys: 1, put: 0, deleted: 3 });
  });

  it('a dry run counts the keys and writes none', async () => {
    const report = await deploySite(resolveConfig(config, root), { dryRun: true });
    expect(report.redirects).toMatchObject({ keys: 4, put: 0 });
    expect(await redirectKeys()).toEqual({});
  });
});
