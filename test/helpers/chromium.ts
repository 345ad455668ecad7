/**
 * The one way tests and benchmarks find and start Chromium (Debian's, driven by playwright-core).
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian and Ubuntu install it; `CHROMIUM_PATH` comes first. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The flags a headless Chromium needs on a closed, sandbox-less CI machine. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * The Chromium executable: `CHROMIUM_PATH` when set, else the first installed candidate.
 * Undefined when there is none, so a developer machine without Chromium skips the browser
 * tests; with `CI` set it throws instead: a CI run must not pass by skipping them.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env, exists: (file: string) => boolean = fs.existsSync): string | undefined {
  const wanted = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : CANDIDATES;
  const found = wanted.find((file) => exists(file));
  if (!found && env.CI) {
    throw new Error(`Chromium not found (looked for ${wanted.join(', ')}); CI must run the browser tests: install Debian's chromium or set CHROMIUM_PATH`);
  }
  return found;
}

/** A fresh headless Chromium. playwright gives each launch its own new, temporary user-data-dir. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
