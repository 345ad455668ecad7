import { describe, expect, it } from 'vitest';
import { contentHashOf, hasContentHash } from './hashed-name.js';

describe('hasContentHash: one definition of a content-hashed file name', () => {
  it.each([
    // Next.js static export
    ['_next/static/chunks/main-3f9a2c1b4d5e6f70.js', '3f9a2c1b4d5e6f70'],
    ['_next/static/chunks/pages/_app-0a1b2c3d4e5f6a7b.js', '0a1b2c3d4e5f6a7b'],
    ['_next/static/chunks/webpack-78c92fac7aa8fdd8.js', '78c92fac7aa8fdd8'],
    ['_next/static/kUy2qLzSXyDkVqS4S7Adz/_buildManifest.js', 'kUy2qLzSXyDkVqS4S7Adz'],
    ['_next/static/kUy2qLzSXyDkVqS4S7Adz/_ssgManifest.js', 'kUy2qLzSXyDkVqS4S7Adz'],
    ['_next/static/css/ab12cd34ef56.css', 'ab12cd34ef56'],
    ['_next/static/media/inter.2f3a4b5c.woff2', '2f3a4b5c'],
    // edgeship images variants
    ['images/hero.3f9a2c1b.640.avif', '3f9a2c1b'],
    ['images/hero.3f9a2c1b.1280.webp', '3f9a2c1b'],
    // Vite / Rollup (base64url, may contain - and _)
    ['assets/index-Bm7Rz3qK.js', 'Bm7Rz3qK'],
    ['assets/index-B_x-2kq9.js', 'B_x-2kq9'],
    // webpack [contenthash] at the end
    ['static/js/main.8c3f1a2b.chunk.js', '8c3f1a2b'],
    ['assets/index_8F3C2A1B.css', '8F3C2A1B'],
    // hex hashes that happen to have no letter
    ['_next/static/chunks/c274-4582728594498292.js', '4582728594498292'],
    ['images/hero.12345678.640.avif', '12345678'],
    // Turbopack (Next.js 16): lowercase base36 with - and _ inside, no separator before it
    ['assets/0cz1d0mv5g_q7.js', '0cz1d0mv5g'],
    ['assets/06w5qlhfisc4s.js', '06w5qlhfisc4s'],
    ['assets/turbopack-2lihmh2pdnr2x.js', '2lihmh2pdnr2x'],
    ['assets/1vlrc7kjj38-g.css', '1vlrc7kjj38'],
    ['assets/1bnq32--_k4f0.js', '1bnq32k4f0'],
    // Hugo: fingerprinted resources and processed images
    ['css/main.min.c9ec94192456c865379dd036844061e3d09b17100710494ec1e24c493f91e9f0.css', 'c9ec94192456c865379dd036844061e3d09b17100710494ec1e24c493f91e9f0'],
    ['hero_hu8a8f60bc1af71f432d1c05a71a24ce8f_253816_1200x0_resize_q80_h2_box.webp', 'hu8a8f60bc1af71f432d1c05a71a24ce8f'],
  ])('%s is hashed (%s)', (key, hash) => {
    expect(contentHashOf(key)).toBe(hash);
    expect(hasContentHash(key)).toBe(true);
  });

  it.each([
    'index.html',
    'about/index.html',
    'images/logo.png',
    'images/logo-2x.png',
    'favicon.ico',
    'robots.txt',
    'sitemap.xml',
    'components/Navigation.js',
    'vendor/html5shiv.js',
    'reports/20240101.pdf',
    'reports/report-20240101.pdf', // a date
    'images/12345678.png', // an id, not a hash
    'products/12345678/photo.jpg',
    'images/2024-01-01/photo.jpg',
    'downloads/Introduction-to-Something.pdf',
    'fonts/deadbeef.woff2',
    'hero.3f9a2c1.jpg', // 7 hex characters: too short
    'assets/camelCaseName.js',
    'app~vendors.js',
    // words with version numbers change between letters and digits at most twice
    'vendor/es2015-polyfills.js',
    'vendor/ie11polyfill.js',
    'vendor/jquery-3.7.1.min.js',
    'media/mp4-player.js',
  ])('%s is not hashed', (key) => {
    expect(hasContentHash(key)).toBe(false);
  });

  it.each(['_next/static/chunks/main.js', '_next/static/chunks/pages/index.js', '_astro/client.js', 'docs/_next/static/chunks/app.js'])(
    '%s is content-addressed by the framework contract of its folder, whatever its name',
    (key) => {
      expect(contentHashOf(key)).toBeUndefined();
      expect(hasContentHash(key)).toBe(true);
    },
  );

  it.each(['next/static/main.js', 'x_next/static/main.js', 'my_astro/logo.js', 'about/_astro.html'])('%s is not under a framework folder', (key) => {
    expect(hasContentHash(key)).toBe(false);
  });
});
