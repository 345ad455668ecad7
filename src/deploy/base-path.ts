import type { ScanResult } from './scan.js';

/** The key prefix a base path gives every object of the build: `/docs` -> `docs/`. */
export function keyPrefix(basePath: string): string {
  return basePath ? `${basePath.slice(1)}/` : '';
}

/** A scan's keys as stored under the site's base path (the files stay where the build wrote them). */
export function underBasePath(scan: ScanResult, basePath: string): ScanResult {
  const prefix = keyPrefix(basePath);
  if (!prefix) return scan;
  return { ...scan, files: scan.files.map((f) => ({ ...f, key: prefix + f.key })), excluded: scan.excluded.map((k) => prefix + k) };
}
