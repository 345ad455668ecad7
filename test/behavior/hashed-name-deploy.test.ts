import { describe, expect, it } from 'vitest';
import { hasContentHash } from '../../src/behavior/hashed-name.js';

describe('hasContentHash: the names deploy retains and warns about', () => {
  it.each([
    ['_next/static/chunks/pages/index-5b1f7c0c9a2e3d4f.js', true],
    ['_next/static/chunks/main.3f2a9c1b.js', true],
    ['_next/static/css/a1b2c3d4e5f60718.css', true],
    ['_next/static/Xk2aB9cD0eF1gH2iJ3kL4/_buildManifest.js', true],
    ['assets/index_8f3c2a1b.css', true],
    ['images/hero.jpg', false],
    ['images/2024-01-01/photo.jpg', false],
    ['images/deadbeef.png', false], // letters only: a word, not a hash
    ['images/12345678.png', false], // digits only: a date or an id
    ['favicon.ico', false],
    ['downloads/Introduction-to-Something.pdf', false],
  ])('%s -> %s', (key, expected) => expect(hasContentHash(key)).toBe(expected));
});
