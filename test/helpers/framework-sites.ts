/**
 * Real framework builds to test against (test/fixtures/sites, made by
 * scripts/framework-sites/build.mjs with the frameworks' own tools), copied to a temp folder so
 * a test can write into them. Hugo's source is built here with Debian's `hugo`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SITES_DIR = path.resolve(import.meta.dirname, '../fixtures/sites');
export type FrameworkSite = 'next-default' | 'next-trailing' | 'astro' | 'hugo';

/** A fresh copy of a framework project with its build, ready for `edgeship init`. */
export function copySite(name: FrameworkSite): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `edgeship-${name}-`));
  fs.cpSync(path.join(SITES_DIR, name), dir, { recursive: true });
  if (name === 'hugo') buildHugo(dir);
  return dir;
}

function buildHugo(dir: string): void {
  try {
    execFileSync('hugo', ['--quiet', '--source', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? 'hugo is not installed: apt-get install hugo (.ci/run does)' : `hugo failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }
}
