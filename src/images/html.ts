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
}

/** Rewrites every `.html` under the site folder against the manifest (atomic writes; unchanged files are not touched). */
export async function rewriteSiteHtml(siteDir: string, manifest: ImageManifest): Promise<HtmlReport> {
  const report: HtmlReport = { files: 0, changed: 0, images: 0 };
  const entries = await fs.readdir(siteDir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.html')).map((e) => path.join(e.parentPath, e.name));
  for (const file of files.sort()) {
    report.files += 1;
    const html = await fs.readFile(file, 'utf8');
    const docPath = `/${path.relative(siteDir, file).split(path.sep).join('/')}`;
    const result = rewriteHtml(html, docPath, manifest);
    if (result.rewritten === 0) continue;
    await writeFileAtomic(file, result.html);
    report.changed += 1;
    report.images += result.rewritten;
  }
  return report;
}
