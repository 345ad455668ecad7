import { compileTable, type BehaviorTable } from '../../src/behavior/table.js';
import type { BehaviorConfig } from '../../src/config/schema.js';
import type { LocalFile, Manifest, ManifestEntry, RemoteObject } from '../../src/deploy/types.js';

/** The nextjs-export table: hashed chunks and images immutable, everything else 5 minutes at the edge. */
export const NEXT_BEHAVIORS: BehaviorConfig[] = [
  { path: '_next/static/*', cache: 'immutable', compress: true },
  { path: 'images/*', cache: 'immutable', compress: true },
  { path: '*', cache: { edge: 300, browser: 0 }, compress: true },
];

export function nextTable(behaviors: BehaviorConfig[] = NEXT_BEHAVIORS): BehaviorTable {
  return compileTable({ behaviors, headersPolicies: {} });
}

/** A local file whose md5 is a readable stand-in (`md5-of-<content>`). */
export function file(key: string, content = key, size = content.length): LocalFile {
  return { key, absPath: `/site/${key}`, size, mtimeMs: 0, md5: md5(content) };
}

export function md5(content: string): string {
  return `md5-${content}`;
}

export function remote(key: string, content = key, size = content.length): RemoteObject {
  return { key, size, etag: md5(content), lastModified: new Date(0) };
}

/** A manifest entry as a previous deploy wrote it, with the table's headers for the key. */
export function entry(table: BehaviorTable, key: string, content = key, extra: Partial<ManifestEntry> = {}): ManifestEntry {
  const h = table.objectHeaders(key);
  return { md5: md5(content), etag: md5(content), size: content.length, cacheControl: h.cacheControl, contentType: h.contentType, firstDeploy: 1, ...extra };
}

export function manifest(entries: Record<string, ManifestEntry>, deploys = [{ id: 1, at: '2026-01-01T00:00:00.000Z' }]): Manifest {
  return { version: 1, deploys, entries };
}
