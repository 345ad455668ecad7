import { describe, expect, it } from 'vitest';
import { probeTargets } from './index.js';
import { buildReport, formatJunit, formatReport } from './report.js';
import { RULES } from './rules/index.js';
import type { FetchedResource, Finding } from './types.js';

const BASE = 'http://127.0.0.1:8080';
const resource = (path: string, xCache?: string): FetchedResource => ({
  url: `${BASE}${path}`,
  status: 200,
  headers: {},
  wireSize: 1,
  size: 1,
  type: 'html',
  via: [{ kind: 'start' }],
  secondPass: xCache === undefined ? undefined : { status: 200, xCache },
});

function report(findings: Finding[], resources: FetchedResource[] = []) {
  return buildReport({ baseUrl: BASE, rules: RULES, findings, resources, probes: [], notVisited: 2, external: 1 });
}

const f = (rule: string, severity: Finding['severity'], path: string, message = 'why'): Finding => ({ rule, severity, url: `${BASE}${path}`, message });

describe('report', () => {
  it('groups findings by rule, counts severities and gates on errors only', () => {
    const r = report([f('html-cache', 'error', '/'), f('html-cache', 'error', '/a'), f('compression', 'warning', '/b')]);
    expect(r.ok).toBe(false);
    expect(r.counts).toEqual({ error: 2, warning: 1, info: 0 });
    expect(r.rules.find((x) => x.id === 'html-cache')).toMatchObject({ count: 2, examples: [{ url: `${BASE}/` }, { url: `${BASE}/a` }] });
    expect(report([f('compression', 'warning', '/b'), f('cache-hit', 'info', '/c')]).ok).toBe(true);
  });

  it('shows at most three examples per rule, then how many more', () => {
    const text = formatReport(report(['/1', '/2', '/3', '/4', '/5'].map((p) => f('broken-link', 'error', p, 'answers 404'))));
    expect(text).toContain(`${BASE}/3  answers 404`);
    expect(text).not.toContain(`${BASE}/4`);
    expect(text).toContain('… and 2 more');
    expect(text).toContain('fix: deploy the missing file');
    expect(text).toMatch(/0 URLs checked on http:\/\/127\.0\.0\.1:8080 \(2 not visited \(--max-pages\), 1 external links not requested\): 5 errors, 0 warnings, 0 notes — FAIL$/);
  });

  it('summarizes the X-Cache share of the second pass', () => {
    const r = report([], [resource('/', 'Hit from cloudfront'), resource('/a', 'Miss from cloudfront'), resource('/b', 'Hit from cloudfront'), resource('/c')]);
    expect(r.cacheHits).toEqual({ checked: 3, hits: 2, ratio: 2 / 3, misses: [{ url: `${BASE}/a`, xCache: 'Miss from cloudfront' }] });
    expect(formatReport(r)).toContain('cache: 2/3 second requests were X-Cache hits (66.7%)');
    expect(report([], [resource('/')]).cacheHits).toBeNull();
  });

  it('JUnit: one case per rule, errors fail, warnings do not, XML escaped', () => {
    const xml = formatJunit(report([f('content-type', 'error', '/a?x=1&y=<2>', 'bad "type"'), f('compression', 'warning', '/b')]));
    expect(xml).toContain(`<testsuites name="edgeship audit" tests="${RULES.length}" failures="1">`);
    expect(xml.match(/<testcase /g)).toHaveLength(RULES.length);
    expect(xml).toContain('type="content-type">http://127.0.0.1:8080/a?x=1&amp;y=&lt;2&gt;  bad &quot;type&quot;</failure>');
    expect(xml).toContain('<system-out>warning: http://127.0.0.1:8080/b  why');
  });
});

describe('probeTargets: which hosts are sent to see them redirect', () => {
  const site = (domain: string | undefined, aliases: string[]) => ({ domain, aliases, defaultRootObject: 'index.html' });
  it.each([
    ['configured aliases', BASE, site('example.com', ['www.example.com', 'old.example.com']), ['www.example.com', 'old.example.com']],
    ['no domain, nothing to end on', BASE, site(undefined, ['www.example.com']), []],
    ['a bare named host gets www.', 'https://example.com', undefined, ['www.example.com']],
    ['a bare host with a port keeps it', 'http://example.test:8080', undefined, ['www.example.test:8080']],
    ['an IP address gets nothing', BASE, undefined, []],
    ['localhost gets nothing', 'http://localhost:3000', undefined, []],
    ['a www host gets nothing', 'https://www.example.com', undefined, []],
  ])('%s', (_name, base, s, hosts) => {
    expect(probeTargets(base, s).map((t) => t.host)).toEqual(hosts);
  });
});
