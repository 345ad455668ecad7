/** Helpers shared by the function runtime tests: function files in a temporary folder, and events. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CfEvent } from '../contracts.js';
import { viewerRequestEvent } from './event.js';
import { loadEdgeFunction, type LoadEdgeFunctionOptions } from './runtime.js';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-fn-'));
}

let counter = 0;

/**
 * Writes `code` to a fresh `.js` file under `dir` and loads it. Tests that do not test the time
 * limit or the compute budget use generous ones (5 s, 20 ms): test files run in parallel on a
 * loaded machine, which must not turn a `throw` into a timeout or a budget verdict. The budget's
 * own tests (compute.test.ts) and the load test use the real default.
 */
export async function functionFrom(dir: string, code: string, options: LoadEdgeFunctionOptions = {}) {
  const file = path.join(dir, `fn-${++counter}.js`);
  fs.writeFileSync(file, code);
  return loadEdgeFunction(file, { timeLimitMs: 5_000, computeBudgetUs: 20_000, ...options });
}

/** A viewer-request event for `GET url` with header pairs. */
export function requestEvent(url: string, headers: [string, string][] = [['Host', 'example.com']], method = 'GET'): CfEvent {
  return viewerRequestEvent({ method, url, rawHeaders: headers.flat() }, { ip: '127.0.0.1', requestId: 'req-1' });
}
