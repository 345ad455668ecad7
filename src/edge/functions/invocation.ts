/**
 * What one invocation ends as (§7.7): the judged run of the handler turned into the four parts
 * `aws cloudfront test-function` reports, with CloudFront's error class and a reason a user can
 * act on when it failed.
 */
import { FunctionExecutionError, FunctionValidationError, type CfEvent, type FunctionInvocation } from '../contracts.js';
import { MEMORY_LIMIT_BYTES, type JudgedRun, type Verdict } from './compute.js';
import { setRawQuery } from './event.js';
import { InvalidResult, normalizeResult, type Phase } from './validate.js';

/** What the prelude's invocation wrapper delivers. */
export type Delivered = { ok: true; empty?: true; value?: unknown } | { ok: false; invalid?: true; message: string };

/** One evaluation of the handler: what it delivered (absent when stopped), its log lines and measured time. */
export interface Attempt extends JudgedRun {
  parsed?: Delivered;
  logs: string[];
}

export interface InvocationSettings {
  name: string;
  budgetUs: number;
  timeLimitMs: number;
}

/** The invocation a verdict on the runs of `event` makes. */
export function invocationOf(phase: Phase, event: CfEvent, verdict: Verdict<Attempt>, s: InvocationSettings): FunctionInvocation {
  const { cu, result } = verdict;
  const { logs } = result;
  const fail = (error: FunctionExecutionError | FunctionValidationError): FunctionInvocation => ({ eventType: phase, error, logs, computeUtilization: cu });
  const failed = (message: string) => fail(new FunctionExecutionError(`${s.name}: ${message}`, s.name, { computeUtilization: cu }));
  const invalid = (message: string, cause?: unknown) =>
    fail(new FunctionValidationError(`${s.name}: ${message}`, s.name, cause === undefined ? { computeUtilization: cu } : { cause, computeUtilization: cu }));
  const stopped = stoppedReason(verdict, s);
  if (stopped) return failed(stopped);
  const { parsed } = result;
  if (!parsed) return failed("the handler's promise never settled (no timers or I/O exist to settle it)");
  if (!parsed.ok) return parsed.invalid ? invalid(parsed.message) : failed(parsed.message);
  if (parsed.empty) return failed('the handler returned nothing (spec §7.2)');
  try {
    const normalized = normalizeResult(phase, event, parsed.value);
    if (normalized.kind === 'response') return { eventType: phase, output: { response: normalized.response }, logs, computeUtilization: cu };
    if (phase === 'viewer-response') return invalid('a viewer-response function must return the response');
    if (normalized.rawQuery !== undefined) setRawQuery(normalized.request, normalized.rawQuery);
    return { eventType: phase, output: { request: normalized.request }, logs, computeUtilization: cu };
  } catch (error) {
    if (error instanceof InvalidResult) return invalid(error.message, error);
    throw error;
  }
}

/** Why the runtime stopped the run (§7.5 limits), or undefined when the handler finished on its own. */
function stoppedReason({ cu, result, overBudget }: Verdict<Attempt>, s: InvocationSettings): string | undefined {
  if (overBudget) {
    return (
      `compute utilization ${cu} is over 100: the run took ${(cu * s.budgetUs) / 100_000} ms of the ${s.budgetUs / 1000} ms CloudFront allows (spec §7.5); ` +
      'CloudFront stops such a run with FunctionExecutionError (or throttles the function). Do less per request, or serve with --lenient-compute on a slow machine'
    );
  }
  if (result.kind === 'timeout') return `the function ran longer than ${s.timeLimitMs} ms and was stopped (compute utilization ${cu})`;
  if (result.sample.allocatedBytes > MEMORY_LIMIT_BYTES) {
    const mb = (result.sample.allocatedBytes / 1024 / 1024).toFixed(1);
    return `the run used ${mb} MB of memory; CloudFront allows a function 2 MB (spec §7.5). Keep less in memory per request (strings, arrays, Promise chains)`;
  }
  // Anything else escaped the invocation wrapper: an object of the context, whose
  // properties are not read here (a getter would run outside the time limit).
  if (result.kind === 'broken') return "the function broke the runtime's invocation wrapper";
  return undefined;
}
