import type { SiteModel } from '../config/model.js';
import { EXIT } from '../errors.js';
import type { Io } from './io.js';
import type { Register } from './context.js';

/** `edgeship invalidate <path>...`: the paths by deploy's rules, to CloudFront or the local edge. */
export async function runInvalidate(site: SiteModel, paths: string[], options: { target?: string; json?: boolean }, io: Io): Promise<number> {
  const { invalidatePaths } = await import('../deploy/invalidate.js');
  const outcome = await invalidatePaths(site, paths, { target: options.target });
  if (options.json) {
    io.out(JSON.stringify(outcome, null, 2));
    return EXIT.ok;
  }
  const via = { cloudfront: 'sent to CloudFront', 'local-edge': 'sent to the local edge', recorded: 'recorded in .edgeship/invalidations.jsonl', none: 'nothing to send' }[outcome.via];
  io.out(`${outcome.paths.length} paths ${via}${outcome.id ? ` (${outcome.id})` : ''}${outcome.note ? `: ${outcome.note}` : ''}`);
  for (const p of outcome.paths) io.out(`  ${p}`);
  return EXIT.ok;
}

export const registerInvalidate: Register = (program, ctx) => {
  program
    .command('invalidate')
    .description('invalidate URL paths at the CDN (CloudFront, or the running local edge); pages in all their forms, "*" only at the end')
    .argument('<paths...>', 'URL paths such as /about/ or "/docs/*"')
    .option('-t, --target <name>', 'target from the config', 'local')
    .option('--json', 'machine-readable output')
    .action(async (paths: string[], opts: { target?: string; json?: boolean }) => {
      ctx.exitCode = await runInvalidate(await ctx.loadSite(), paths, opts, ctx.io);
    });
};
