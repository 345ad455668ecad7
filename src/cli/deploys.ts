import type { SiteModel } from '../config/model.js';
import { formatBytes } from '../deploy/report.js';
import { EXIT } from '../errors.js';
import type { Register } from './context.js';
import type { Io } from './io.js';

/** `edgeship deploys`: an atomic target's history, newest first, the live one marked. */
export async function runDeploys(site: SiteModel, options: { target?: string; json?: boolean }, io: Io): Promise<number> {
  const { listDeploys } = await import('../deploy/atomic/site-ops.js');
  const result = await listDeploys(site, { target: options.target });
  if (options.json) {
    io.out(JSON.stringify(result, null, 2));
    return EXIT.ok;
  }
  if (result.deploys.length === 0) {
    io.out(`no atomic deploy on ${result.target} yet`);
    return EXIT.ok;
  }
  const rows = result.deploys.map((d) => [
    `${d.live ? '*' : ' '} #${d.id}`,
    d.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    [d.commit, d.branch && `(${d.branch})`].filter(Boolean).join(' ') || '-',
    `${d.files} files, ${formatBytes(d.bytes)}`,
    [d.preview && `preview ${d.preview}`, ...d.previews].filter(Boolean).join(', '),
  ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  io.out(`deploys on ${result.target} (* live; pointers in ${result.kvs})`);
  for (const r of rows) io.out(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  return EXIT.ok;
}

export const registerDeploys: Register = (program, ctx) => {
  program
    .command('deploys')
    .description('list the deploys of an atomic target: id, time, git commit and branch, files, bytes, which is live, which previews point where')
    .option('-t, --target <name>', 'target from the config', 'local')
    .option('--json', 'print one JSON object')
    .action(async (opts: { target?: string; json?: boolean }) => {
      ctx.exitCode = await runDeploys(await ctx.loadSite(), opts, ctx.io);
    });
};
