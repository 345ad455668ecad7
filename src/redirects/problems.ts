/** What `_redirects` and `_headers` share at their I/O edge: how bad lines read, and keeping the files out of the upload. */
import path from 'node:path';
import type { SiteModel } from '../config/model.js';
import type { RuleProblem } from './types.js';

/** One entry per bad line: `file:line: message`, the line as written, and the fix. */
export function formatProblems(problems: readonly RuleProblem[]): string {
  return problems.map((p) => `  - ${p.file}:${p.line}: ${p.message}${p.text ? `\n      ${p.text}` : ''}\n      fix: ${p.fix}`).join('\n');
}

/** `deploy.exclude` with the file added when it is inside the site folder: neither platform serves it, nor does edgeship upload it. */
export function excludeSiteFile(site: Pick<SiteModel, 'siteDir' | 'deploy'>, file: string): SiteModel['deploy'] {
  const inSite = path.relative(site.siteDir, file);
  if (inSite.startsWith('..') || path.isAbsolute(inSite)) return site.deploy;
  return { ...site.deploy, exclude: [...site.deploy.exclude, inSite.split(path.sep).join('/')] };
}
