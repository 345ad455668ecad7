/**
 * How the per-format quality defaults were chosen: bytes and SSIM (luma, 8x8 windows) against
 * the source for each format and quality, on photo-like images resized to 1080 wide.
 *
 *   npx jiti bench/images/quality.ts
 *
 * SSIM on these grainy images favours JPEG (it keeps grain as blocks) over WebP and AVIF (they
 * smooth it), so it is compared within the smoothing codecs: WebP q75 is the reference (the
 * Next.js and next-image-export-optimizer default), and AVIF's default is the lowest quality
 * whose SSIM is at least WebP q75's, so a browser that picks AVIF never gets a worse image.
 */
import sharp from 'sharp';
import { photoLike } from './photos.js';

const WIDTH = 1080;
const HEIGHT = 720;

async function luma(input: Buffer | sharp.Sharp): Promise<Float64Array> {
  const image = Buffer.isBuffer(input) ? sharp(input) : input;
  const { data } = await image.resize({ width: WIDTH, height: HEIGHT, fit: 'fill' }).removeAlpha().greyscale().raw().toBuffer({ resolveWithObject: true });
  return Float64Array.from(data);
}

/** Mean SSIM over 8x8 windows (Wang et al. 2004 constants for 8-bit images). */
function ssim(a: Float64Array, b: Float64Array): number {
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let total = 0;
  let windows = 0;
  for (let y = 0; y + 8 <= HEIGHT; y += 8) {
    for (let x = 0; x + 8 <= WIDTH; x += 8) {
      let ma = 0, mb = 0;
      for (let j = 0; j < 8; j++) for (let i = 0; i < 8; i++) { const k = (y + j) * WIDTH + x + i; ma += a[k]!; mb += b[k]!; }
      ma /= 64; mb /= 64;
      let va = 0, vb = 0, cov = 0;
      for (let j = 0; j < 8; j++) for (let i = 0; i < 8; i++) { const k = (y + j) * WIDTH + x + i; const da = a[k]! - ma; const db = b[k]! - mb; va += da * da; vb += db * db; cov += da * db; }
      va /= 63; vb /= 63; cov /= 63;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      windows += 1;
    }
  }
  return total / windows;
}

const encoders = {
  jpeg: (s: sharp.Sharp, q: number) => s.jpeg({ quality: q, optimiseCoding: true }),
  webp: (s: sharp.Sharp, q: number) => s.webp({ quality: q, effort: 4 }),
  avif: (s: sharp.Sharp, q: number) => s.avif({ quality: q, effort: 2, chromaSubsampling: '4:2:0' }),
};
const qualities = [40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90];

const rows: { format: string; quality: number; bytes: number; ssim: number }[] = [];
const sources = await Promise.all([1, 2, 3].map(async (seed) => (await photoLike(2400, 1600, seed)).png({ compressionLevel: 1 }).toBuffer()));
const references = await Promise.all(sources.map((s) => luma(s)));
for (const [format, encode] of Object.entries(encoders)) {
  for (const quality of qualities) {
    let bytes = 0;
    let score = 0;
    for (const [i, source] of sources.entries()) {
      const out = await encode(sharp(source).resize({ width: WIDTH, height: HEIGHT, fit: 'fill' }), quality).toBuffer();
      bytes += out.length;
      score += ssim(references[i]!, await luma(out));
    }
    rows.push({ format, quality, bytes: bytes / sources.length, ssim: score / sources.length });
  }
}
const webp75 = rows.find((r) => r.format === 'webp' && r.quality === 75)!;
console.log(`| format | quality | bytes (mean, ${WIDTH}w) | SSIM |\n| --- | --- | --- | --- |`);
for (const r of rows) console.log(`| ${r.format} | ${r.quality} | ${Math.round(r.bytes)} | ${r.ssim.toFixed(4)} |`);
const avif = rows.find((r) => r.format === 'avif' && r.ssim >= webp75.ssim)!;
console.log(`avif: lowest quality with SSIM >= WebP q75 (${webp75.ssim.toFixed(4)}, ${Math.round(webp75.bytes)} bytes): ${avif.quality} (SSIM ${avif.ssim.toFixed(4)}, ${Math.round(avif.bytes)} bytes, ${Math.round((1 - avif.bytes / webp75.bytes) * 100)}% fewer)`);
