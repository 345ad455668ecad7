/**
 * The `node:vm` context a function runs in: created empty, the prelude installed with the host
 * bridge, the function's top-level code run once. Nothing of the host realm is put in it.
 */
import vm from 'node:vm';
import { FunctionLoadError } from './errors.js';
import { guardBridge, INVOKE_GLOBAL, PRELUDE, PRELUDE_FILENAME, type Bridge } from './prelude.js';
import { rejectionGuard, type RejectionGuard } from './rejections.js';
import type { FunctionRuntime } from './source.js';

/** Wall-clock limit of the top-level code, run once at load. */
const TOP_LEVEL_LIMIT_MS = 5_000;

export interface Sandbox {
  context: vm.Context;
  rejections: RejectionGuard;
  /** Calls the handler with the bridge's current input. */
  invokeScript: vm.Script;
}

function lineOfStack(error: unknown, file: string): number | undefined {
  const stack = error instanceof Error || (error && typeof error === 'object' && 'stack' in error) ? String((error as { stack?: unknown }).stack) : '';
  const at = stack.indexOf(`${file}:`);
  if (at === -1) return undefined;
  const match = /^:(\d+)/.exec(stack.slice(at + file.length));
  return match ? Number(match[1]) : undefined;
}

/** `EvalError: message` for an error of either realm; used at load, where no function code runs. */
export function messageOf(error: unknown): string {
  if (!error || typeof error !== 'object' || !('message' in error)) return String(error);
  const { name, message } = error as { name?: unknown; message: unknown };
  return typeof name === 'string' && name !== '' && name !== 'Error' ? `${name}: ${String(message)}` : String(message);
}

/** An empty context with the prelude installed over `bridge`. */
function preludeContext(name: string, runtime: FunctionRuntime, file: string, bridge: Bridge, limit: { timeout?: number }): Omit<Sandbox, 'invokeScript'> {
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
  install(guarded, JSON.stringify({ runtime, file }), unsettled);
  return { context, rejections: rejectionGuard(context, unsettled, limit) };
}

/**
 * The sandbox of one function file: its prepared code run once at the top level (its logs go to
 * `flushLogs`). Throws `FunctionLoadError` for a syntax error, a failing top level or no handler.
 */
export function loadSandbox(
  fn: { name: string; file: string; code: string; runtime: FunctionRuntime },
  bridge: Bridge,
  timeLimitMs: number,
  flushLogs: () => void,
): Sandbox {
  const limit = timeLimitMs === 0 ? {} : { timeout: timeLimitMs };
  const { context, rejections } = preludeContext(fn.name, fn.runtime, fn.file, bridge, limit);
  // CloudFront code is always strict (§7.1); the prefix keeps line numbers.
  let script: vm.Script;
  try {
    script = new vm.Script(`'use strict';${fn.code}`, { filename: fn.file });
  } catch (error) {
    throw new FunctionLoadError('FUNCTION_SYNTAX', fn.file, `syntax error: ${messageOf(error)}`, { line: lineOfStack(error, fn.file), cause: error });
  }
  // The top-level code runs once and cannot be run again (its const/let would be declared
  // twice), so a starved host must not stop it: its limit is seconds, not the run's.
  const loadLimit = timeLimitMs === 0 ? {} : { timeout: Math.max(timeLimitMs, TOP_LEVEL_LIMIT_MS) };
  try {
    rejections.around(() => script.runInContext(context, loadLimit));
  } catch (error) {
    throw new FunctionLoadError('FUNCTION_INIT', fn.file, `top-level code failed: ${messageOf(error)}`, { line: lineOfStack(error, fn.file), cause: error });
  } finally {
    flushLogs();
  }
  if (vm.runInContext('typeof handler', context) !== 'function') {
    throw new FunctionLoadError('FUNCTION_NO_HANDLER', fn.file, 'no "function handler(event)" at the top level (spec §7.2)', {
      hint: 'declare function handler(event) { … } (async in cloudfront-js-2.0)',
    });
  }
  const invokeScript = new vm.Script(`${INVOKE_GLOBAL}(typeof handler === 'function' ? handler : undefined)`, { filename: 'edgeship:invoke' });
  return { context, rejections, invokeScript };
}
