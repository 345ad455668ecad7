/**
 * `edgeship functions test <file|behavior> --event <event.json|-> [--stage …] [--kvs file] [--json]`:
 * runs one CloudFront test event through a function as `aws cloudfront test-function` does and
 * prints the same four parts (output, logs, error, compute utilization).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { SiteModel } from '../config/model.js';
import { EdgeshipError, EXIT } from '../errors.js';
import type { Io } from './io.js';
import type { CommandContext } from './context.js';

export interface FunctionsTestOptions {
  event: string;
  stage?: string;
  kvs?: string;
  json?: boolean;
  lenientCompute?: boolean;
}

const STAGES = ['viewer-request', 'viewer-response'] as const;

/** The function file a `<file|behavior>` argument names, and the config around it (when there is one). */
async function resolveTarget(target: string, stage: string | undefined, io: Io, loadSite: () => Promise<SiteModel>): Promise<{ file: string; site?: SiteModel }> {
  const asFile = path.resolve(io.cwd, target);
  if (fs.existsSync(asFile) && fs.statSync(asFile).isFile()) {
    // A config around the file only lends it the KeyValueStore file; none is needed.
    const site = await loadSite().catch(() => undefined);
    return { file: asFile, site };
  }
  const site = await loadSite();
  const { compileTable } = await import('../behavior/table.js');
  const patterns = compileTable(site).behaviors;
  const behavior = patterns.find((b) => b.pattern === target || b.pattern === target.replace(/^\//, ''));
  if (!behavior) {
    throw new EdgeshipError('FUNCTION_NOT_FOUND', `"${target}" is neither a function file nor a behavior path pattern of the config`, {
      exitCode: EXIT.usage,
      hint: `behaviors: ${patterns.map((b) => b.pattern).join(', ')}`,
    });
  }
  const ref = stage === 'viewer-response' ? behavior.functions.viewerResponse : (behavior.functions.viewerRequest ?? behavior.functions.viewerResponse);
  if (!ref) {
    throw new EdgeshipError('FUNCTION_NOT_FOUND', `behavior "${behavior.pattern}" has no ${stage ?? 'viewer-request or viewer-response'} function`, { exitCode: EXIT.usage });
  }
  return { file: ref.file, site };
}

function readEvent(source: string, io: Io): string {
  try {
    return fs.readFileSync(source === '-' ? 0 : path.resolve(io.cwd, source), 'utf8');
  } catch (error) {
    throw new EdgeshipError('FUNCTION_TEST_EVENT', `cannot read the event ${source === '-' ? 'from stdin' : source}: ${(error as Error).message}`, { exitCode: EXIT.usage });
  }
}

export async function runFunctionsTest(target: string, options: FunctionsTestOptions, io: Io, loadSite: () => Promise<SiteModel>): Promise<number> {
  const { loadEdgeFunction } = await import('../edge/functions/index.js');
  const { parseTestEvent, testResult } = await import('../edge/functions/test-run.js');
  const stage = options.stage as (typeof STAGES)[number] | undefined;
  if (stage !== undefined && !STAGES.includes(stage)) {
    throw new EdgeshipError('BAD_OPTION', `--stage ${JSON.stringify(options.stage)} is not an event type`, { exitCode: EXIT.usage, hint: `use ${STAGES.join(' or ')}` });
  }
  const { file, site } = await resolveTarget(target, stage, io, loadSite);
  const source = options.event === '-' ? 'stdin' : options.event;
  let raw: unknown;
  try {
    raw = JSON.parse(readEvent(options.event, io));
  } catch (error) {
    if (error instanceof EdgeshipError) throw error;
    throw new EdgeshipError('FUNCTION_TEST_EVENT', `${source}: not JSON: ${(error as Error).message}`, { exitCode: EXIT.usage });
  }
  const { eventType, event } = parseTestEvent(raw, source, stage);
  const kvs = options.kvs ?? site?.edge?.kvs;
  const kvsFile = kvs === undefined ? undefined : path.resolve(options.kvs === undefined && site ? site.rootDir : io.cwd, kvs);
  const runtime = 'cloudfront-js-2.0';
  const fn = await loadEdgeFunction(file, { kvsFile, runtime, lenientCompute: options.lenientCompute });
  const run = await fn.invoke(eventType, event);
  const result = testResult(fn.name, runtime, run);
  if (options.json) io.out(JSON.stringify({ TestResult: result }, null, 2));
  else io.out(formatTestResult(path.relative(io.cwd, file) || file, eventType, result));
  return run.error ? EXIT.failed : EXIT.ok;
}

/** The four parts, as the CloudFront console shows them after a test. */
export function formatTestResult(file: string, eventType: string, result: { ComputeUtilization: string; FunctionExecutionLogs: string[]; FunctionErrorMessage: string; FunctionOutput: string }): string {
  const output = result.FunctionOutput ? JSON.stringify(JSON.parse(result.FunctionOutput), null, 2) : '(none)';
  return [
    `${file} (${eventType})`,
    `compute utilization  ${result.ComputeUtilization}`,
    `error                ${result.FunctionErrorMessage || '(none)'}`,
    'logs',
    ...(result.FunctionExecutionLogs.length ? result.FunctionExecutionLogs.map((l) => `  ${l}`) : ['  (none)']),
    'output',
    ...output.split('\n').map((l) => `  ${l}`),
  ].join('\n');
}

export function registerFunctions(program: Command, ctx: CommandContext): void {
  const functions = program.command('functions').description('CloudFront Functions: run them as CloudFront does');
  functions
    .command('test')
    .description('run one CloudFront test event through a function and print its output, logs, error and compute utilization (as aws cloudfront test-function)')
    .argument('<file|behavior>', 'a function file, or the path pattern of a behavior in the config (its viewer-request function, or --stage)')
    .requiredOption('--event <file>', 'event in CloudFront\'s test event format ("-" reads stdin)')
    .option('--stage <type>', 'viewer-request or viewer-response (default: the event\'s context.eventType)')
    .option('--kvs <file>', 'KeyValueStore JSON file behind cf.kvs() (default: edge.kvs of the config)')
    .option('--lenient-compute', 'report a compute utilization over 100 without failing')
    .option('--json', 'machine-readable output: { TestResult } as the AWS CLI prints it')
    .action(async (target: string, opts: FunctionsTestOptions) => {
      ctx.exitCode = await runFunctionsTest(target, opts, ctx.io, () => ctx.loadSite());
    });
}
