import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { resolveConfig } from '../../src/config/load.js';
import type { SiteModel } from '../../src/config/model.js';
import type { EdgeshipConfig } from '../../src/config/schema.js';

/** A photo-like image: a colour gradient with noise, so encoders behave as they do on photos. */
export async function photo(width: number, height: number, options: { alpha?: boolean } = {}): Promise<sharp.Sharp> {
  const channels = options.alpha ? 4 : 3;
  const data = Buffer.alloc(width * height * channels);
  let seed = (width * 7919 + height) >>> 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1_664_525 + 1_013_904_223) >>> 0;
      const noise = (seed >>> 24) % 24;
      const i = (y * width + x) * channels;
      data[i] = Math.min(255, Math.round((x / width) * 200) + noise);
      data[i + 1] = Math.min(255, Math.round((y / height) * 200) + noise);
      data[i + 2] = Math.min(255, 120 + noise);
      if (options.alpha) data[i + 3] = Math.round((x / width) * 255);
    }
  }
  return sharp(data, { raw: { width, height, channels } });
}

/** A temporary project: a config folder with `out/` as the site. */
export function tempProject(): { root: string; site: string; images: string; cleanup(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-images-'));
  const site = path.join(root, 'out');
  const images = path.join(site, 'images');
  fs.mkdirSync(images, { recursive: true });
  return { root, site, images, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export function siteModel(root: string, images: NonNullable<EdgeshipConfig['images']> = {}): SiteModel {
  return resolveConfig({ site: 'out', images }, root);
}
