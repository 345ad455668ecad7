/**
 * The I/O edge of `_headers`: reads the file named by `platformFiles.headers` (default
 * `<site>/_headers`) into the model's behaviors and headers policies, attaches edgeship's
 * viewer-response function (src/response-function/) for the rules no path pattern expresses,
 * or refuses the file with every bad line named (exit 2).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SiteModel } from '../config/model.js';
import type { BehaviorConfig } from '../config/schema.js';
import { EdgeshipError, EXIT } from '../errors.js';
import { excludeSiteFile, formatProblems } from '../redirects/problems.js';
import { responseFunctionFile } from '../response-function/site.js';
import { compileHeaders, type CompiledHeaders } from './compile.js';
import { headersFunctionEntries, PATH_HEADER } from './function-code.js';
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
  const parsed = parseHeaders(fs.readFileSync(file, 'utf8'), dialect, shown, { domain: site.domain, aliases: site.aliases });
  const compiled = compileHeaders(parsed.rules, site.behaviors, site.headersPolicies, shown);
  const problems = [...parsed.problems, ...compiled.problems].sort((a, b) => a.line - b.line);
  if (problems.length > 0) {
    throw new EdgeshipError('HEADERS_FILE_INVALID', `${shown}: ${problems.length} problem(s) (${dialect} dialect)\n${formatProblems(problems)}`, { exitCode: EXIT.usage, hint: 'fix each line as its "fix" says; every problem is listed' });
  }
  const behaviors = withResponseFunction(site.rootDir, compiled, shown);
  const responseFunction = compiled.functionAt.length > 0 ? { ...site.responseFunction, headers: { file: shown, entries: headersFunctionEntries(parsed.rules, compiled.functionHeaders) } } : site.responseFunction;
  const warnings = [...site.warnings, ...parsed.skipped.map((p) => ({ path: `${p.file}:${p.line}`, message: `left out "${p.text}": ${p.message}` }))];
  // The rules themselves too (headersFile), for audit to check each on the served site.
  return { ...site, warnings, behaviors, headersPolicies: compiled.headersPolicies, deploy: excludeSiteFile(site, file), headersFile: { file, dialect, rules: parsed.rules }, ...(responseFunction ? { responseFunction } : {}) };
}

/** The compiled behaviors, those at `functionAt` running edgeship's viewer-response function (written by the last loading step). */
function withResponseFunction(rootDir: string, compiled: CompiledHeaders, shown: string): BehaviorConfig[] {
  if (compiled.functionAt.length === 0) return compiled.behaviors;
  const at = new Set(compiled.functionAt);
  // A viewer-request function that rewrites the URI must say what the viewer asked for, or the function matches the rewritten path.
  const unmarked = [...new Set(compiled.behaviors.filter((b, i) => at.has(i) && b.functions?.viewerRequest).map((b) => b.functions!.viewerRequest!))].filter((f) => !fs.existsSync(f) || !fs.readFileSync(f, 'utf8').includes(PATH_HEADER));
  if (unmarked.length > 0) {
    throw new EdgeshipError('HEADERS_PATH_UNMARKED', `${shown}: ${unmarked.join(', ')} runs before the _headers viewer-response function but does not keep the viewer's path in the ${PATH_HEADER} request header`, {
      exitCode: EXIT.usage,
      hint: `add \`request.headers['${PATH_HEADER}'] = { value: request.uri };\` before it changes request.uri (edgeship init --force writes a url-handler that does)`,
    });
  }
  return compiled.behaviors.map((b, i) => (at.has(i) ? { ...b, functions: { ...b.functions, viewerResponse: responseFunctionFile(rootDir, b.functions?.viewerRequest !== undefined) } } : b));
}
