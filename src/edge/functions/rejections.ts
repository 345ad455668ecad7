/**
 * Keeps promise rejections inside a function's context from reaching Node's unhandled-rejection
 * handling, which by default ends the process: a function that leaves a rejected promise
 * unhandled (`Promise.reject(x);` and return) must not stop the edge.
 *
 * While a run is in progress a V8 promise hook records every promise created; right after the
 * run each one gets a no-op rejection handler, before Node looks at pending rejections. The
 * handler is attached with the context's original `then()`, whose `constructor` and
 * `Symbol.species` the prelude fixed, so no function code runs in the host; a promise with an
 * own `constructor` or another prototype is handed back to the context and marked there,
 * inside the time limit.
 */
import { promiseHooks } from 'node:v8';
import vm from 'node:vm';
import { MARK_GLOBAL } from './prelude.js';

export interface RejectionGuard {
  /** Runs `run` and marks every promise it created as handled. */
  around<T>(run: () => T): T;
}

export function rejectionGuard(context: vm.Context, unsettled: unknown[], timeout: { timeout?: number }): RejectionGuard {
  const then = vm.runInContext('Promise.prototype.then', context) as (this: unknown, ...args: unknown[]) => unknown;
  const promiseProto = vm.runInContext('Promise.prototype', context) as object;
  const ignore = vm.runInContext('(function () {})', context) as () => void;
  const markScript = new vm.Script(`${MARK_GLOBAL}()`, { filename: 'edgeship:mark-handled' });
  let created: object[] = [];
  return {
    around<T>(run: () => T): T {
      const stop = promiseHooks.onInit((promise) => created.push(promise));
      try {
        return run();
      } finally {
        stop();
        const list = created;
        created = [];
        let leftovers = 0;
        for (const promise of list) {
          if (Object.getPrototypeOf(promise) === promiseProto && !Object.prototype.hasOwnProperty.call(promise, 'constructor')) {
            Reflect.apply(then, promise, [undefined, ignore]);
          } else {
            Object.defineProperty(unsettled, leftovers++, { value: promise, writable: true, enumerable: true, configurable: true });
          }
        }
        if (leftovers > 0) {
          try {
            markScript.runInContext(context, timeout);
          } catch {
            // Out of time: those promises stay unmarked; nothing else can be done safely.
          }
        }
      }
    },
  };
}
