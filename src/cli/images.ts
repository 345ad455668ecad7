import type { Command } from 'commander';
import type { SiteModel } from '../config/model.js';
import { EXIT } from '../errors.js';
import type { ImagesReport } from '../images/pipeline.js';
import type { Io } from './io.js';
import { progressBar } from './progress.js';
import type { CommandContext } from './context.js';

export interface ImagesCommandOptions {
  force?: boolean;
  json?: boolean;
}

/** `edgeship images [--force] [--json]`: exit 1 when any image failed (the others are still written). */
export async function runImages(site: SiteModel, options: ImagesCommandOptions, io: Io): Promise<{ code: number; report: ImagesReport }> {
  // Loaded here, not at startup: sharp and parse5 cost other commands nothing.
  const [{ runImagesPipeline }, { formatImagesReport }] = await Promise.all([import('../images/pipeline.js'), import('../images/report.js')]);
  const bar = io.isTTY && !options.json ? await progressBar('images {bar} {value}/{total} {file}') : undefined;
  let started = false;
  try {
    const report = await runImagesPipeline(site, { force: options.force }, {
      onProgress: ({ done, total, file }) => {
        if (!bar) return;
        if (!started) bar.start(total, 0, { file: '' });
        started = true;
        bar.update(done, { file });
      },
    });
    bar?.stop();
    io.out(options.json ? JSON.stringify(report, null, 2) : formatImagesReport(report, site.images.optimizeOriginals));
    return { code: report.failures.length > 0 ? EXIT.failed : EXIT.ok, report };
  } finally {
    if (started) bar?.stop();
  }
}

export function registerImages(program: Command, ctx: CommandContext): void {
  program
    .command('images')
    .description('encode responsive AVIF/WebP variants of <site>/<images.dir>, write the manifest and rewrite <img> into <picture>')
    .option('--force', 'ignore the cache and encode everything again')
    .option('--json', 'machine-readable report')
    .action(async (opts: ImagesCommandOptions) => {
      ctx.exitCode = (await runImages(await ctx.loadSite(), opts, ctx.io)).code;
    });
}
