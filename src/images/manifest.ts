import fs from 'node:fs/promises';
import { writeFileAtomic } from './fs-atomic.js';
import type { ImageManifest, ManifestEntry } from './types.js';

/** A manifest with its entries in URL order, so the file is stable from run to run. */
export function buildManifest(entries: Map<string, ManifestEntry>): ImageManifest {
  const images: Record<string, ManifestEntry> = {};
  for (const url of [...entries.keys()].sort()) images[url] = entries.get(url)!;
  return { version: 1, images };
}

export async function readManifest(file: string): Promise<ImageManifest | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as ImageManifest;
    return parsed?.version === 1 && parsed.images ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the manifest atomically, and only when it changed (a no-op run leaves the file alone). */
export async function writeManifest(file: string, manifest: ImageManifest): Promise<boolean> {
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  try {
    if ((await fs.readFile(file, 'utf8')) === text) return false;
  } catch {
    // no manifest yet
  }
  await writeFileAtomic(file, text);
  return true;
}
