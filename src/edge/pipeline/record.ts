/**
 * The access-log record of one request (§9.5): the viewer's side is read once from the request,
 * the stages add their parts (function runs, range, content type) as they go.
 */
import type { IncomingMessage } from 'node:http';
import { FunctionExecutionError, FunctionValidationError, type EdgeFunction } from '../contracts.js';
import type { FunctionRunRecord, LogRequest, RequestRecord } from './types.js';

export function joinHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The log writer of one request; `record` collects what the stages add. A no-op without `onRequest`. */
export function requestLog(onRequest: ((record: RequestRecord) => void) | undefined, req: IncomingMessage, requestId: string, record: Partial<RequestRecord>): LogRequest {
  if (!onRequest) return () => undefined;
  const started = process.hrtime.bigint();
  const date = new Date();
  const url = req.url ?? '/';
  return (status, resultType, detailed, bytesSent, extra = {}) => {
    const q = url.indexOf('?');
    onRequest({
      date,
      requestId,
      clientIp: req.socket.remoteAddress ?? '-',
      clientPort: req.socket.remotePort ?? 0,
      method: req.method ?? 'GET',
      host: joinHeader(req.headers.host) ?? '-',
      uriStem: q === -1 ? url : url.slice(0, q),
      query: q === -1 ? '' : url.slice(q + 1),
      status,
      referer: joinHeader(req.headers.referer),
      userAgent: joinHeader(req.headers['user-agent']),
      cookie: joinHeader(req.headers.cookie),
      resultType,
      detailedResultType: detailed,
      protocolVersion: `HTTP/${req.httpVersion}`,
      bytesSent,
      bytesReceived: Number(req.headers['content-length'] ?? 0) + url.length,
      timeTaken: Number(process.hrtime.bigint() - started) / 1e9,
      forwardedFor: joinHeader(req.headers['x-forwarded-for']),
      ...record,
      ...extra,
    });
  };
}

/** Records a function run for the log; a failure also goes to `onFunctionError`. */
export function noteFunctionRun(
  record: Partial<RequestRecord>,
  onFunctionError: ((error: FunctionExecutionError | FunctionValidationError) => void) | undefined,
  run: { eventType: FunctionRunRecord['eventType']; fn: EdgeFunction; computeUtilization?: number; error?: unknown },
): void {
  const { error } = run;
  const failed = error instanceof FunctionExecutionError || error instanceof FunctionValidationError ? error : undefined;
  const entry: FunctionRunRecord = { eventType: run.eventType, functionName: run.fn.name, computeUtilization: run.computeUtilization ?? failed?.computeUtilization };
  if (error !== undefined) entry.error = failed ? `${failed.name}: ${failed.message}` : String(error);
  (record.functionRuns ??= []).push(entry);
  if (failed) onFunctionError?.(failed);
}
