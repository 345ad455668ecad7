/**
 * The I/O edge of `_redirects`: reads the file, refuses it with every bad line named, and
 * compiles its pattern rules into the viewer-request function. The compiled function is
 * written beside the store (`.edgeship/functions/<name>.js`) and the behaviors point at it, so
 * the local edge, `synth`, `explain` and `functions test` all run the same code.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SiteModel } from '../config/model.js';
import { compiledFunctionsDir, writeIfChanged } from '../config/generated.js';
import { EdgeshipError, EXIT } from '../errors.js';
import { spliceRedirects, BLOCK_BEGIN } from './function-code.js';
import { servedPaths } from './compile.js';
import { builtKeys } from './explain.js';
import { findLoops } from './loops.js';
import { lookupPath } from './match.js';
import { excludeSiteFile, formatProblems } from './problems.js';
import { parseRedirects } from './parse.js';
import { responseFunctionFile } from '../response-function/site.js';
import { isPatternRule, STATUS_REWRITES, type RedirectDialect, type RedirectRule, type RuleProblem } from './types.js';

export function redirectsFile(site: Pick<SiteModel, 'rootDir' | 'siteDir' | 'platformFiles'>): string {
  const configured = site.platformFiles?.redirects;
  return configured === undefined ? path.join(site.siteDir, '_redirects') : path.resolve(site.rootDir, configured);
}

/** Reads `_redirects` (when there) into the model: rules, and behaviors pointing at the compiled function. Throws EdgeshipError (exit 2). */
export function applyRedirects(site: SiteModel): SiteModel {
  const file = redirectsFile(site);
  if (!fs.existsSync(file)) {
    if (site.platformFiles?.redirects !== undefined) throw usage('REDIRECTS_MISSING', `${file} does not exist`, 'fix platformFiles.redirects in the config, or remove it');
    return site;
  }
  const dialect = site.platformFiles?.dialect ?? 'netlify';
  const shown = path.relative(site.rootDir, file) || file;
  const { rules, problems, skipped } = parseRedirects(fs.readFileSync(file, 'utf8'), dialect, shown, { domain: site.domain, aliases: site.aliases });
  if (problems.length > 0) throw problemsError(shown, problems, dialect);
  // Netlify skips a rule without "!" where a file is served: a loop found without files is
  // judged again with the build on disk, read only then (no loop, no walk of the build at load).
  let loops = findLoops(rules, dialect);
  if (loops.length > 0 && dialect === 'netlify') loops = findLoops(rules, dialect, new Set([...servedPaths(builtKeys(site))].map((p) => lookupPath(p, dialect))));
  if (loops.length > 0) {
    const lines = loops.map((l) => `  - ${l.endless ? 'a chain that never ends' : 'a loop'}: ${l.paths.join(' -> ')}${l.endless ? ' -> ...' : ''} (lines ${[...new Set(l.lines)].join(', ')})`);
    throw usage('REDIRECT_LOOP', `${shown}: ${loops.length} redirect loop(s) (${dialect} dialect)\n${lines.join('\n')}`, 'point each rule at a page that is served, not at another redirect');
  }
  const compiled = compileIntoFunctions(site, rules, dialect, shown);
  const behaviors = site.behaviors.map((b) => {
    if (!b.functions?.viewerRequest || !compiled[b.functions.viewerRequest]) return b;
    return { ...b, functions: { ...b.functions, viewerRequest: compiled[b.functions.viewerRequest] } };
  });
  const statuses = statusRewrites(rules);
  const warnings = [...site.warnings, ...skipped.map((p) => ({ path: `${p.file}:${p.line}`, message: `left out "${p.text}": ${p.message}; ${p.fix}` }))];
  return {
    ...site,
    warnings,
    behaviors: statuses ? withStatusFunction(site.rootDir, behaviors, new Set(Object.values(compiled)), shown) : behaviors,
    deploy: excludeSiteFile(site, file),
    redirects: { file, dialect, rules, compiled },
    ...(statuses ? { responseFunction: { ...site.responseFunction, statuses } } : {}),
  };
}

/** The statuses other than 200 that rewrites answer with (Netlify's 404 pages), each with its reason phrase; `undefined` when none. */
function statusRewrites(rules: readonly RedirectRule[]): Record<string, string> | undefined {
  const used = Object.entries(STATUS_REWRITES).filter(([status]) => rules.some((r) => String(r.status) === status));
  return used.length > 0 ? Object.fromEntries(used) : undefined;
}

/**
 * The behaviors that run the compiled url-handler also run edgeship's viewer-response function,
 * which sets the status a rule marked (CloudFront: a viewer-response function may change the
 * status, spec §7.3, and one runs per event, §7). A behavior with a viewer-response function of
 * its own is refused: the two cannot both run.
 */
function withStatusFunction(rootDir: string, behaviors: SiteModel['behaviors'], compiledFiles: ReadonlySet<string>, shown: string): SiteModel['behaviors'] {
  const ours = responseFunctionFile(rootDir);
  const runs = (b: SiteModel['behaviors'][number]) => b.functions?.viewerRequest !== undefined && compiledFiles.has(b.functions.viewerRequest);
  const taken = behaviors.filter((b) => runs(b) && b.functions?.viewerResponse !== undefined && b.functions.viewerResponse !== ours);
  if (taken.length > 0) {
    throw usage(
      'REDIRECTS_RESPONSE_FUNCTION',
      `${shown}: its 404 rules need edgeship's viewer-response function (it sets the status) on ${taken.map((b) => `behavior ${b.path}, which already runs ${b.functions!.viewerResponse}`).join('; ')} (CloudFront allows one per event, spec §7)`,
      "remove the behavior's viewer-response function, or write the 404 rules as the config's `errors` (one 404 page for the site)",
    );
  }
  return behaviors.map((b) => (runs(b) ? { ...b, functions: { ...b.functions, viewerResponse: ours } } : b));
}

function compileIntoFunctions(site: SiteModel, rules: RedirectRule[], dialect: RedirectDialect, shown: string): Record<string, string> {
  const patterns = rules.filter(isPatternRule);
  // The KeyValueStore is read when it can hold an answer: exact-path rules, or Netlify's markers of files that shadow a pattern.
  const usesKvs = patterns.length < rules.length || (dialect === 'netlify' && patterns.some((r) => !r.force));
  const files = [...new Set(site.behaviors.flatMap((b) => (b.functions?.viewerRequest ? [b.functions.viewerRequest] : [])))];
  const compiled: Record<string, string> = {};
  for (const file of files) {
    const source = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const result = spliceRedirects(source, { patterns, dialect, usesKvs });
    if (!result.ok && result.reason === 'no-block') continue;
    if (!result.ok) {
      throw usage(
        'REDIRECTS_TOO_LARGE',
        `${shown}: its ${patterns.length} pattern rules (splats, placeholders, query matches, conditions) make ${path.basename(file)} ${result.bytes} bytes; a CloudFront Function holds at most 10,240 (spec §7.5): the first ${result.fit} fit`,
        'turn pattern rules into exact paths (those go to the KeyValueStore, thousands of them), or merge them into fewer splat rules',
      );
    }
    const out = path.join(compiledFunctionsDir(site.rootDir), path.basename(file));
    writeIfChanged(out, result.code);
    compiled[file] = out;
  }
  if (Object.keys(compiled).length === 0) {
    throw usage('REDIRECTS_NO_FUNCTION', `${shown} has ${rules.length} rule(s), but no viewer-request function has the "${BLOCK_BEGIN}" block they are compiled into`, 'run `edgeship init --force` to write edge/url-handler.js with the block, or copy the block from docs/redirects.md into your function');
  }
  return compiled;
}

function problemsError(shown: string, problems: RuleProblem[], dialect: RedirectDialect): EdgeshipError {
  return usage('REDIRECTS_INVALID', `${shown}: ${problems.length} bad line(s) (${dialect} dialect)\n${formatProblems(problems)}`, 'fix each line as its "fix" says; every bad line is listed');
}

function usage(code: string, message: string, hint: string): EdgeshipError {
  return new EdgeshipError(code, message, { exitCode: EXIT.usage, hint });
}
