import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/**
 * Photo-like test images, generated (no binary files in git): smooth colour fields (a few
 * random colours enlarged with a cubic kernel), blurred-noise texture and fine grain. They
 * compress like photos: a 2400x1600 JPEG at q90 is about a megabyte, not a few kilobytes
 * (flat colour) or several megabytes (pure noise). sharp's noise is not seeded: images differ
 * slightly from one generation to the next (the benchmark generates its set once and reuses it).
 */
export async function photoLike(width: number, height: number, seed: number, alpha = false): Promise<sharp.Sharp> {
  let state = (seed * 2_654_435_761) >>> 0;
  const random = () => ((state = (state * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
  const small = Buffer.alloc(12 * 8 * 3);
  for (let i = 0; i < small.length; i++) small[i] = Math.floor(random() * 256);
  const base = await sharp(small, { raw: { width: 12, height: 8, channels: 3 } }).resize(width, height, { kernel: 'cubic' }).raw().toBuffer();
  const texture = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).blur(2.5).raw().toBuffer();
  const grain = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 6 } } }).raw().toBuffer();
  const channels = alpha ? 4 : 3;
  const out = Buffer.alloc(width * height * channels);
  for (let p = 0, q = 0; p < base.length; p += 3, q += channels) {
    for (let c = 0; c < 3; c++) out[q + c] = Math.max(0, Math.min(255, base[p + c]! + (texture[p + c]! - 128) * 0.6 + (grain[p + c]! - 128)));
    if (alpha) {
      const pixel = p / 3;
      const x = pixel % width;
      const y = Math.floor(pixel / width);
      const d = Math.hypot(x / width - 0.5, y / height - 0.5);
      out[q + 3] = Math.max(0, Math.min(255, Math.round(255 * (1.2 - 2 * d))));
    }
  }
  return sharp(out, { raw: { width, height, channels } });
}

/** The benchmark set: 40 JPEG 2400x1600 (q90) and 10 RGBA PNG, written once into `dir` and reused. */
export async function benchmarkPhotos(dir: string): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (let i = 1; i <= 50; i++) {
    const png = i > 40;
    const name = `photo-${String(i).padStart(2, '0')}.${png ? 'png' : 'jpg'}`;
    names.push(name);
    const file = path.join(dir, name);
    if (fs.existsSync(file)) continue;
    const image = await photoLike(2400, 1600, i, png);
    await (png ? image.png() : image.jpeg({ quality: 90 })).toFile(`${file}.tmp`);
    fs.renameSync(`${file}.tmp`, file);
  }
  return names;
}
