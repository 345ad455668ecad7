// Photo-like images for the example site, generated with sharp: smooth gradients, a skyline and
// grain compress like real photos do, so the image pipeline has honest work to do.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const PHOTOS = [
  { name: 'hero.jpg', width: 2400, height: 1350, seed: 1, hue: [40, 90, 140] },
  { name: 'pack.jpg', width: 1600, height: 1200, seed: 2, hue: [120, 80, 50] },
  { name: 'jacket.jpg', width: 1600, height: 1200, seed: 3, hue: [30, 60, 120] },
  { name: 'team.jpg', width: 2000, height: 1125, seed: 4, hue: [90, 110, 60] },
  { name: 'ridge.jpg', width: 1800, height: 1200, seed: 5, hue: [150, 90, 60] },
  { name: 'tent.png', width: 1200, height: 900, seed: 6, hue: [200, 120, 40], alpha: true },
];

function rng(seed) {
  let s = seed * 2654435761 >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}

function pixels({ width, height, seed, hue, alpha }) {
  const channels = alpha ? 4 : 3;
  const data = Buffer.alloc(width * height * channels);
  const rand = rng(seed);
  const ridge = Array.from({ length: 8 }, () => rand());
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      let h = 0.55;
      for (let k = 0; k < ridge.length; k++) h += Math.sin(u * (k + 1) * 3.1 + ridge[k] * 6.28) * 0.05 / (k + 1);
      const ground = v > h;
      const grain = (rand() - 0.5) * 18;
      const i = (y * width + x) * channels;
      for (let c = 0; c < 3; c++) {
        const sky = 235 - v * 120 + c * 8;
        const land = hue[c] * (1.1 - v * 0.6);
        data[i + c] = Math.max(0, Math.min(255, (ground ? land : sky) + grain));
      }
      if (alpha) {
        // A tent-like triangle on a transparent background.
        const inside = v > 0.2 && Math.abs(u - 0.5) < (v - 0.2) * 0.6;
        data[i + 3] = inside ? 255 : 0;
      }
    }
  }
  return { data, channels };
}

/** Writes the photos that are missing (a second set-up is instant). */
export async function generatePhotos(dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const p of PHOTOS) {
    const file = path.join(dir, p.name);
    if (!fs.existsSync(file)) await writePhoto(file, p);
  }
}

/** One photo-like image: `{ width, height, seed, hue: [r, g, b], alpha? }`; PNG when the name says so. */
export async function writePhoto(file, p) {
  const { data, channels } = pixels(p);
  const img = sharp(data, { raw: { width: p.width, height: p.height, channels } });
  const encoded = file.endsWith('.png') ? img.png({ compressionLevel: 6 }) : img.jpeg({ quality: p.quality ?? 92 });
  const tmp = `${file}.tmp`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await encoded.toFile(tmp);
  fs.renameSync(tmp, file);
}

/** A 32x32 favicon: an ICO file that wraps one PNG image (supported by every current browser). */
export async function writeFavicon(file) {
  if (fs.existsSync(file)) return;
  const png = await sharp({ create: { width: 32, height: 32, channels: 4, background: { r: 47, g: 125, b: 91, alpha: 1 } } })
    .composite([{ input: Buffer.from('<svg width="32" height="32"><path d="M4 26 L16 6 L28 26 Z" fill="#f7f5f0"/></svg>'), top: 0, left: 0 }])
    .png()
    .toBuffer();
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(32, 6); // width
  header.writeUInt8(32, 7); // height
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(22, 18); // offset of the image data
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat([header, png]));
}
