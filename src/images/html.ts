import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './fs-atomic.js';
import { rewriteHtml } from './rewrite.js';
import type { ImageManifest } from './types.js';

export interface HtmlReport {
  /** HTML files read. */
  files: number;
  /** Files changed. */
  changed: number;
  /** `<img>` elements rewritten. */
  images: number;
  /** Rewritten images that are their page's priority image (never lazy, `fetchpriority="high"`). */
  priority: number;
  /** Image preloads rewritten to the responsive form (or removed). */
  preloads: number;
  /** Rewritten images whose `sizes` fell back to the default: nothing on the page said their width. */
  defaultSizes: { file: string; src: string }[];
}

/** Rewrites every `.html` under the site folder against the manifest (atomic writes; unchanged files are not touched). */
export async function rewriteSiteHtml(siteDir: string, manifest: ImageManifest, basePath = ''): Promise<HtmlReport> {
  const report: HtmlReport = { files: 0, changed: 0, images: 0, priority: 0, preloads: 0, defaultSizes: [] };
  const entries = await fs.readdir(siteDir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.html')).map((e) => path.join(e.parentPath, e.name));
  for (const file of files.sort()) {
    report.files += 1;
    const html = await fs.readFile(file, 'utf8');
    const rel = path.relative(siteDir, file).split(path.sep).join('/');
    const result = rewriteHtml(html, `/${rel}`, manifest, basePath);
    if (result.html === html) continue;
    await writeFileAtomic(file, result.html);
    report.changed += 1;
    report.images += result.rewritten;
    report.priority += result.priority;
    report.preloads += result.preloads;
    report.defaultSizes.push(...result.defaultSizes.map((src) => ({ file: rel, src })));
  }
  return report;
}
