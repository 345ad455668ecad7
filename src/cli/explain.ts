import { compileTable, type CompiledBehavior } from '../behavior/table.js';
import type { SiteModel } from '../config/model.js';
import { explainPaths, functionFiles } from '../edge/explain.js';
import { formatDuration } from '../config/duration.js';
import { EXIT } from '../errors.js';
import type { Io } from './io.js';

const ttl = (s: number) => formatDuration(s);

/** `edgeship explain [path...] [--host HOST] [--json]` */
export async function runExplain(site: SiteModel, paths: string[], options: { json?: boolean; host?: string }, io: Io): Promise<number> {
  if (paths.length === 0) return printTable(site, options, io);
  const explained = await explainPaths(site, compileTable(site), paths.map((p) => (p.startsWith('/') ? p : `/${p}`)), options);
  if (options.json) {
    io.out(JSON.stringify(explained, null, 2));
    return EXIT.ok;
  }
  const count = site.behaviors.length;
  for (const e of explained) {
    const fns = [e.functions.viewerRequest && `viewer-request ${e.functions.viewerRequest}`, e.functions.viewerResponse && `viewer-response ${e.functions.viewerResponse}`].filter(Boolean);
    io.out(
      [
        e.path,
        `  behavior        ${e.behavior.pattern} (#${e.behavior.index + 1} of ${count}${e.behavior.index === count - 1 ? ', default' : ''})`,
        e.functionResponse
          ? `  answered by     ${e.functions.viewerRequest}: ${e.functionResponse.status}${e.functionResponse.location ? ` -> ${e.functionResponse.location}` : ''}`
          : `  object          ${e.object}${e.object !== e.path.split('?')[0]!.slice(1) ? ` (from ${e.path.split('?')[0]})` : ''}`,
        ...(e.redirect ? [`  redirect rule   ${e.redirect.at}: ${e.redirect.rule} (${e.redirect.dialect})`] : []),
        // A status rewrite (Netlify's 404 pages): the object above, answered with the rule's status.
        ...(e.redirect && !e.functionResponse && e.redirect.status !== 200 ? [`  status          ${e.redirect.status} (set by ${e.functions.viewerResponse})`] : []),
        ...(e.headersFile ? [`  _headers        ${e.headersFile.at.join(', ')}: ${Object.entries(e.headersFile.headers).map(([name, value]) => `${name}: ${value}`).join(' | ') || '(none: removed by a later line)'}`] : []),
        `  cache-control   ${e.cacheControl}`,
        `  content-type    ${e.contentType}`,
        `  edge ttl        min ${ttl(e.edge.minTtl)}, default ${ttl(e.edge.defaultTtl)}, max ${ttl(e.edge.maxTtl)}`,
        `  functions       ${fns.length ? fns.join(', ') : 'none'}`,
        `  headers policy  ${e.headersPolicy ?? 'none'}`,
        '',
      ].join('\n'),
    );
  }
  return EXIT.ok;
}

function printTable(site: SiteModel, options: { json?: boolean }, io: Io): number {
  const table = compileTable(site);
  const rows = table.behaviors.map((b: CompiledBehavior) => ({
    index: b.index,
    pattern: b.pattern,
    cacheControl: b.cacheControl,
    policy: b.policy.name,
    edge: { minTtl: b.policy.minTtl, defaultTtl: b.policy.defaultTtl, maxTtl: b.policy.maxTtl },
    compress: b.compress,
    functions: functionFiles(site, b),
    headersPolicy: b.headersPolicy?.name ?? null,
  }));
  if (options.json) {
    io.out(JSON.stringify({ behaviors: rows, policies: table.policies }, null, 2));
    return EXIT.ok;
  }
  const header = ['#', 'pattern', 'cache-control', 'edge ttl (min/default/max)', 'functions', 'headers'];
  const body = rows.map((r) => [
    String(r.index + 1),
    r.pattern,
    r.cacheControl,
    `${ttl(r.edge.minTtl)}/${ttl(r.edge.defaultTtl)}/${ttl(r.edge.maxTtl)} (${r.policy})`,
    [r.functions.viewerRequest, r.functions.viewerResponse].filter(Boolean).join(', ') || '-',
    r.headersPolicy ?? '-',
  ]);
  io.out(formatTable([header, ...body]));
  return EXIT.ok;
}

/** Left-aligned columns separated by two spaces. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}
