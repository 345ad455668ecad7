import type { DeployReport } from './deploy.js';

/** `--json`: one object, stable field names. */
export function reportJson(report: DeployReport) {
  return {
    dryRun: report.dryRun,
    target: report.target,
    store: report.store,
    deployId: report.deployId,
    changed: report.changed,
    actions: report.actions,
    totals: report.totals,
    invalidation: { paths: report.invalidation.paths, via: report.invalidation.via, ...(report.invalidation.id ? { id: report.invalidation.id } : {}) },
    warnings: report.warnings,
    ...(report.redirects ? { redirects: report.redirects } : {}),
    ...(report.atomic && { atomic: report.atomic }),
    timeMs: report.timeMs,
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

const VIA: Record<DeployReport['invalidation']['via'], string> = {
  cloudfront: 'sent to CloudFront',
  'local-edge': 'sent to the local edge',
  recorded: 'recorded in .edgeship/invalidations.jsonl (no local edge running)',
  none: 'none needed',
};

/** The changes, one line each (skips left out), at most `limit` lines. */
export function formatActions(report: DeployReport, limit = 50): string[] {
  const changes = report.actions.filter((a) => a.action !== 'skip');
  const width = Math.max(0, ...changes.map((a) => a.action.length));
  const lines = changes.slice(0, limit).map((a) => `  ${a.action.padEnd(width)}  ${a.key}  (${a.reason})`);
  if (changes.length > limit) lines.push(`  ... and ${changes.length - limit} more (--json lists all)`);
  return lines;
}

function redirectsRow(r: NonNullable<DeployReport['redirects']>, dryRun: boolean): string {
  return dryRun ? `${r.keys} KeyValueStore keys, not written (dry run)` : `${r.keys} KeyValueStore keys (${r.put} written, ${r.deleted} deleted) in ${r.location}`;
}

/** The summary table printed after a deploy. */
export function formatSummary(report: DeployReport): string {
  const t = report.totals;
  const inv = report.invalidation;
  const rows: [string, string][] = [
    [report.dryRun ? 'would upload' : 'uploaded', `${t.upload} files, ${formatBytes(t.bytesUploaded)}`],
    ['metadata updated', String(t.updateMetadata)],
    [report.dryRun ? 'would delete' : 'deleted', String(t.delete)],
    ['retained', String(t.retain)],
    ['skipped', `${t.skip} unchanged`],
    ['invalidation', inv.paths.length === 0 ? 'none needed' : `${inv.paths.length} paths, ${report.dryRun ? 'not sent (dry run)' : VIA[inv.via]}${inv.id ? ` (${inv.id})` : ''}`],
    ...(report.redirects ? ([['redirects', redirectsRow(report.redirects, report.dryRun)]] as [string, string][]) : []),
    ...atomicRows(report),
    ['time', report.timeMs < 1000 ? `${report.timeMs} ms` : `${(report.timeMs / 1000).toFixed(1)} s`],
  ];
  const where = `${report.target} (${report.store})`;
  const head = report.changed
    ? `${report.dryRun ? 'dry run: ' : ''}deploy #${report.deployId} to ${where}`
    : `no change: ${where} already holds this build${report.deployId > 0 ? ` (deploy #${report.deployId})` : ''}`;
  return [head, ...rows.map(([k, v]) => `  ${k.padEnd(17)} ${v}`)].join('\n');
}

/** Atomic mode: what the pointer names now (nothing in a dry run). */
function atomicRows(report: DeployReport): [string, string][] {
  const a = report.atomic;
  if (!a) return [];
  const what = a.reused ? `deploy #${a.id} (already uploaded)` : `deploy #${a.id}`;
  if (report.dryRun) return [['pointer', `not written (dry run); would name ${what}`]];
  return [a.preview ? ['preview', `${a.preview.host} -> ${what}`] : ['live', `${what}, one pointer write in ${a.kvs}`]];
}
