/**
 * CloudFront Functions runtime for the local edge (spec §7): loads one function file once into
 * a `node:vm` context and runs `handler(event)` per request.
 *
 * What a function can reach: the JavaScript built-ins of the context (`eval` and `new Function`
 * throw, §7.4), `console.log`, a pinned `Date`, `Buffer`, and the `cloudfront`, `crypto`,
 * `querystring` and `buffer` modules (prelude.ts). No `require`, `import()`, `process`, timers, network or
 * file system: the context is created empty and nothing of the host realm is put in it.
 * Microtasks run inside the same time-limited evaluation (`microtaskMode: 'afterEvaluate'`),
 * so an `async` handler finishes, fails or is stopped within one synchronous call.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { types } from 'node:util';
import type { CfEvent, CfResponse, EdgeFunction, FunctionInvocation } from '../contracts.js';
import { computeMeter, DEFAULT_COMPUTE_BUDGET_US, judgeRuns, type ComputeMeter } from './compute.js';
import { FunctionLoadError } from './errors.js';
import { rawQueryOf } from './event.js';
import { HostChannel } from './host-channel.js';
import { invocationOf, type Attempt, type Delivered } from './invocation.js';
import { fixedKvsSource, readKvsFile, type KvsSource } from './kvs.js';
import { loadSandbox, messageOf, type Sandbox } from './sandbox.js';
import { prepareSource, type FunctionRuntime } from './source.js';
import type { Phase } from './validate.js';

export { LOG_LIMIT_BYTES } from './host-channel.js';

export interface LoadEdgeFunctionOptions {
  /** Function name used in errors and logs. Default: the file name without extension. */
  name?: string;
  /** JSON file backing `cf.kvs()` (kvs.ts). Read once, at load. Default: none (`cf.kvs()` throws). */
  kvsFile?: string;
  /** Data backing `cf.kvs()` that may change while the function runs (the local edge's); wins over `kvsFile`. */
  kvs?: KvsSource;
  /**
   * Wall-clock limit of one invocation, in ms; over it the run ends as a 503 (§7.7). Default 50.
   * `0` turns the limit off (for a debugger; an endless loop then blocks the edge).
   */
  timeLimitMs?: number;
  /** `event.context.distributionDomainName` when the event does not carry one. */
  distributionDomainName?: string;
  /** `event.context.distributionId` when the event does not carry one. */
  distributionId?: string;
  /** Default `cloudfront-js-2.0`, the runtime `edgeship synth` deploys. */
  runtime?: FunctionRuntime;
  /** Clock for the pinned `Date` (ms since the epoch). Default `Date.now`. */
  clock?: () => number;
  /** The time one run may take on this machine, µs; compute utilization is the run's own time against it (compute.ts). Default 1,000. */
  computeBudgetUs?: number;
  /** Report a compute utilization over 100 without failing the run (for slow machines). Default false. */
  lenientCompute?: boolean;
  /** How a run's own time is measured; tests inject a meter with known samples. Default: `computeMeter()`. */
  computeMeter?: ComputeMeter;
  /** Receives each `console.log` line; at most 10 KB per invocation (§7.5), then one truncation note. */
  onLog?: (line: string, functionName: string) => void;
}

/** Loads a CloudFront Functions file once; see `LoadEdgeFunctionOptions`. Throws `FunctionLoadError`. */
export async function loadEdgeFunction(file: string, options: LoadEdgeFunctionOptions = {}): Promise<EdgeFunction> {
  const absolute = path.resolve(file);
  const name = options.name ?? path.basename(file).replace(/\.[^.]*$/, '');
  const timeLimitMs = options.timeLimitMs ?? 50;
  if (!Number.isInteger(timeLimitMs) || timeLimitMs < 0) throw new RangeError(`timeLimitMs must be a whole number of ms >= 0, got ${timeLimitMs}`);
  const runtime = options.runtime ?? 'cloudfront-js-2.0';
  let source: string;
  try {
    source = await fs.readFile(absolute, 'utf8');
  } catch (error) {
    throw new FunctionLoadError('FUNCTION_INIT', absolute, `cannot read the function file: ${messageOf(error)}`, { cause: error });
  }
  const { code } = prepareSource(absolute, source, runtime);
  const kvs: KvsSource | undefined = options.kvs ?? (options.kvsFile === undefined ? undefined : fixedKvsSource(readKvsFile(path.resolve(options.kvsFile))));
  const channel = new HostChannel(kvs);
  const sandbox = loadSandbox({ name, file: absolute, code, runtime }, channel.bridge, timeLimitMs, () => {
    for (const line of channel.takeLogs()) options.onLog?.(line, name);
  });
  const run = invoker(sandbox, channel, { ...options, name, timeLimitMs });
  return edgeFunction(name, absolute, run);
}

type Invoke = (phase: Phase, event: CfEvent) => Promise<FunctionInvocation>;

/** Runs the loaded handler on an event, judged against the compute budget (compute.ts). */
function invoker(sandbox: Sandbox, channel: HostChannel, options: LoadEdgeFunctionOptions & { name: string; timeLimitMs: number }): Invoke {
  const { name, timeLimitMs } = options;
  const limit = timeLimitMs === 0 ? {} : { timeout: timeLimitMs };
  const meter = options.computeMeter ?? computeMeter();
  const budgetUs = options.computeBudgetUs ?? DEFAULT_COMPUTE_BUDGET_US;
  const clock = options.clock ?? Date.now;

  const attempt = (payload: object, profileGc: boolean): Attempt => {
    channel.begin(payload);
    const measured = meter.measure(() => sandbox.rejections.around(() => sandbox.invokeScript.runInContext(sandbox.context, limit)), profileGc);
    const { outcome, logs } = channel.end();
    if (!('error' in measured)) {
      const parsed = outcome === undefined ? undefined : (JSON.parse(outcome) as Delivered);
      return { kind: 'done', parsed, succeeded: parsed?.ok === true && !parsed.empty, logs, sample: measured.sample };
    }
    // Read without running function code: no getters, no proxy traps.
    const { error } = measured;
    const timedOut = types.isNativeError(error) && Object.getOwnPropertyDescriptor(error, 'code')?.value === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
    return { kind: timedOut ? 'timeout' : 'broken', succeeded: false, logs, sample: measured.sample };
  };

  return async (phase, event) => {
    const context = {
      ...event.context,
      eventType: phase,
      distributionDomainName: event.context.distributionDomainName || options.distributionDomainName || '',
      distributionId: event.context.distributionId || options.distributionId || '',
    };
    const payload = { now: clock(), eventType: phase, rawQuery: rawQueryOf(event.request) ?? null, event: { ...event, context } };
    const verdict = await judgeRuns((profileGc) => attempt(payload, profileGc), { budgetUs, lenient: options.lenientCompute === true, timeLimitMs });
    for (const line of verdict.result.logs) {
      try {
        options.onLog?.(line, name);
      } catch {
        // A failing log sink never fails the viewer's request.
      }
    }
    return invocationOf(phase, event, verdict, { name, budgetUs, timeLimitMs });
  };
}

function edgeFunction(name: string, file: string, run: Invoke): EdgeFunction {
  return {
    name,
    file,
    async invoke(eventType, event) {
      if (eventType === 'viewer-response' && !event.response) throw new TypeError('a viewer-response event needs a response');
      return run(eventType, event);
    },
    async runViewerRequest(event: CfEvent) {
      const { output, error } = await run('viewer-request', event);
      if (error) throw error;
      return output!;
    },
    async runViewerResponse(event: CfEvent): Promise<CfResponse> {
      if (!event.response) throw new TypeError('runViewerResponse: the event has no response');
      const { output, error } = await run('viewer-response', event);
      if (error) throw error;
      return (output as { response: CfResponse }).response;
    },
  };
}
