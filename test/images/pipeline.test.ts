import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImagesPipeline, type ImagesReport } from '../../src/images/pipeline.js';
import { readManifest } from '../../src/images/manifest.js';
import type { ImageManifest } from '../../src/images/types.js';
import { photo, siteModel, tempProject } from './fixtures.js';

const WIDTHS = [64, 128, 256];

/** A 300x200 image stored sideways: red top-left quadrant as stored, EXIF orientation 6 (rotate 90° clockwise to display). */
async function sideways(): Promise<Buffer> {
  const w = 300;
  const h = 200;
  const data = Buffer.alloc(w * h * 3, 40);
  for (let y = 0; y < h / 2; y++) for (let x = 0; x < w / 2; x++) data[(y * w + x) * 3] = 250;
  return sharp(data, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
}

async function animatedGif(): Promise<Buffer> {
  const w = 120;
  const frame = 90;
  const colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255]];
  const data = Buffer.alloc(w * frame * 3 * 4);
  colours.forEach(([r, g, b], f) => {
    for (let i = 0; i < w * frame; i++) data.set([r!, g!, b!, 255], (f * w * frame + i) * 4);
  });
  return sharp(data, { raw: { width: w, height: frame * 3, channels: 4, pageHeight: frame } }).gif({ delay: [100, 100, 100], loop: 0 }).toBuffer();
}

async function meta(file: string) {
  return sharp(file, { animated: true }).metadata();
}

describe('edgeship images on a folder of sources', () => {
  const p = tempProject();
  const out = (name: string) => path.join(p.images, name);
  let report: ImagesReport;
  let manifest: ImageManifest;
  const heroBefore: { bytes?: number } = {};
  const webpBefore: { bytes?: Buffer } = {};

  beforeAll(async () => {
    await (await photo(400, 300)).jpeg({ quality: 95 }).toFile(out('hero.jpg'));
    heroBefore.bytes = fs.statSync(out('hero.jpg')).size;
    fs.writeFileSync(out('tall.jpg'), await sideways());
    await (await photo(60, 48, { alpha: true })).png().toFile(out('logo.png'));
    fs.writeFileSync(out('anim.gif'), await animatedGif());
    await (await photo(200, 150)).toColourspace('cmyk').jpeg({ quality: 90 }).toFile(out('print.jpg'));
    fs.mkdirSync(out('nested/deeper'), { recursive: true });
    await (await photo(160, 120)).webp().toFile(out('nested/deeper/with space é.webp'));
    webpBefore.bytes = fs.readFileSync(out('nested/deeper/with space é.webp'));
    fs.writeFileSync(out('icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    fs.writeFileSync(out('favicon.ico'), Buffer.from([0, 0, 1, 0]));
    fs.writeFileSync(path.join(p.site, 'index.html'), '<!doctype html><title>t</title><img src="/images/hero.jpg" alt="hero"><img src="images/anim.gif">');
    report = await runImagesPipeline(siteModel(p.root, { widths: WIDTHS, placeholder: true }));
    manifest = (await readManifest(out('manifest.json')))!;
  });
  afterAll(() => p.cleanup());

  it('processes every source without failures and reports the work', () => {
    expect(report.failures).toEqual([]);
    expect(report.sources).toBe(5);
    expect(report.untouched).toBe(2);
    expect(report.modern).toBe(1);
    expect(report.encoded).toBeGreaterThan(0);
    expect(report.cacheHits).toBe(0);
    expect(report.bytes.before).toBeGreaterThan(report.bytes.after);
  });

  it('writes each configured width not larger than the source, in AVIF, WebP and the source format, never upscaled', async () => {
    const hero = manifest.images['/images/hero.jpg']!;
    expect(hero).toMatchObject({ width: 400, height: 300, format: 'jpeg', fallback: 'jpeg' });
    expect(hero.variants.map((v) => `${v.format}@${v.width}x${v.height}`)).toEqual([
      'avif@64x48', 'avif@128x96', 'avif@256x192',
      'webp@64x48', 'webp@128x96', 'webp@256x192',
      'jpeg@64x48', 'jpeg@128x96', 'jpeg@256x192',
    ]);
    for (const v of hero.variants) {
      const name = v.url.slice('/images/'.length);
      expect(name).toMatch(/^hero\.[0-9a-f]{8,16}\.\d+\.(avif|webp|jpg)$/);
      const m = await meta(out(name));
      expect(m.format === 'heif' ? 'avif' : m.format).toBe(v.format);
      expect([m.width, m.height]).toEqual([v.width, v.height]);
      expect(fs.statSync(out(name)).size).toBe(v.bytes);
    }
  });

  it('uses the source width when the source is smaller than every configured width', () => {
    expect(manifest.images['/images/logo.png']!.variants.map((v) => v.width)).toEqual([60, 60, 60]);
  });

  it('applies the EXIF orientation (the displayed size and pixels) and strips it', async () => {
    const tall = manifest.images['/images/tall.jpg']!;
    expect([tall.width, tall.height]).toEqual([200, 300]);
    const v = tall.variants.find((x) => x.format === 'jpeg' && x.width === 128)!;
    expect(v.height).toBe(192);
    const file = out(v.url.slice('/images/'.length));
    expect((await meta(file)).orientation).toBeUndefined();
    // Stored red top-left; rotated 90° clockwise, red is at the top right.
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => data[(y * info.width + x) * info.channels]!;
    expect(px(info.width - 10, 10)).toBeGreaterThan(200);
    expect(px(10, 10)).toBeLessThan(90);
  });

  it('keeps alpha in every format of a transparent source', async () => {
    for (const v of manifest.images['/images/logo.png']!.variants) {
      expect((await meta(out(v.url.slice('/images/'.length)))).hasAlpha).toBe(true);
    }
  });

  it('turns an animated GIF into animated WebP (all frames) plus the original, never AVIF or JPEG', async () => {
    const anim = manifest.images['/images/anim.gif']!;
    expect(anim).toMatchObject({ animated: true, width: 120, height: 90 });
    expect(anim.fallback).toBeUndefined();
    expect(anim.variants.map((v) => `${v.format}@${v.width}x${v.height}`)).toEqual(['webp@64x48', 'webp@120x90']);
    const m = await meta(out(anim.variants[0]!.url.slice('/images/'.length)));
    expect(m).toMatchObject({ format: 'webp', pages: 3, width: 64, pageHeight: 48 });
  });

  it('converts colour to sRGB and strips metadata', async () => {
    expect((await meta(out('print.jpg'))).space).toBe('srgb'); // the original, optimized in place
    for (const v of manifest.images['/images/print.jpg']!.variants) {
      const m = await meta(out(v.url.slice('/images/'.length)));
      expect(m.space).toBe('srgb');
      expect(m.icc).toBeUndefined();
      expect(m.exif).toBeUndefined();
    }
  });

  it('optimizes the original in place without changing its format or size', async () => {
    const m = await meta(out('hero.jpg'));
    expect([m.format, m.width, m.height]).toEqual(['jpeg', 400, 300]);
    expect(fs.statSync(out('hero.jpg')).size).toBeLessThan(heroBefore.bytes!);
    expect(manifest.images['/images/hero.jpg']!.bytes).toBe(fs.statSync(out('hero.jpg')).size);
  });

  it('leaves SVG, ICO and already modern WebP/AVIF untouched and out of the manifest: never re-encoded to themselves', async () => {
    expect(fs.readFileSync(out('nested/deeper/with space é.webp'))).toEqual(webpBefore.bytes);
    expect(fs.readdirSync(out('nested/deeper'))).toEqual(['with space é.webp']);
    expect(fs.readFileSync(out('icon.svg'), 'utf8')).toBe('<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(fs.readFileSync(out('favicon.ico'))).toEqual(Buffer.from([0, 0, 1, 0]));
    expect(Object.keys(manifest.images).sort()).toEqual([
      '/images/anim.gif', '/images/hero.jpg', '/images/logo.png', '/images/print.jpg', '/images/tall.jpg',
    ]);
  });

  it('adds a ThumbHash placeholder when asked', () => {
    expect(manifest.images['/images/hero.jpg']!.placeholder).toMatch(/^data:image\/png;base64,/);
  });

  it('rewrites the HTML with the manifest', () => {
    const html = fs.readFileSync(path.join(p.site, 'index.html'), 'utf8');
    expect(report.html).toEqual({ files: 1, changed: 1, images: 2, priority: 1, preloads: 0, defaultSizes: [{ file: 'index.html', src: '/images/hero.jpg' }, { file: 'index.html', src: 'images/anim.gif' }] });
    expect(html).toContain('<source type="image/avif" srcset="/images/hero.');
    expect(html).toContain('<img src="/images/hero.jpg" alt="hero" srcset="/images/hero.');
    // The hero is the page's priority image; the animation after it is below the first viewport.
    expect(html).toContain('width="400" height="300" fetchpriority="high" decoding="async"></picture>');
    expect(html).toContain('<img src="images/anim.gif" width="120" height="90" loading="lazy" decoding="async"></picture>');
  });

  it('leaves no temporary files behind', () => {
    const all = fs.readdirSync(p.site, { recursive: true }) as string[];
    expect(all.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a second run encodes nothing and changes no file', async () => {
    const snapshot = () => Object.fromEntries((fs.readdirSync(p.site, { recursive: true }) as string[]).sort().map((f) => [f, fs.statSync(path.join(p.site, f)).mtimeMs]));
    const before = snapshot();
    const again = await runImagesPipeline(siteModel(p.root, { widths: WIDTHS, placeholder: true }));
    expect(again).toMatchObject({ encoded: 0, cacheHits: 5, failures: [], html: { files: 1, changed: 0, images: 0 } });
    expect(again.bytes.before).toBe(report.bytes.before); // the optimized originals are known to be ours
    expect(snapshot()).toEqual(before);
  });
});

describe('the cache', () => {
  // Each test builds its own project: none depends on what an earlier one left behind.
  const projects: ReturnType<typeof tempProject>[] = [];
  afterAll(() => projects.forEach((p) => p.cleanup()));
  const project = () => {
    const p = tempProject();
    projects.push(p);
    return p;
  };
  const build = async (p: ReturnType<typeof tempProject>) => {
    fs.rmSync(p.site, { recursive: true, force: true });
    fs.mkdirSync(p.images, { recursive: true });
    await (await photo(300, 200)).jpeg({ quality: 95 }).toFile(path.join(p.images, 'a.jpg'));
    await (await photo(200, 100, { alpha: true })).png().toFile(path.join(p.images, 'b.png'));
  };
  const files = (p: ReturnType<typeof tempProject>) =>
    Object.fromEntries((fs.readdirSync(p.images) as string[]).sort().map((f) => [f, fs.readFileSync(path.join(p.images, f)).toString('base64')]));

  it('survives the build deleting and recreating the site folder: no encoding, identical files', async () => {
    const p = project();
    await build(p);
    const first = await runImagesPipeline(siteModel(p.root, { widths: WIDTHS }));
    expect(first.encoded).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(p.root, '.edgeship/cache/images'))).toBe(true);
    const written = files(p);
    await build(p);
    const second = await runImagesPipeline(siteModel(p.root, { widths: WIDTHS }));
    expect(second).toMatchObject({ encoded: 0, cacheHits: 2, fromCache: first.encoded });
    expect(files(p)).toEqual(written);
  });

  it('re-encodes only the outputs a changed option affects', async () => {
    const p = project();
    await build(p);
    await runImagesPipeline(siteModel(p.root, { widths: WIDTHS }));
    const before = await readManifest(path.join(p.images, 'manifest.json'));
    const changed = await runImagesPipeline(siteModel(p.root, { widths: WIDTHS, quality: { webp: 60 } }));
    const after = (await readManifest(path.join(p.images, 'manifest.json')))!;
    const webp = (m: ImageManifest | undefined) => Object.values(m!.images).flatMap((e) => e.variants.filter((v) => v.format === 'webp').map((v) => v.url));
    const avif = (m: ImageManifest | undefined) => Object.values(m!.images).flatMap((e) => e.variants.filter((v) => v.format === 'avif').map((v) => v.url));
    expect(changed.encoded).toBe(webp(after).length);
    expect(webp(after).filter((u) => webp(before).includes(u))).toEqual([]);
    expect(avif(after)).toEqual(avif(before));
  });

  it('--force encodes everything again from the real source, under the same names', async () => {
    const p = project();
    await build(p);
    const cached = await runImagesPipeline(siteModel(p.root, { widths: WIDTHS }));
    const before = files(p);
    const forced = await runImagesPipeline(siteModel(p.root, { widths: WIDTHS }), { force: true });
    expect(forced.cacheHits).toBe(0);
    expect(forced.encoded).toBe(cached.encoded);
    expect(Object.keys(files(p))).toEqual(Object.keys(before));
  });
});

describe('fallback "original" and optimizeOriginals false: the modern formats only', () => {
  const p = tempProject();
  afterAll(() => p.cleanup());

  it('writes no resized copies in the source format, keeps the original byte for byte, and the <img> keeps its src', async () => {
    await (await photo(300, 200)).jpeg({ quality: 95 }).toFile(path.join(p.images, 'a.jpg'));
    await (await photo(200, 100, { alpha: true })).png().toFile(path.join(p.images, 'b.png'));
    const originals = { a: fs.readFileSync(path.join(p.images, 'a.jpg')), b: fs.readFileSync(path.join(p.images, 'b.png')) };
    fs.writeFileSync(path.join(p.site, 'index.html'), '<!doctype html><title>t</title><img src="/images/a.jpg" alt="a">');
    const report = await runImagesPipeline(siteModel(p.root, { widths: WIDTHS, formats: ['webp'], fallback: 'original', optimizeOriginals: false }));
    expect(report.failures).toEqual([]);
    const written = fs.readdirSync(p.images).filter((f) => f !== 'manifest.json').sort();
    // a.jpg is 300 wide: 64, 128, 256; b.png is 200 wide: 64, 128 and its own 200. WebP only, no .jpg/.png copies.
    const copies = (stem: string) => written.filter((f) => f.startsWith(`${stem}.`) && f !== `${stem}.jpg` && f !== `${stem}.png`).map((f) => f.split('.').slice(-2).join('.')).sort();
    expect(copies('a')).toEqual(['128.webp', '256.webp', '64.webp']);
    expect(copies('b')).toEqual(['128.webp', '200.webp', '64.webp']);
    expect(written.filter((f) => !f.endsWith('.webp'))).toEqual(['a.jpg', 'b.png']);
    expect(fs.readFileSync(path.join(p.images, 'a.jpg'))).toEqual(originals.a);
    expect(fs.readFileSync(path.join(p.images, 'b.png'))).toEqual(originals.b);
    for (const f of written.filter((n) => n.endsWith('.webp'))) expect((await meta(path.join(p.images, f))).format).toBe('webp');
    const manifest = (await readManifest(path.join(p.images, 'manifest.json')))!;
    expect(manifest.images['/images/a.jpg']).toMatchObject({ width: 300, height: 200 });
    expect(manifest.images['/images/a.jpg']!.fallback).toBeUndefined();
    const html = fs.readFileSync(path.join(p.site, 'index.html'), 'utf8');
    expect(html).toMatch(/<source type="image\/webp" srcset="[^"]*a\.[0-9a-f]+\.64\.webp 64w/);
    expect(html).toMatch(/<img src="\/images\/a\.jpg" alt="a" width="300" height="200"/);
    expect(html).not.toMatch(/<img[^>]*srcset/);
  });
});

describe('bad input', () => {
  const p = tempProject();
  afterAll(() => p.cleanup());
  let report: ImagesReport;

  beforeAll(async () => {
    const good = await (await photo(200, 150)).jpeg().toBuffer();
    fs.writeFileSync(path.join(p.images, 'good.jpg'), good);
    const png = await (await photo(200, 150)).png().toBuffer();
    png.fill(0xff, png.length >> 1, (png.length >> 1) + 64); // damaged image data (bad CRC)
    fs.writeFileSync(path.join(p.images, 'corrupt.png'), png);
    fs.writeFileSync(path.join(p.images, 'truncated.jpg'), good.subarray(0, Math.floor(good.length / 2)));
    fs.writeFileSync(path.join(p.images, 'text.jpg'), 'just text');
    // A small file that decodes to many pixels: a decompression bomb for a 1 MP limit.
    await sharp({ create: { width: 1500, height: 1000, channels: 3, background: '#fff' } }).png().toFile(path.join(p.images, 'bomb.png'));
    fs.writeFileSync(path.join(p.images, 'scan.bmp'), Buffer.from('BM'));
    report = await runImagesPipeline(siteModel(p.root, { widths: WIDTHS, maxPixels: 1_000_000 }));
  });

  it('names each bad file with its reason, and still processes the good ones', async () => {
    expect(report.failures.map((f) => [f.file, f.code]), JSON.stringify(report.failures)).toEqual([
      ['out/images/bomb.png', 'IMAGE_TOO_LARGE'],
      ['out/images/corrupt.png', 'IMAGE_CORRUPT'],
      ['out/images/scan.bmp', 'IMAGE_UNSUPPORTED'],
      ['out/images/text.jpg', 'IMAGE_UNSUPPORTED'],
      ['out/images/truncated.jpg', 'IMAGE_CORRUPT'],
    ]);
    expect(report.failures.find((f) => f.code === 'IMAGE_TOO_LARGE')!.reason).toContain('1500x1000');
    expect(report.failures.find((f) => f.file.endsWith('truncated.jpg'))!.reason).toMatch(/truncated|premature/i);
    const manifest = (await readManifest(path.join(p.images, 'manifest.json')))!;
    expect(Object.keys(manifest.images)).toEqual(['/images/good.jpg']);
  });

  it('leaves bad files as they were and writes nothing half-way', () => {
    const names = fs.readdirSync(p.images).sort();
    expect(names.filter((n) => n.startsWith('truncated.') || n.startsWith('bomb.') || n.startsWith('corrupt.'))).toEqual(['bomb.png', 'corrupt.png', 'truncated.jpg']);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
