/**
 * How edgeship reads `_redirects` and `_headers` files that real sites use, not only the
 * platforms' own examples: each file of a folder runs through the same pure functions `edgeship`
 * loads a site with, and the refusals are counted by reason.
 *
 *   node --import jiti/register scripts/platform-files-survey.ts <folder> [--json]
 *
 * The folder holds `redirects/` and `headers/`, and optionally `SOURCES.tsv` (kind, repo, commit,
 * path, dialect; the file name is `<owner>__<repo>__<path with / as _>`). A file whose dialect is
 * not given is read in both, and judged by the one it loads best in. `_headers` are compiled onto
 * the Astro preset's behavior table, the table `edgeship init --preset astro` writes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { presetFiles } from '../src/cli/init.js';
import { resolveConfig } from '../src/config/load.js';
import { astro } from '../src/config/presets/index.js';
import type { SiteModel } from '../src/config/model.js';
import { compileHeaders } from '../src/headers-file/compile.js';
import { headersFunctionEntries } from '../src/headers-file/function-code.js';
import { parseHeaders } from '../src/headers-file/parse.js';
import { spliceRedirects } from '../src/redirects/function-code.js';
import { findLoops } from '../src/redirects/loops.js';
import { parseRedirects } from '../src/redirects/parse.js';
import { isPatternRule, type RedirectDialect } from '../src/redirects/types.js';
import { responseFunctionCode } from '../src/response-function/code.js';

export type Kind = 'redirects' | 'headers';

/** One file read in one dialect. */
export interface FileResult {
  kind: Kind;
  file: string;
  dialect: RedirectDialect;
  /** Rule lines: accepted plus refused by the parser. */
  rules: number;
  accepted: number;
  /** Refusal reason (see `reasonOf`) to how many times it occurs in the file. */
  refused: Record<string, number>;
  /** First offending line per reason, to show what was refused. */
  examples: Record<string, string>;
  exact?: number;
  pattern?: number;
  /** Size of the compiled CloudFront Function, and whether it is within 10 KB. */
  functionBytes?: number;
  fits?: boolean;
  behaviorsAdded?: number;
  /** `_headers` rules the viewer-response function evaluates. */
  functionRules?: number;
}

/**
 * A refusal message as a reason shared across files: quoted values become `…`, numbers `N`,
 * and the detail after ` (`, `; ` or ` on behavior ` is dropped.
 */
export function reasonOf(message: string): string {
  const general = message.replace(/"[^"]*"/g, '…').replace(/\d+/g, 'N');
  const cuts = [' (', '; ', ' on behavior '].map((s) => general.indexOf(s)).filter((i) => i > 0);
  return (cuts.length ? general.slice(0, Math.min(...cuts)) : general).trim();
}

/** A file loads unchanged when nothing in it is refused. */
export const loads = (r: FileResult) => Object.keys(r.refused).length === 0;

export interface Summary {
  files: number;
  loadUnchanged: number;
  /** Reasons, most files blocked first (a file counts once per reason). */
  reasons: { reason: string; files: number; lines: number }[];
}

/** Each file judged by its best dialect (fewest refusals), then the reasons ranked by files they block. */
export function summarize(results: readonly FileResult[]): Summary {
  const best = new Map<string, FileResult>();
  const count = (r: FileResult) => Object.values(r.refused).reduce((a, b) => a + b, 0);
  for (const r of results) {
    const key = `${r.kind}/${r.file}`;
    const had = best.get(key);
    if (!had || count(r) < count(had)) best.set(key, r);
  }
  const reasons = new Map<string, { files: number; lines: number }>();
  for (const r of best.values()) {
    for (const [reason, n] of Object.entries(r.refused)) {
      const had = reasons.get(reason) ?? { files: 0, lines: 0 };
      reasons.set(reason, { files: had.files + 1, lines: had.lines + n });
    }
  }
  const ranked = [...reasons].map(([reason, c]) => ({ reason, ...c })).sort((a, b) => b.files - a.files || b.lines - a.lines || a.reason.localeCompare(b.reason));
  return { files: best.size, loadUnchanged: [...best.values()].filter(loads).length, reasons: ranked };
}

function refusals(list: { message: string; text: string }[]): Pick<FileResult, 'refused' | 'examples'> {
  const refused: Record<string, number> = {};
  const examples: Record<string, string> = {};
  for (const p of list) {
    const reason = reasonOf(p.message);
    refused[reason] = (refused[reason] ?? 0) + 1;
    examples[reason] ??= p.text;
  }
  return { refused, examples };
}

function surveyRedirects(file: string, text: string, dialect: RedirectDialect, handler: string): FileResult {
  const { rules, problems } = parseRedirects(text, dialect, file);
  const loops = findLoops(rules, dialect).map((l) => ({ message: l.endless ? 'a redirect chain that never ends' : 'a redirect loop', text: l.paths.join(' -> ') }));
  const patterns = rules.filter(isPatternRule);
  // As src/redirects/site.ts decides it: the KeyValueStore is read when it can hold an answer.
  const usesKvs = patterns.length < rules.length || (dialect === 'netlify' && patterns.some((r) => !r.force));
  const spliced = spliceRedirects(handler, { patterns, dialect, usesKvs });
  const bytes = spliced.ok ? spliced.bytes : spliced.reason === 'too-large' ? spliced.bytes : 0;
  const size = bytes > 0 && !spliced.ok ? [{ message: 'the compiled url-handler is over 10 KB', text: `${patterns.length} pattern rules` }] : [];
  return { kind: 'redirects', file, dialect, rules: rules.length + problems.length, accepted: rules.length, ...refusals([...problems, ...loops, ...size]), exact: rules.length - patterns.length, pattern: patterns.length, functionBytes: bytes, fits: spliced.ok };
}

function surveyHeaders(file: string, text: string, dialect: RedirectDialect, site: SiteModel): FileResult {
  const { rules, problems } = parseHeaders(text, dialect, file);
  const compiled = compileHeaders(rules, site.behaviors, site.headersPolicies, file);
  const names = new Set(compiled.functionHeaders);
  const fn = compiled.functionAt.length > 0 ? responseFunctionCode({ headers: { file, entries: headersFunctionEntries(rules, compiled.functionHeaders) } }) : undefined;
  const size = fn && !fn.fits ? [{ message: 'the viewer-response function is over 10 KB', text: `${names.size} headers` }] : [];
  const lineProblems = [...problems, ...compiled.problems];
  // A rule is refused when a problem falls on its path line or on one of its header lines; an oversized function refuses them all.
  const last = [...rules].reverse();
  const refusedRules = new Set(size.length ? rules.map((r) => r.line) : lineProblems.map((p) => last.find((r) => r.line <= p.line)?.line));
  // Path lines: every unindented line that is not a comment (the parser refuses those that do not start with "/").
  const pathLines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#') && !/^\s/.test(l)).length;
  return {
    kind: 'headers',
    file,
    dialect,
    rules: pathLines,
    accepted: rules.filter((r) => !refusedRules.has(r.line)).length,
    ...refusals([...lineProblems, ...size]),
    behaviorsAdded: compiled.behaviors.length - site.behaviors.length,
    functionRules: rules.filter((r) => r.set.some((h) => names.has(h.name.toLowerCase())) || r.detach.some((n) => names.has(n))).length,
    functionBytes: fn?.bytes ?? 0,
    fits: fn?.fits ?? true,
  };
}

function dialectsFrom(folder: string): Map<string, RedirectDialect | undefined> {
  const out = new Map<string, RedirectDialect | undefined>();
  const tsv = path.join(folder, 'SOURCES.tsv');
  if (!fs.existsSync(tsv)) return out;
  for (const line of fs.readFileSync(tsv, 'utf8').split('\n').slice(1).filter(Boolean)) {
    const [kind, repo, , file, dialect] = line.split('\t');
    const name = `${repo!.replace('/', '__')}__${file!.replace(/\//g, '_')}`;
    out.set(`${kind}/${name}`, dialect === 'netlify' || dialect === 'cloudflare' ? dialect : undefined);
  }
  return out;
}

/** The Astro preset as `edgeship` resolves it, from a scratch folder holding the url-handler `init` writes. */
function astroSite(handler: string): SiteModel {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-survey-'));
  try {
    fs.mkdirSync(path.join(dir, 'edge'));
    fs.writeFileSync(path.join(dir, 'edge/url-handler.js'), handler);
    return resolveConfig(astro({ domain: 'example.com' }), dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function survey(folder: string): FileResult[] {
  const handler = presetFiles('astro', 'example.com', {})['edge/url-handler.js']!;
  const site = astroSite(handler);
  const dialects = dialectsFrom(folder);
  const results: FileResult[] = [];
  for (const kind of ['redirects', 'headers'] as const) {
    const dir = path.join(folder, kind);
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).sort()) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const given = dialects.get(`${kind}/${file}`);
      for (const dialect of given ? [given] : (['netlify', 'cloudflare'] as const)) {
        results.push(kind === 'redirects' ? surveyRedirects(file, text, dialect, handler) : surveyHeaders(file, text, dialect, site));
      }
    }
  }
  return results;
}

function table(results: readonly FileResult[], summary: Summary): string {
  // Reasons that block a file first, then those seen only in a file's other dialect.
  const all = [...new Set([...summary.reasons.map((r) => r.reason), ...results.flatMap((r) => Object.keys(r.refused))])];
  const code = new Map(all.map((reason, i) => [reason, String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : '')]));
  const refused = (r: FileResult) => Object.entries(r.refused).map(([reason, n]) => `${code.get(reason)}${n > 1 ? `x${n}` : ''}`).join(' ');
  const rows = results.map((r) => [
    r.file.slice(0, 58), r.kind === 'redirects' ? 'R' : 'H', r.dialect.slice(0, 2), String(r.rules), String(r.accepted), refused(r) || '-',
    r.kind === 'redirects' ? `${r.exact}/${r.pattern}` : '', r.functionBytes ? `${r.functionBytes}${r.fits ? '' : '!'}` : '-',
    r.kind === 'headers' ? String(r.behaviorsAdded) : '', r.kind === 'headers' ? String(r.functionRules) : '',
  ]);
  const head = ['file', 'k', 'di', 'rules', 'ok', 'refused', 'exact/pat', 'fn bytes', '+beh', 'fn rules'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const reasons = summary.reasons.map((r) => `  ${code.get(r.reason)}  ${String(r.files).padStart(3)} files  ${String(r.lines).padStart(4)} lines  ${r.reason}`);
  const other = all.slice(summary.reasons.length).map((reason) => `  ${code.get(reason)}  (only in a dialect the file loads better without)  ${reason}`);
  return [line(head), ...rows.map(line), '', `${summary.loadUnchanged} of ${summary.files} files load unchanged (each in its best dialect; "!" = over 10 KB)`, 'refusal reasons, by files blocked:', ...reasons, ...other].join('\n');
}

function main(argv: string[]): number {
  const folder = argv.find((a) => !a.startsWith('--'));
  if (!folder) {
    console.error('usage: node --import jiti/register scripts/platform-files-survey.ts <folder> [--json]');
    return 2;
  }
  const results = survey(folder);
  const summary = summarize(results);
  console.log(argv.includes('--json') ? JSON.stringify({ results, summary }, null, 2) : table(results, summary));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) process.exitCode = main(process.argv.slice(2));
