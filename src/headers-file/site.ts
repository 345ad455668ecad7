/**
 * The I/O edge of `_headers`: reads the file named by `platformFiles.headers` (default
 * `<site>/_headers`) into the model's behaviors and headers policies, or refuses it with every
 * bad line named (exit 2).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SiteModel } from '../config/model.js';
import { EdgeshipError, EXIT } from '../errors.js';
import { excludeSiteFile, formatProblems } from '../redirects/problems.js';
import { compileHeaders } from './compile.js';
import { parseHeaders } from './parse.js';

export function headersFile(site: Pick<SiteModel, 'rootDir' | 'siteDir' | 'platformFiles'>): string {
  const configured = site.platformFiles?.headers;
  return configured === undefined ? path.join(site.siteDir, '_headers') : path.resolve(site.rootDir, configured);
}

export function applyHeadersFile(site: SiteModel): SiteModel {
  const file = headersFile(site);
  if (!fs.existsSync(file)) {
    if (site.platformFiles?.headers !== undefined) throw new EdgeshipError('HEADERS_FILE_MISSING', `${file} does not exist`, { exitCode: EXIT.usage, hint: 'fix platformFiles.headers in the config, or remove it' });
    return site;
  }
  const dialect = site.platformFiles?.dialect ?? 'netlify';
  const shown = path.relative(site.rootDir, file) || file;
  const parsed = parseHeaders(fs.readFileSync(file, 'utf8'), dialect, shown);
  const compiled = compileHeaders(parsed.rules, site.behaviors, site.headersPolicies, shown);
  const problems = [...parsed.problems, ...compiled.problems].sort((a, b) => a.line - b.line);
  if (problems.length > 0) {
    throw new EdgeshipError('HEADERS_FILE_INVALID', `${shown}: ${problems.length} problem(s) (${dialect} dialect)\n${formatProblems(problems)}`, { exitCode: EXIT.usage, hint: 'fix each line as its "fix" says; every problem is listed' });
  }
  // The rules themselves too, for audit to check each on the served site.
  return { ...site, behaviors: compiled.behaviors, headersPolicies: compiled.headersPolicies, deploy: excludeSiteFile(site, file), headersFile: { file, dialect, rules: parsed.rules } };
}
