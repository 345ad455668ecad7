/** Compute utilization and failure reasons of function runs in the access log and the TTY line. */
import { describe, expect, it } from 'vitest';
import { CLOUDFRONT_LOG_FORMAT, toAccessLogRecord } from './log-format.js';
import type { RequestRecord } from './server.js';

const base: RequestRecord = {
  date: new Date(Date.UTC(2026, 0, 1, 12, 0, 0)),
  requestId: 'id1',
  clientIp: '127.0.0.1',
  clientPort: 5000,
  method: 'GET',
  host: 'example.com',
  uriStem: '/about',
  query: '',
  status: 200,
  resultType: 'Hit',
  detailedResultType: 'Hit',
  protocolVersion: 'HTTP/1.1',
  bytesSent: 100,
  bytesReceived: 50,
  timeTaken: 0.002,
};

describe('function runs in the log', () => {
  it('field 25 (fle-status) holds each run as eventType=utilization; absent without functions', () => {
    const record: RequestRecord = {
      ...base,
      functionRuns: [
        { eventType: 'viewer-request', functionName: 'url-handler', computeUtilization: 14 },
        { eventType: 'viewer-response', functionName: 'headers', computeUtilization: 3 },
      ],
    };
    expect(toAccessLogRecord(record).fleStatus).toBe('viewer-request=14,viewer-response=3');
    expect(CLOUDFRONT_LOG_FORMAT.line(record).split('\t')[24]).toBe('viewer-request=14,viewer-response=3');
    expect(toAccessLogRecord(base).fleStatus).toBeUndefined();
  });

  it('the TTY line and the log file carry the figure and, for a failed run, the reason', () => {
    const record: RequestRecord = {
      ...base,
      status: 503,
      resultType: 'FunctionExecutionError',
      detailedResultType: 'FunctionExecutionError',
      functionRuns: [{ eventType: 'viewer-request', functionName: 'heavy', computeUtilization: 1212, error: 'FunctionExecutionError: heavy: compute utilization 1212 is over 100' }],
    };
    expect(CLOUDFRONT_LOG_FORMAT.tty(record)).toMatch(/ heavy cu 1212 \(FunctionExecutionError: heavy: compute utilization 1212 is over 100\)$/);
    // The access-log file has the reason too, encoded as every field is (§9.5).
    expect(CLOUDFRONT_LOG_FORMAT.line(record).split('\t')[24]).toBe('viewer-request=1212%20FunctionExecutionError:%20heavy:%20compute%20utilization%201212%20is%20over%20100');
  });
});
