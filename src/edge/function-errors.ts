/**
 * The reasons of failed function runs, for a person watching `serve`: each distinct reason once
 * (a broken function fails the same way on every request), so stderr says why a viewer got a
 * 502/503 without repeating it per request.
 */
import type { FunctionExecutionError, FunctionValidationError } from './contracts.js';

/** Distinct reasons remembered; past it the memory starts over (a reason may then show again). */
const REMEMBERED = 1_000;

export function functionErrorReporter(write: (line: string) => void): (error: FunctionExecutionError | FunctionValidationError) => void {
  const seen = new Set<string>();
  return (error) => {
    const line = `${error.status} ${error.name} in function ${error.functionName}: ${error.message}`;
    if (seen.has(line)) return;
    if (seen.size >= REMEMBERED) seen.clear();
    seen.add(line);
    write(line);
  };
}
