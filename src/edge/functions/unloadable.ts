/**
 * A function file that did not load, standing in for it at the local edge: every run ends as
 * FunctionExecutionError (503) with the load error as the reason. CloudFront answers 503 on the
 * behaviors of a function that cannot run and serves the rest of the distribution (spec §7.7);
 * the local edge does the same instead of refusing to start.
 */
import { FunctionExecutionError, type EdgeFunction } from '../contracts.js';
import type { FunctionLoadError } from './errors.js';

export function unloadableFunction(name: string, file: string, error: FunctionLoadError): EdgeFunction {
  const failure = () => new FunctionExecutionError(`${name}: the function did not load: ${error.message}`, name, { cause: error });
  return {
    name,
    file,
    invoke: async (eventType) => ({ eventType, error: failure(), logs: [], computeUtilization: 0 }),
    runViewerRequest: async () => {
      throw failure();
    },
    runViewerResponse: async () => {
      throw failure();
    },
  };
}
