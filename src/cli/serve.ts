/** `edgeship serve`: the local CloudFront edge in front of a target's store (src/edge). */
import type { Command } from 'commander';
import pc from 'picocolors';
import type { SiteModel } from '../config/model.js';
import { EdgeshipError, EXIT } from '../errors.js';
import type { Io } from './io.js';
import type { CommandContext } from './context.js';

export interface ServeOptions {
  target?: string;
  port?: string;
  host?: string;
  cacheSize?: string;
  workers?: string;
  log?: string;
  lenientCompute?: boolean;
}

function intOption(value: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new EdgeshipError('BAD_OPTION', `${name} ${JSON.stringify(value)} is not a whole number from ${min} to ${max}`, { exitCode: EXIT.usage });
  }
  return n;
}

/** Runs the edge until `until` resolves (default: SIGINT or SIGTERM). */
export async function runServe(site: SiteModel, options: ServeOptions, io: Io, until?: Promise<void>): Promise<number> {
  // Loaded on use: other commands start without the edge.
  const [{ startEdgeCluster }, { parseSize, startEdge }, { CLOUDFRONT_LOG_FORMAT }, { requestLogger }, { openStore }] = await Promise.all([
    import('../edge/cluster.js'),
    import('../edge/index.js'),
    import('../edge/log-format.js'),
    import('../edge/request-log.js'),
    import('../store/open.js'),
  ]);
  const targetName = options.target ?? 'local';
  const target = site.targets[targetName];
  if (!target) {
    throw new EdgeshipError('UNKNOWN_TARGET', `there is no target "${targetName}"`, { exitCode: EXIT.usage, hint: `targets: ${Object.keys(site.targets).join(', ')}` });
  }
  const port = intOption(options.port, 8080, '--port', 0, 65_535);
  const workers = intOption(options.workers, 1, '--workers', 1, 64);
  const host = options.host ?? '127.0.0.1';
  const cacheSize = parseSize(options.cacheSize ?? '256MB');
  if (cacheSize === undefined) {
    throw new EdgeshipError('BAD_OPTION', `--cache-size ${JSON.stringify(options.cacheSize)} is not a size`, { exitCode: EXIT.usage, hint: 'use bytes or a unit: 64MB, 1GB' });
  }
  const store = openStore(target.store);

  const tty = io.isTTY;
  let edge: { url: string; adminUrl: string; close(): Promise<void> };
  let closeLog = () => undefined as void;
  if (workers > 1) {
    requestLogger({ file: options.log, tty: false, writeHeader: true, format: CLOUDFRONT_LOG_FORMAT })?.close();
    edge = await startEdgeCluster({
      site,
      storeConfig: target.store,
      storeLocation: store.location,
      workers,
      port,
      host,
      cacheSize,
      logFile: options.log,
      tty,
      lenientCompute: options.lenientCompute,
      onWorkerExit: (message) => io.err(`warning: ${message}`),
    });
  } else {
    const log = requestLogger({ file: options.log, tty, writeHeader: true, out: (line) => io.out(line), format: CLOUDFRONT_LOG_FORMAT });
    closeLog = () => log?.close();
    const onFunctionError = (line: string) => io.err(line);
    edge = await startEdge({ site, store, port, host, cacheSize, log: log?.record, onFunctionLog: (line, name) => io.err(`[${name}] ${line}`), onFunctionError, lenientCompute: options.lenientCompute });
  }
  // Colors only on a terminal: picocolors alone would also color CI logs (it honours CI=true).
  const c = pc.createColors(io.isTTY);
  io.out(
    [
      `${c.bold('edgeship edge')} serving ${store.location}`,
      `  viewer   ${c.cyan(edge.url)}${workers > 1 ? ` (${workers} workers)` : ''}`,
      `  admin    ${edge.adminUrl} (loopback, token file named in .edgeship/edges/)`,
      `  cache    ${Math.round(cacheSize / 1024 / 1024)} MB in memory`,
      options.log ? `  log      ${options.log}` : undefined,
      '  stop     Ctrl-C',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  // Looked at once the edge listens: a store that is slow to answer never keeps the port closed
  // (requests meanwhile get the origin's own timeout answer, 504, spec §9.6).
  void warnIfEmpty(store, targetName, io);
  await (until ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }));
  await edge.close();
  closeLog();
  return EXIT.ok;
}

async function warnIfEmpty(store: { location: string; list(): AsyncIterable<unknown> }, targetName: string, io: Io): Promise<void> {
  try {
    for await (const _ of store.list()) return;
    io.err(`warning: ${store.location} holds no objects yet; run "edgeship deploy${targetName === 'local' ? '' : ` --target ${targetName}`}" first`);
  } catch (error) {
    io.err(`warning: ${store.location} could not be listed: ${(error as Error).message}`);
  }
}

export function registerServe(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description("run the local CloudFront edge (behaviors, cache, compression, functions, headers policies) in front of a target's store")
    .option('--target <name>', 'target whose store is served', 'local')
    .option('--port <n>', 'viewer port (0: any free port)', '8080')
    .option('--host <address>', 'viewer address', '127.0.0.1')
    .option('--cache-size <size>', 'memory for cached objects, across all workers', '256MB')
    .option('--workers <n>', 'processes sharing the port', '1')
    .option('--log <file>', 'append CloudFront standard access-log lines to this file')
    .option('--lenient-compute', 'report a function compute utilization over 100 without failing the request (slow machines)')
    .action(async (opts: ServeOptions) => {
      ctx.exitCode = await runServe(await ctx.loadSite(), opts, ctx.io);
    });
}
