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
  type ViewerRequestResult,
} from '../contracts.js';
import { FunctionLoadError } from './errors.js';
import { rawQueryOf, setRawQuery } from './event.js';
import { readKvsFile, type KvsSnapshot } from './kvs.js';
import { rejectionGuard } from './rejections.js';
import { guardBridge, INVOKE_GLOBAL, PRELUDE, PRELUDE_FILENAME, type Bridge } from './prelude.js';
import { prepareSource, type FunctionRuntime } from './source.js';
import { InvalidResult, normalizeResult, type Phase } from './validate.js';

export interface LoadEdgeFunctionOptions {
  /** Function name used in errors and logs. Default: the file name without extension. */
  name?: string;
  /** JSON file backing `cf.kvs()` (kvs.ts). Read once, at load. Default: none (`cf.kvs()` throws). */
  kvsFile?: string;
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
  /** Receives each `console.log` line; at most 10 KB per invocation (§7.5), then one truncation note. */
  onLog?: (line: string, functionName: string) => void;
}

/** How often a run stopped at the time limit is retried when the process was starved of CPU. */
const MAX_RETRIES_WHEN_STARVED = 2;

/** Log output kept per invocation (§7.5). */
export const LOG_LIMIT_BYTES = 10_240;

type Outcome = { ok: true; empty?: true; value?: unknown } | { ok: false; invalid?: true; message: string };

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
  const kvs: KvsSnapshot | undefined = options.kvsFile === undefined ? undefined : readKvsFile(path.resolve(options.kvsFile));

  // Per-invocation state the bridge reads and writes.
  let currentId = 0;
  let currentInput = '';
  let outcome: string | undefined;
  let logged = 0;
  let truncated = false;

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
        options.onLog?.(`[log truncated at ${LOG_LIMIT_BYTES} bytes]`, name);
        return;
      }
      options.onLog?.(text, name);
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
    kvs: () => (kvs ? JSON.stringify(kvs) : ''),
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
  try {
    rejections.around(() => script.runInContext(context, limit));
  } catch (error) {
    throw new FunctionLoadError('FUNCTION_INIT', absolute, `top-level code failed: ${messageOf(error)}`, { line: lineOfStack(error, absolute), cause: error });
  }
  if (vm.runInContext('typeof handler', context) !== 'function') {
    throw new FunctionLoadError('FUNCTION_NO_HANDLER', absolute, 'no "function handler(event)" at the top level (spec §7.2)', {
      hint: 'declare function handler(event) { … } (async in cloudfront-js-2.0)',
    });
  }
  const invokeScript = new vm.Script(`${INVOKE_GLOBAL}(typeof handler === 'function' ? handler : undefined)`, { filename: 'edgeship:invoke' });

  const run = (phase: Phase, event: CfEvent) => {
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
    for (let attempt = 0; ; attempt++) {
      currentId += 1;
      currentInput = JSON.stringify({ id: currentId, ...payload });
      outcome = undefined;
      logged = 0;
      truncated = false;
      const cpuBefore = timeLimitMs === 0 ? undefined : process.cpuUsage();
      try {
        rejections.around(() => invokeScript.runInContext(context, limit));
        break;
      } catch (error) {
        // Read without running function code: no getters, no proxy traps.
        if (types.isNativeError(error) && Object.getOwnPropertyDescriptor(error, 'code')?.value === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
          // The vm limit is wall-clock time. A run stopped while the process used under half
          // the limit in CPU time was not busy, the machine was: run it again (twice at most).
          const cpu = process.cpuUsage(cpuBefore);
          if (attempt < MAX_RETRIES_WHEN_STARVED && (cpu.user + cpu.system) / 1000 < timeLimitMs / 2) continue;
          throw new FunctionExecutionError(`${name}: the function ran longer than ${timeLimitMs} ms and was stopped`, name, { cause: error });
        }
        // Anything else escaped the invocation wrapper: an object of the context, whose
        // properties are not read here (a getter would run outside the time limit).
        throw new FunctionExecutionError(`${name}: the function broke the runtime's invocation wrapper`, name);
      } finally {
        currentInput = '';
      }
    }
    if (outcome === undefined) {
      throw new FunctionExecutionError(`${name}: the handler's promise never settled (no timers or I/O exist to settle it)`, name);
    }
    const result = JSON.parse(outcome) as Outcome;
    if (!result.ok) {
      if (result.invalid) throw new FunctionValidationError(`${name}: ${result.message}`, name);
      throw new FunctionExecutionError(`${name}: ${result.message}`, name);
    }
    if (result.empty) throw new FunctionExecutionError(`${name}: the handler returned nothing (spec §7.2)`, name);
    try {
      return normalizeResult(phase, event, result.value);
    } catch (error) {
      if (error instanceof InvalidResult) throw new FunctionValidationError(`${name}: ${error.message}`, name, { cause: error });
      throw error;
    }
  };

  return {
    name,
    file: absolute,
    async runViewerRequest(event: CfEvent): Promise<ViewerRequestResult> {
      const result = run('viewer-request', event);
      if (result.kind === 'response') return { response: result.response };
      if (result.rawQuery !== undefined) setRawQuery(result.request, result.rawQuery);
      return { request: result.request };
    },
    async runViewerResponse(event: CfEvent): Promise<CfResponse> {
      if (!event.response) throw new TypeError('runViewerResponse: the event has no response');
      const result = run('viewer-response', event);
      if (result.kind !== 'response') throw new FunctionValidationError(`${name}: a viewer-response function must return the response`, name);
      return result.response;
    },
  };
}
