/**
 * AVIF encoder effort: CPU time and bytes per effort level, on photo-like images at 1080 and
 * 1920 wide (quality 60, 4:2:0), one encode at a time.
 *
 *   npx jiti bench/images/effort.ts
 */
import sharp from 'sharp';
import { photoLike } from './photos.js';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const sources = await Promise.all([1, 2].map(async (seed) => (await photoLike(2400, 1600, seed)).raw().toBuffer({ resolveWithObject: true })));
console.log('| effort | CPU ms (mean per encode) | bytes (mean) |\n| --- | --- | --- |');
const rows: { effort: number; cpu: number; bytes: number }[] = [];
for (const effort of [0, 2, 3, 4]) {
  let cpu = 0;
  let bytes = 0;
  let n = 0;
  for (const { data, info } of sources) {
    for (const width of [1080, 1920]) {
      const pipeline = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).resize({ width });
      const resized = await pipeline.raw().toBuffer({ resolveWithObject: true });
      const start = cpuMs();
      const out = await sharp(resized.data, { raw: { width: resized.info.width, height: resized.info.height, channels: resized.info.channels } }).avif({ quality: 60, effort, chromaSubsampling: '4:2:0' }).toBuffer();
      cpu += cpuMs() - start;
      bytes += out.length;
      n += 1;
    }
  }
  rows.push({ effort, cpu: cpu / n, bytes: bytes / n });
  console.log(`| ${effort} | ${Math.round(cpu / n)} | ${Math.round(bytes / n)} |`);
}
const e2 = rows.find((r) => r.effort === 2)!;
const e4 = rows.find((r) => r.effort === 4)!;
console.log(`effort 4 vs 2: ${(e4.cpu / e2.cpu).toFixed(1)}x the CPU for ${Math.round((1 - e4.bytes / e2.bytes) * 100)}% fewer bytes`);
