/**
 * What `explain` says about `_redirects`: which rule (file and line) answers a URL, and the
 * KeyValueStore data a deploy of the current build would write, so the function `explain`
 * runs answers as it will once deployed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SiteModel } from '../config/model.js';
import { servedPaths } from './compile.js';
import { compileRules, lookupPath, resolveRedirect } from './match.js';

export interface RedirectExplanation {
  /** `out/_redirects:12` */
  at: string;
  rule: string;
  status: number;
  target: string;
  dialect: string;
}

/** The keys a deploy would store for the build as it is on disk (`[]` when there is no build yet). */
export function builtKeys(site: Pick<SiteModel, 'siteDir' | 'basePath'>): string[] {
  if (!fs.existsSync(site.siteDir)) return [];
  const prefix = site.basePath ? `${site.basePath.slice(1)}/` : '';
  return fs
    .readdirSync(site.siteDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => prefix + path.relative(site.siteDir, path.join(d.parentPath, d.name)).split(path.sep).join('/'));
}

export function explainRedirect(site: Pick<SiteModel, 'redirects' | 'rootDir'>, url: string, keys: readonly string[]): RedirectExplanation | null {
  const redirects = site.redirects;
  if (!redirects) return null;
  const [urlPath = '/', search = ''] = url.split('?');
  const query = Object.fromEntries(
    search
      .split('&')
      .filter(Boolean)
      .map((p) => (p.includes('=') ? [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] : [p, ''])),
  );
  const served = new Set([...servedPaths(keys)].map((p) => lookupPath(p, redirects.dialect)));
  const fileExists = served.has(lookupPath(urlPath, redirects.dialect));
  const answer = resolveRedirect(compileRules(redirects.rules, redirects.dialect), { path: urlPath, query, fileExists }, redirects.dialect);
  if (!answer) return null;
  const r = answer.rule;
  const rule = [r.from, ...Object.entries(r.query).map(([k, v]) => `${k}=${v}`), r.to, `${r.status}${r.force && redirects.dialect === 'netlify' ? '!' : ''}`].join(' ');
  return { at: `${path.relative(site.rootDir, redirects.file)}:${r.line}`, rule, status: answer.status, target: answer.target, dialect: redirects.dialect };
}
