/** The audit report: findings grouped by rule, and its renderings (text table, JSON, JUnit XML). */
import { isHit } from './rules/cache-hits.js';
import type { FetchedResource, Finding, RedirectProbe, Rule, Severity } from './types.js';

export interface RuleResult {
  id: string;
  severity: Severity;
  title: string;
  fix: string;
  count: number;
  /** Up to `EXAMPLES` findings. */
  examples: { url: string; message: string }[];
}

export interface CacheHitSummary {
  /** 200 responses requested a second time that carried X-Cache. */
  checked: number;
  hits: number;
  /** hits / checked, 0..1. */
  ratio: number;
  misses: { url: string; xCache: string }[];
}

export interface AuditReport {
  baseUrl: string;
  /** `true` when no finding has error severity: the CI gate passes. */
  ok: boolean;
  counts: Record<Severity, number>;
  /** URLs requested. */
  requested: number;
  /** URLs found but left unrequested because of `maxPages`. */
  notVisited: number;
  /** Distinct references to other hosts (never requested). */
  external: number;
  /** Every rule with its findings count, in rule order. */
  rules: RuleResult[];
  findings: Finding[];
  /** `null` when the site sends no X-Cache (or the second pass was off). */
  cacheHits: CacheHitSummary | null;
  redirectProbes: RedirectProbe[];
}

export const EXAMPLES = 3;

export function buildReport(input: {
  baseUrl: string;
  rules: readonly Rule[];
  findings: Finding[];
  resources: FetchedResource[];
  probes: RedirectProbe[];
  notVisited: number;
  external: number;
}): AuditReport {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of input.findings) counts[f.severity]++;
  const rules = input.rules.map((rule): RuleResult => {
    const own = input.findings.filter((f) => f.rule === rule.id);
    return {
      id: rule.id,
      severity: rule.severity,
      title: rule.title,
      fix: rule.fix,
      count: own.length,
      examples: own.slice(0, EXAMPLES).map((f) => ({ url: f.url, message: f.message })),
    };
  });
  return {
    baseUrl: input.baseUrl,
    ok: counts.error === 0,
    counts,
    requested: input.resources.length,
    notVisited: input.notVisited,
    external: input.external,
    rules,
    findings: input.findings,
    cacheHits: cacheHitSummary(input.resources),
    redirectProbes: input.probes,
  };
}

export function cacheHitSummary(resources: FetchedResource[]): CacheHitSummary | null {
  const checked = resources.filter((r) => r.secondPass?.xCache !== undefined);
  if (checked.length === 0) return null;
  const misses = checked.filter((r) => !isHit(r.secondPass!.xCache!)).map((r) => ({ url: r.url, xCache: r.secondPass!.xCache! }));
  const hits = checked.length - misses.length;
  return { checked: checked.length, hits, ratio: hits / checked.length, misses };
}

/** The report as a terminal reads it: one block per rule with findings, then a summary line. */
export function formatReport(report: AuditReport, color: (severity: Severity, text: string) => string = (_, t) => t): string {
  const lines: string[] = [];
  const failing = report.rules.filter((r) => r.count > 0);
  const width = Math.max(0, ...failing.map((r) => r.id.length));
  for (const r of failing) {
    lines.push(`${color(r.severity, r.severity.padEnd(7))}  ${r.id.padEnd(width)}  ${String(r.count).padStart(4)}  ${r.title}`);
    for (const e of r.examples) lines.push(`           ${e.url}  ${e.message}`);
    if (r.count > r.examples.length) lines.push(`           … and ${r.count - r.examples.length} more`);
    lines.push(`           fix: ${r.fix}`);
  }
  if (failing.length > 0) lines.push('');
  const passed = report.rules.filter((r) => r.count === 0).map((r) => r.id);
  if (passed.length > 0) lines.push(`passed: ${passed.join(', ')}`);
  if (report.cacheHits) {
    const c = report.cacheHits;
    lines.push(`cache: ${c.hits}/${c.checked} second requests were X-Cache hits (${(c.ratio * 100).toFixed(1)}%)`);
  }
  const extra = [report.notVisited > 0 ? `${report.notVisited} not visited (--max-pages)` : '', report.external > 0 ? `${report.external} external links not requested` : '']
    .filter(Boolean)
    .join(', ');
  lines.push(
    `${report.requested} URLs checked on ${report.baseUrl}${extra ? ` (${extra})` : ''}: ` +
      `${report.counts.error} errors, ${report.counts.warning} warnings, ${report.counts.info} notes — ${report.ok ? 'PASS' : 'FAIL'}`,
  );
  return lines.join('\n');
}

/**
 * JUnit XML for CI: one test case per rule. A rule with error findings fails; warnings and notes
 * are listed in the case's `system-out` and do not fail it, as they do not fail the exit status.
 */
export function formatJunit(report: AuditReport): string {
  const failures = report.rules.filter((r) => r.count > 0 && r.severity === 'error').length;
  const cases = report.rules.map((r) => {
    const own = report.findings.filter((f) => f.rule === r.id);
    const listing = own.map((f) => `${f.url}  ${f.message}`).join('\n');
    const name = `${r.id}: ${r.title}`;
    let body = '';
    if (own.length > 0 && r.severity === 'error') {
      body = `\n      <failure message="${xml(`${own.length} finding${own.length === 1 ? '' : 's'}; fix: ${r.fix}`)}" type="${r.id}">${xml(listing)}</failure>\n    `;
    } else if (own.length > 0) {
      body = `\n      <system-out>${xml(`${r.severity}: ${listing}\nfix: ${r.fix}`)}</system-out>\n    `;
    }
    return `    <testcase classname="edgeship.audit" name="${xml(name)}">${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="edgeship audit" tests="${report.rules.length}" failures="${failures}">`,
    `  <testsuite name="${xml(`edgeship audit ${report.baseUrl}`)}" tests="${report.rules.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function xml(text: string): string {
  // XML 1.0 forbids control characters other than tab, line feed and carriage return.
  const allowed = [...text].filter((c) => c >= ' ' || c === '\t' || c === '\n' || c === '\r').join('');
  return allowed
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
