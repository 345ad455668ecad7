import { describe, expect, it } from 'vitest';
import { findChromium } from './chromium.js';

describe('findChromium', () => {
  const installed = (files: string[]) => (file: string) => files.includes(file);

  it('takes CHROMIUM_PATH first', () => {
    expect(findChromium({ CHROMIUM_PATH: '/opt/chrome/chrome' }, installed(['/opt/chrome/chrome', '/usr/bin/chromium']))).toBe('/opt/chrome/chrome');
  });

  it("falls back to Debian's chromium", () => {
    expect(findChromium({}, installed(['/usr/bin/chromium']))).toBe('/usr/bin/chromium');
  });

  it('is undefined without CI, so a machine without Chromium skips the browser tests', () => {
    expect(findChromium({}, installed([]))).toBeUndefined();
  });

  it('throws with CI set: the browser tests fail rather than skip', () => {
    expect(() => findChromium({ CI: 'true' }, installed([]))).toThrow(/Chromium not found .*CHROMIUM_PATH/);
    expect(() => findChromium({ CI: 'true', CHROMIUM_PATH: '/nowhere/chrome' }, installed(['/usr/bin/chromium']))).toThrow(/\/nowhere\/chrome/);
  });
});
