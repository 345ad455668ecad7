import type { SiteModel } from '../config/model.js';
import { EdgeshipError, EXIT } from '../errors.js';
import type { Register } from './context.js';
import type { Io } from './io.js';

export interface PreviewsCliOptions {
  target?: string;
  prune?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
}

/** `edgeship previews [--prune [name...]]`: the preview hosts of an atomic target, and their removal. */
export async function runPreviews(site: SiteModel, names: string[], options: PreviewsCliOptions, io: Io): Promise<number> {
  const ops = await import('../deploy/atomic/site-ops.js');
  if (!options.prune) {
    const { target, previews } = await ops.listPreviews(site, { target: options.target });
    if (options.json) io.out(JSON.stringify({ target, previews }, null, 2));
    else if (previews.length === 0) io.out(`no previews on ${target}`);
    else for (const p of previews) io.out(`${p.host}  deploy #${p.id}${p.branch ? `  (${p.branch})` : ''}${p.at ? `  ${p.at}` : ''}`);
    return EXIT.ok;
  }
  if (!options.dryRun && !options.yes) {
    const what = names.length ? names.join(', ') : 'every preview';
    if (!io.isTTY || !io.confirm) {
      throw new EdgeshipError('CONFIRM_NEEDED', `previews --prune removes ${what} and deletes their files: confirm it`, { exitCode: EXIT.usage, hint: 'see what goes with --dry-run, then pass --yes (no terminal here to ask)' });
    }
    if (!(await io.confirm(`remove ${what} on ${options.target ?? 'local'}?`))) throw new EdgeshipError('PRUNE_CANCELLED', 'nothing was changed', { exitCode: EXIT.refused });
  }
  const result = await ops.prunePreviews(site, { target: options.target, names, dryRun: options.dryRun });
  if (options.json) {
    io.out(JSON.stringify(result, null, 2));
    return EXIT.ok;
  }
  const verb = result.dryRun ? 'would remove' : 'removed';
  for (const p of result.removed) io.out(`  ${verb}  ${p.host}  (deploy #${p.id})`);
  io.out(`${result.dryRun ? 'dry run: ' : ''}${result.removed.length} preview${result.removed.length === 1 ? '' : 's'} ${verb} on ${result.target}; ${result.deletedObjects} objects of deploy${result.prunedDeploys.length === 1 ? '' : 's'} ${result.prunedDeploys.map((d) => `#${d}`).join(', ') || '(none)'} ${result.dryRun ? 'would be' : ''} deleted`.replace('  ', ' '));
  return EXIT.ok;
}

export const registerPreviews: Register = (program, ctx) => {
  program
    .command('previews')
    .description('list the preview deploys of an atomic target (host -> deploy); --prune removes them and the files nothing else keeps')
    .argument('[names...]', 'with --prune: only these previews (name or host)')
    .option('--prune', 'remove the previews (all, or the named ones)')
    .option('--dry-run', 'with --prune: show what would go; change nothing')
    .option('-t, --target <name>', 'target from the config', 'local')
    .option('-y, --yes', 'do not ask for confirmation (needed with --prune when not on a terminal)')
    .option('--json', 'print one JSON object')
    .action(async (names: string[], opts: PreviewsCliOptions) => {
      ctx.exitCode = await runPreviews(await ctx.loadSite(), names, opts, ctx.io);
    });
};
