/**
 * What the server needs from the CloudFront Functions runtime, in the server's own terms.
 * `functions-adapter.ts` implements it with the runtime's event helpers; the server only sees
 * a request view in and a request or response out.
 */
import { FunctionExecutionError, type EdgeFunction, type HeaderMap } from './contracts.js';

/** The viewer request as a function sees it (before or after a viewer-request function). */
export interface RequestView {
  method: string;
  /** Percent-encoded path. */
  uri: string;
  /** Raw query string without `?` ('' when none). */
  query: string;
  /** Whether the request line had a `?` at all. */
  hasQuery: boolean;
  /** Raw header lines as received: `[name, value, name, value, ...]`. */
  rawHeaders: string[];
  clientIp: string;
  requestId: string;
}

export type ViewerRequestOutcome = (
  | { request: RequestView }
  | { response: { status: number; statusText?: string; headers: HeaderMap; body: Buffer } }
) & { computeUtilization: number };

export interface FunctionBridge {
  /** Runs a viewer-request function; throws FunctionExecutionError / FunctionValidationError (§7.7). */
  viewerRequest(fn: EdgeFunction, request: RequestView): Promise<ViewerRequestOutcome>;
  /** Runs a viewer-response function over the response headers (the body is never visible, §7.3). */
  viewerResponse(
    fn: EdgeFunction,
    request: RequestView,
    response: { status: number; headers: HeaderMap },
  ): Promise<{ status: number; statusText?: string; headers: HeaderMap; computeUtilization: number }>;
}

/** Lower-case header map of raw header lines; repeated lines joined as node joins them (`, `; cookies `; `). */
export function headerLookup(rawHeaders: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    const prev = out[name];
    out[name] = prev === undefined ? value : `${prev}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return out;
}

/** The bridge the handler was given; a behavior with a function but no runtime fails as a function run does (503). */
export function bridgeOf(options: { bridge?: FunctionBridge }): FunctionBridge {
  if (!options.bridge) throw new FunctionExecutionError('no CloudFront Functions runtime is loaded', 'edge');
  return options.bridge;
}
