import type { DeployProgress } from '../deploy/deploy.js';
import type { EarlyRead } from '../deploy/early-read.js';
import { formatActions, formatBytes, formatSummary, reportJson } from '../deploy/report.js';
import type { SiteModel } from '../config/model.js';
import { EXIT } from '../errors.js';
import { assertProvisioned, isPendingRaw } from '../synth/production-target.js';
import type { Io } from './io.js';
import { progressBar } from './progress.js';
import type { Register } from './context.js';

export interface DeployCliOptions {
  target?: string;
  dryRun?: boolean;
  json?: boolean;
  force?: boolean;
  yes?: boolean;
  /** Atomic mode: deploy as a preview of this name; the live site stays. */
  preview?: string;
  /** Wait instead of failing: for a deploy already running on the target, then for CloudFront to complete the invalidation. */
  wait?: boolean;
}

const STEP_TEXT: Record<DeployProgress['step'], string> = {
  scan: 'scanning the site folder',
  read: 'reading the store and the deploy manifest',
  plan: 'planning',
  assets: 'uploading assets and updating headers',
  html: 'uploading HTML',
  manifest: 'writing the deploy manifest',
  invalidate: 'invalidating',
  delete: 'deleting',
  done: 'done',
};

/** `edgeship deploy`: plan, guard, apply; a progress bar on a terminal, plain lines otherwise, one JSON object with --json. */
export async function runDeploy(site: SiteModel, options: DeployCliOptions, io: Io, early?: EarlyRead): Promise<number> {
  const targetName = options.target ?? 'local';
  assertProvisioned(Object.hasOwn(site.targets, targetName) ? site.targets[targetName] : undefined, targetName, site.configFile);
  // Loaded on use: every other command starts without the deploy code and its SDK.
  const { deploySite } = await import('../deploy/deploy.js');
  const bar = io.isTTY && !options.json ? await progressBar('{step} [{bar}] {value}/{total} {bytes}') : undefined;
  let current: DeployProgress['step'] | undefined;
  const onProgress = (p: DeployProgress) => {
    if (options.json) return;
    if (p.step !== current) {
      current = p.step;
      if (bar) {
        bar.stop();
        if (p.total > 1) bar.start(p.total, p.done, { step: STEP_TEXT[p.step], bytes: '' });
      } else if (p.step !== 'done') io.err(`${STEP_TEXT[p.step]}${p.total > 1 ? ` (${p.total})` : ''}`);
      return;
    }
    bar?.update(p.done, { bytes: p.bytes ? formatBytes(p.bytes) : '' });
  };
  // A store that stalls is said so: on the bar, or as a line every 10 s in a log.
  let lastWaitLine = 0;
  const onWaiting = ({ requests, oldestMs }: { requests: number; oldestMs: number }) => {
    if (options.json) return;
    const text = `${requests} request${requests === 1 ? '' : 's'} waiting on the store, the oldest for ${Math.round(oldestMs / 1000)} s`;
    if (bar?.isActive) bar.update({ bytes: text });
    else if (Date.now() - lastWaitLine >= 10_000) {
      lastWaitLine = Date.now();
      io.err(text);
    }
  };
  const confirm =
    options.yes || !io.isTTY || !io.confirm || (options.target ?? 'local') === 'local'
      ? undefined
      : async ({ totals, store }: { totals: { upload: number; updateMetadata: number; delete: number }; store: string }) => {
          bar?.stop();
          return io.confirm!(`apply to ${store}: upload ${totals.upload}, update ${totals.updateMetadata}, delete ${totals.delete}?`);
        };
  try {
    const report = await deploySite(site, { target: options.target, preview: options.preview, dryRun: options.dryRun, force: options.force, wait: options.wait, onProgress, onWaiting, confirm, early });
    bar?.stop();
    const distributionId = site.targets[targetName]?.distributionId;
    if (options.wait && report.invalidation.via === 'cloudfront' && report.invalidation.id && distributionId) {
      if (!options.json) io.err(`waiting for CloudFront to complete invalidation ${report.invalidation.id}`);
      const { waitForInvalidation } = await import('../deploy/invalidate-cloudfront.js');
      await waitForInvalidation(distributionId, report.invalidation.id);
    }
    for (const w of report.warnings) io.err(`warning: ${w.message}`);
    if (options.json) {
      io.out(JSON.stringify(reportJson(report), null, 2));
      return EXIT.ok;
    }
    const lines = formatActions(report);
    if (lines.length > 0) io.out(lines.join('\n'));
    io.out(formatSummary(report));
    return EXIT.ok;
  } finally {
    bar?.stop();
  }
}

export const registerDeploy: Register = (program, ctx) => {
  program
    .command('deploy')
    .description('upload the site folder to a target: content-diffed, in a safe order, then invalidate and delete (exit 0 ok, 1 failed, 2 bad input, 3 refused by a guard)')
    .option('-t, --target <name>', 'target from the config', 'local')
    .option('--dry-run', 'print the plan; change nothing')
    .option('--json', 'print one JSON object: dryRun, actions, totals, invalidation')
    .option('--force', 'apply a plan that deletes more than deploy.maxDeleteRatio of the live pages or objects; re-hash every file')
    .option('-y, --yes', 'do not ask for confirmation on a terminal')
    .option('--preview <name>', 'atomic mode: upload as a preview served at <name>.<deploy.previewDomain>; the live site stays as it is')
    .option('--wait', 'wait for a deploy already running on the target instead of failing, and for CloudFront to complete the invalidation (before an audit)')
    .action(async (opts: DeployCliOptions) => {
      const { startEarlyRead } = await import('../deploy/early-read.js');
      let early: EarlyRead | undefined;
      try {
        // The store starts on its listing while the config is validated.
        const site = await ctx.loadSite(async ({ raw }) => {
          // The unfilled production stub names no bucket: nothing to read early.
          if (!isPendingRaw(raw, opts.target ?? 'local')) early = await startEarlyRead(raw, opts.target ?? 'local');
        });
        ctx.exitCode = await runDeploy(site, opts, ctx.io, early);
      } finally {
        early?.store.destroy();
      }
    });
};
