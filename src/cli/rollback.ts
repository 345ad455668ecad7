import type { SiteModel } from '../config/model.js';
import { EdgeshipError, EXIT } from '../errors.js';
import type { Register } from './context.js';
import type { Io } from './io.js';

export interface RollbackCliOptions {
  target?: string;
  previous?: boolean;
  yes?: boolean;
  json?: boolean;
}

/**
 * `edgeship rollback <id>|--previous`: one pointer write, no upload. The time printed runs
 * from the command's start (the process') to the pointer written: what a user waits for.
 */
export async function runRollback(site: SiteModel, id: string | undefined, options: RollbackCliOptions, io: Io): Promise<number> {
  const to = rollbackTarget(id, options.previous);
  const targetName = options.target ?? 'local';
  if (targetName !== 'local' && !options.yes) {
    if (!io.isTTY || !io.confirm) {
      throw new EdgeshipError('CONFIRM_NEEDED', `rollback on target "${targetName}" moves the live site: confirm it`, { exitCode: EXIT.usage, hint: 'pass --yes (no terminal here to ask)' });
    }
    if (!(await io.confirm(`move the live site on ${targetName} to ${to === 'previous' ? 'the previous deploy' : `deploy #${to}`}?`))) {
      throw new EdgeshipError('ROLLBACK_CANCELLED', 'rollback cancelled; nothing was changed', { exitCode: EXIT.refused });
    }
  }
  const { rollback } = await import('../deploy/atomic/site-ops.js');
  const started = performance.now();
  const result = await rollback(site, to, { target: options.target });
  const timeMs = Math.round(performance.now());
  // The store, the lock, the reads and the write: the rollback's own part of the time.
  const ownMs = Math.round(performance.now() - started);
  if (options.json) {
    io.out(JSON.stringify({ ...result, timeMs, ownMs }, null, 2));
    return EXIT.ok;
  }
  io.out(result.changed ? `live on ${result.target}: deploy #${result.to}${result.from !== undefined ? ` (was #${result.from})` : ''}` : `live on ${result.target} already: deploy #${result.to}`);
  io.out(`  pointer   ${result.changed ? 'written' : 'unchanged'} in ${result.kvs}; nothing uploaded, no invalidation`);
  io.out(`  time      ${timeMs} ms from the command to the pointer written (${ownMs} ms of it to open the store, lock, read and write)`);
  return EXIT.ok;
}

function rollbackTarget(id: string | undefined, previous: boolean | undefined): number | 'previous' {
  if (previous && id !== undefined) throw new EdgeshipError('USAGE', 'give a deploy id or --previous, not both', { exitCode: EXIT.usage });
  if (previous) return 'previous';
  const n = id?.replace(/^#/, '');
  if (n === undefined || !/^\d+$/.test(n)) {
    throw new EdgeshipError('USAGE', id === undefined ? 'rollback needs a deploy id or --previous' : `"${id}" is not a deploy id`, { exitCode: EXIT.usage, hint: 'list the deploys with edgeship deploys' });
  }
  return Number(n);
}

export const registerRollback: Register = (program, ctx) => {
  program
    .command('rollback')
    .description('make an earlier deploy of an atomic target live again: one KeyValueStore write, no upload, no invalidation (exit 2 for a pruned id)')
    .argument('[id]', 'the deploy to go to (edgeship deploys lists them)')
    .option('--previous', 'the live deploy before the current one')
    .option('-t, --target <name>', 'target from the config', 'local')
    .option('-y, --yes', 'do not ask for confirmation (needed for a remote target when not on a terminal)')
    .option('--json', 'print one JSON object')
    .action(async (id: string | undefined, opts: RollbackCliOptions) => {
      ctx.exitCode = await runRollback(await ctx.loadSite(), id, opts, ctx.io);
    });
};
