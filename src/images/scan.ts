import fs from 'node:fs/promises';
import path from 'node:path';
import { splitName, VARIANT_NAME } from './plan.js';

/** Extensions of rasters the pipeline encodes. */
export const RASTER_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'webp', 'avif', 'gif', 'tif', 'tiff']);
/** Left exactly as they are (vector or icon formats gain nothing from the pipeline). */
export const UNTOUCHED_EXTENSIONS = new Set(['svg', 'ico']);
/**
 * Already modern (a framework's own output, such as Astro's `astro:assets` or Hugo's processed
 * images): left exactly as they are. Re-encoding an AVIF or WebP to itself only loses quality,
 * and converting one lossy format to another compounds the loss for a few bytes.
 */
export const MODERN_EXTENSIONS = new Set(['webp', 'avif']);
/** Image formats that are reported as unsupported rather than silently skipped. */
export const UNSUPPORTED_EXTENSIONS = new Set(['bmp', 'heic', 'heif', 'jxl', 'jp2', 'psd', 'tga', 'dng', 'cr2', 'nef', 'arw']);

export const MANIFEST_NAME = 'manifest.json';

export interface ScannedFile {
  abs: string;
  /** Path relative to the site folder, with `/`. */
  rel: string;
  /** Root-relative, percent-encoded URL path: `/images/with%20space.jpg`. */
  url: string;
}

export interface ScanResult {
  sources: ScannedFile[];
  untouched: ScannedFile[];
  /** AVIF and WebP files, left as they are. */
  modern: ScannedFile[];
  unsupported: ScannedFile[];
}

/** `images/a b.jpg` -> `/images/a%20b.jpg`. */
export function urlPathOf(rel: string): string {
  return `/${rel.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Lists the images under `<site>/<dir>`: sources to encode, files left untouched (SVG, ICO,
 * and AVIF/WebP, by extension), files of
 * unsupported image formats. Skips the manifest, dotfiles, temporary files and the pipeline's
 * own variants (`<name>.<hash>.<width>.<ext>` beside a source named `<name>.*`).
 */
export async function scanImages(siteDir: string, dir: string): Promise<ScanResult> {
  const root = path.join(siteDir, dir);
  const result: ScanResult = { sources: [], untouched: [], modern: [], unsupported: [] };
  let entries: string[];
  try {
    entries = (await fs.readdir(root, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return result;
    throw error;
  }
  entries.sort();
  const stemsByFolder = new Map<string, Set<string>>();
  for (const abs of entries) {
    const { stem, ext } = splitName(path.basename(abs));
    if (!RASTER_EXTENSIONS.has(ext.toLowerCase())) continue;
    const folder = path.dirname(abs);
    if (!stemsByFolder.has(folder)) stemsByFolder.set(folder, new Set());
    stemsByFolder.get(folder)!.add(stem);
  }
  for (const abs of entries) {
    const name = path.basename(abs);
    if (name.startsWith('.') || name.endsWith('.tmp')) continue;
    const rel = path.relative(siteDir, abs).split(path.sep).join('/');
    if (path.dirname(abs) === root && name === MANIFEST_NAME) continue;
    const variant = VARIANT_NAME.exec(name);
    if (variant && stemsByFolder.get(path.dirname(abs))?.has(variant[1]!)) continue;
    const ext = splitName(name).ext.toLowerCase();
    const file = { abs, rel, url: urlPathOf(rel) };
    if (MODERN_EXTENSIONS.has(ext)) result.modern.push(file);
    else if (RASTER_EXTENSIONS.has(ext)) result.sources.push(file);
    else if (UNTOUCHED_EXTENSIONS.has(ext)) result.untouched.push(file);
    else if (UNSUPPORTED_EXTENSIONS.has(ext)) result.unsupported.push(file);
  }
  return result;
}
