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
import querystringModule from 'node:querystring';
import { createHash, createHmac } from 'node:crypto';
import { types } from 'node:util';
import vm from 'node:vm';
import {
  FunctionExecutionError,
  FunctionValidationError,
  type CfEvent,
  type CfResponse,
  type EdgeFunction,
  type FunctionInvocation,
} from '../contracts.js';
import { computeMeter, DEFAULT_COMPUTE_BUDGET_US, judgeRuns, MEMORY_LIMIT_BYTES, type ComputeMeter, type JudgedRun } from './compute.js';
import { FunctionLoadError } from './errors.js';
import { rawQueryOf, setRawQuery } from './event.js';
import { fixedKvsSource, readKvsFile, type KvsSource } from './kvs.js';
import { rejectionGuard } from './rejections.js';
import { guardBridge, INVOKE_GLOBAL, PRELUDE, PRELUDE_FILENAME, type Bridge } from './prelude.js';
import { prepareSource, type FunctionRuntime } from './source.js';
import { InvalidResult, normalizeResult, type Phase } from './validate.js';

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

/** Wall-clock limit of the top-level code, run once at load. */
const TOP_LEVEL_LIMIT_MS = 5_000;

/** Log output kept per invocation (§7.5). */
export const LOG_LIMIT_BYTES = 10_240;

type Outcome = { ok: true; empty?: true; value?: unknown } | { ok: false; invalid?: true; message: string };

/** One evaluation of the handler: its outcome (absent when stopped), log lines and measured time. */
interface Attempt extends JudgedRun {
  parsed?: Outcome;
  logs: string[];
}

function lineOfStack(error: unknown, file: string): number | undefined {
  const stack = error instanceof Error || (error && typeof error === 'object' && 'stack' in error) ? String((error as { stack?: unknown }).stack) : '';
  const at = stack.indexOf(`${file}:`);
  if (at === -1) return undefined;
  const match = /^:(\d+)/.exec(stack.slice(at + file.length));
  return match ? Number(match[1]) : undefined;
}

/** `EvalError: message` for an error of either realm; used at load, where no function code runs. */
function messageOf(error: unknown): string {
  if (!error || typeof error !== 'object' || !('message' in error)) return String(error);
  const { name, message } = error as { name?: unknown; message: unknown };
  return typeof name === 'string' && name !== '' && name !== 'Error' ? `${name}: ${String(message)}` : String(message);
}

/** Loads a CloudFront Functions file once; see `LoadEdgeFunctionOptions`. Throws `FunctionLoadError`. */
export async function loadEdgeFunction(file: string, options: LoadEdgeFunctionOptions = {}): Promise<EdgeFunction> {
  const absolute = path.resolve(file);
  const name = options.name ?? path.basename(file).replace(/\.[^.]*$/, '');
  const timeLimitMs = options.timeLimitMs ?? 50;
  if (!Number.isInteger(timeLimitMs) || timeLimitMs < 0) throw new RangeError(`timeLimitMs must be a whole number of ms >= 0, got ${timeLimitMs}`);
  const limit = timeLimitMs === 0 ? {} : { timeout: timeLimitMs };
  const runtime = options.runtime ?? 'cloudfront-js-2.0';
  const clock = options.clock ?? Date.now;
  let source: string;
  try {
    source = await fs.readFile(absolute, 'utf8');
  } catch (error) {
    throw new FunctionLoadError('FUNCTION_INIT', absolute, `cannot read the function file: ${messageOf(error)}`, { cause: error });
  }
  const prepared = prepareSource(absolute, source, runtime);
  const kvs: KvsSource | undefined = options.kvs ?? (options.kvsFile === undefined ? undefined : fixedKvsSource(readKvsFile(path.resolve(options.kvsFile))));

  // Per-invocation state the bridge reads and writes.
  let currentId = 0;
  let currentInput = '';
  let outcome: string | undefined;
  let logged = 0;
  let truncated = false;
  let lines: string[] = [];

  const bridge: Bridge = {
    input: () => currentInput,
    deliver: (id, text) => {
      if (id === currentId) outcome = String(text);
    },
    log: (line) => {
      const text = String(line);
      if (truncated) return;
      logged += Buffer.byteLength(text) + 1;
      if (logged > LOG_LIMIT_BYTES) {
        truncated = true;
        lines.push(`[log truncated at ${LOG_LIMIT_BYTES} bytes]`);
        return;
      }
      lines.push(text);
    },
    utf8Encode: (text) => Buffer.from(String(text), 'utf8').toString('latin1'),
    utf8Decode: (bytes) => Buffer.from(String(bytes), 'latin1').toString('utf8'),
    digest: (algorithm, key, data, encoding) => {
      const h = key === null ? createHash(algorithm) : createHmac(algorithm, Buffer.from(key, 'latin1'));
      return h.update(Buffer.from(data, 'latin1')).digest().toString(encoding as BufferEncoding);
    },
    bytesToString: (bytes, encoding) => Buffer.from(String(bytes), 'latin1').toString(encoding as BufferEncoding),
    stringToBytes: (text, encoding) => Buffer.from(String(text), encoding as BufferEncoding).toString('latin1'),
    base64Encode: (bytes) => Buffer.from(String(bytes), 'latin1').toString('base64'),
    base64Decode: (text) => Buffer.from(String(text), 'base64').toString('latin1'),
    unescape: (text) => {
      try {
        return querystringModule.unescape(String(text));
      } catch {
        return String(text);
      }
    },
    kvs: () => (kvs ? JSON.stringify(kvs.snapshot()) : ''),
    kvsVersion: () => (kvs ? kvs.version() : -1),
  };

  const context = vm.createContext(Object.create(null), {
    name: `CloudFront function ${name}`,
    codeGeneration: { strings: false, wasm: false },
    microtaskMode: 'afterEvaluate',
  });
  // Host functions handed to the prelude get the context's Function.prototype, so even their
  // `constructor` leads back into the context, never to the host's Function.
  const contextFunctionPrototype = vm.runInContext('Function.prototype', context) as object;
  const guarded = guardBridge(bridge);
  for (const fn of Object.values(guarded)) Object.setPrototypeOf(fn, contextFunctionPrototype);
  const install = vm.runInContext(PRELUDE, context, { filename: PRELUDE_FILENAME }) as (bridge: Bridge, settings: string, unsettled: unknown[]) => void;
  const unsettled = vm.runInContext('[]', context) as unknown[];
  install(guarded, JSON.stringify({ runtime, file: absolute }), unsettled);
  const rejections = rejectionGuard(context, unsettled, limit);

  // CloudFront code is always strict (§7.1); the prefix keeps line numbers.
  let script: vm.Script;
  try {
    script = new vm.Script(`'use strict';${prepared.code}`, { filename: absolute });
  } catch (error) {
    throw new FunctionLoadError('FUNCTION_SYNTAX', absolute, `syntax error: ${messageOf(error)}`, { line: lineOfStack(error, absolute), cause: error });
  }
  // The top-level code runs once and cannot be run again (its const/let would be declared
  // twice), so a starved host must not stop it: its limit is seconds, not the run's.
  const loadLimit = timeLimitMs === 0 ? {} : { timeout: Math.max(timeLimitMs, TOP_LEVEL_LIMIT_MS) };
  try {
    rejections.around(() => script.runInContext(context, loadLimit));
  } catch (error) {
    throw new FunctionLoadError('FUNCTION_INIT', absolute, `top-level code failed: ${messageOf(error)}`, { line: lineOfStack(error, absolute), cause: error });
  } finally {
    for (const line of lines) options.onLog?.(line, name);
    lines = [];
  }
  if (vm.runInContext('typeof handler', context) !== 'function') {
    throw new FunctionLoadError('FUNCTION_NO_HANDLER', absolute, 'no "function handler(event)" at the top level (spec §7.2)', {
      hint: 'declare function handler(event) { … } (async in cloudfront-js-2.0)',
    });
  }
  const invokeScript = new vm.Script(`${INVOKE_GLOBAL}(typeof handler === 'function' ? handler : undefined)`, { filename: 'edgeship:invoke' });

  const meter = options.computeMeter ?? computeMeter();
  const budgetUs = options.computeBudgetUs ?? DEFAULT_COMPUTE_BUDGET_US;
  const lenient = options.lenientCompute === true;

  /** One evaluation of the handler: its outcome text (or a stop), its log lines and its time. */
  const attempt = (payload: object, profileGc: boolean): Attempt => {
    currentId += 1;
    currentInput = JSON.stringify({ id: currentId, ...payload });
    outcome = undefined;
    logged = 0;
    truncated = false;
    lines = [];
    const measured = meter.measure(() => rejections.around(() => invokeScript.runInContext(context, limit)), profileGc);
    currentInput = '';
    const logs = lines;
    lines = [];
    if (!('error' in measured)) {
      const parsed = outcome === undefined ? undefined : (JSON.parse(outcome) as Outcome);
      const succeeded = parsed?.ok === true && !parsed.empty;
      return { kind: 'done', parsed, succeeded, logs, sample: measured.sample };
    }
    const { error } = measured;
    // Read without running function code: no getters, no proxy traps.
    const timedOut = types.isNativeError(error) && Object.getOwnPropertyDescriptor(error, 'code')?.value === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
    return { kind: timedOut ? 'timeout' : 'broken', succeeded: false, logs, sample: measured.sample };
  };

  const run = async (phase: Phase, event: CfEvent): Promise<FunctionInvocation> => {
    const input: CfEvent = {
      ...event,
      context: {
        ...event.context,
        eventType: phase,
        distributionDomainName: event.context.distributionDomainName || options.distributionDomainName || '',
        distributionId: event.context.distributionId || options.distributionId || '',
      },
    };
    const payload = { now: clock(), eventType: phase, rawQuery: rawQueryOf(event.request) ?? null, event: input };
    const verdict = await judgeRuns((profileGc) => attempt(payload, profileGc), { budgetUs, lenient, timeLimitMs });
    const { cu, result } = verdict;
    const logs = result.logs;
    for (const line of logs) {
      try {
        options.onLog?.(line, name);
      } catch {
        // A failing log sink never fails the viewer's request.
      }
    }
    const fail = (error: FunctionExecutionError | FunctionValidationError): FunctionInvocation => ({ eventType: phase, error, logs, computeUtilization: cu });
    const failed = (message: string) => fail(new FunctionExecutionError(`${name}: ${message}`, name, { computeUtilization: cu }));
    if (verdict.overBudget) {
      return failed(
        `compute utilization ${cu} is over 100: the run took ${(cu * budgetUs) / 100_000} ms of the ${budgetUs / 1000} ms CloudFront allows (spec §7.5); ` +
          'CloudFront stops such a run with FunctionExecutionError (or throttles the function). Do less per request, or serve with --lenient-compute on a slow machine',
      );
    }
    if (result.kind === 'timeout') return failed(`the function ran longer than ${timeLimitMs} ms and was stopped (compute utilization ${cu})`);
    if (result.sample.allocatedBytes > MEMORY_LIMIT_BYTES) {
      const mb = (result.sample.allocatedBytes / 1024 / 1024).toFixed(1);
      return failed(`the run used ${mb} MB of memory; CloudFront allows a function 2 MB (spec §7.5). Keep less in memory per request (strings, arrays, Promise chains)`);
    }
    // Anything else escaped the invocation wrapper: an object of the context, whose
    // properties are not read here (a getter would run outside the time limit).
    if (result.kind === 'broken' || result.parsed === undefined) {
      return failed(result.kind === 'broken' ? "the function broke the runtime's invocation wrapper" : "the handler's promise never settled (no timers or I/O exist to settle it)");
    }
    const { parsed } = result;
    if (!parsed.ok) {
      if (parsed.invalid) return fail(new FunctionValidationError(`${name}: ${parsed.message}`, name, { computeUtilization: cu }));
      return failed(parsed.message);
    }
    if (parsed.empty) return failed('the handler returned nothing (spec §7.2)');
    try {
      const normalized = normalizeResult(phase, event, parsed.value);
      if (normalized.kind === 'response') return { eventType: phase, output: { response: normalized.response }, logs, computeUtilization: cu };
      if (phase === 'viewer-response') return fail(new FunctionValidationError(`${name}: a viewer-response function must return the response`, name, { computeUtilization: cu }));
      if (normalized.rawQuery !== undefined) setRawQuery(normalized.request, normalized.rawQuery);
      return { eventType: phase, output: { request: normalized.request }, logs, computeUtilization: cu };
    } catch (error) {
      if (error instanceof InvalidResult) return fail(new FunctionValidationError(`${name}: ${error.message}`, name, { cause: error, computeUtilization: cu }));
      throw error;
    }
  };

  return {
    name,
    file: absolute,
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
