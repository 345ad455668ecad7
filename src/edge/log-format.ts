/** The edge's request records in CloudFront's standard log format (access-log.ts, spec §9.5). */
import { ACCESS_LOG_HEADER, formatAccessLogLine, formatTtyLine, logDateTime, type AccessLogRecord, type EdgeResultType } from './access-log.js';
import { DISTRIBUTION_DOMAIN } from './index.js';
import { LOCAL_POP } from './ids.js';
import type { LogFormat } from './request-log.js';
import type { RequestRecord } from './server.js';

/** `x-edge-result-type`: function outcomes are logged as `Error` (failures) or `Miss` (generated), with the detail in field 29. */
function resultType(record: RequestRecord): EdgeResultType {
  switch (record.resultType) {
    case 'FunctionExecutionError':
    case 'FunctionValidationError':
      return 'Error';
    case 'FunctionGeneratedResponse':
      return 'Miss';
    default:
      return record.resultType;
  }
}

/**
 * Compute utilization of the functions that ran, in field 25 (`fle-status`), which the local
 * edge never fills otherwise (no field-level encryption): `viewer-request=12,viewer-response=3`;
 * a failed run adds its reason (`viewer-request=1212 FunctionExecutionError: …`, percent-encoded
 * in the line like every field).
 */
export function functionRunsField(record: RequestRecord): string | undefined {
  const runs = record.functionRuns ?? [];
  if (runs.length === 0) return undefined;
  return runs.map((r) => `${r.eventType}=${r.computeUtilization ?? '-'}${r.error ? ` ${r.error}` : ''}`).join(',');
}

/** The TTY line's tail: each function's compute utilization, and the reason of a failed run. */
function functionRunsTail(record: RequestRecord): string {
  let tail = '';
  for (const run of record.functionRuns ?? []) {
    tail += ` ${run.functionName} cu ${run.computeUtilization ?? '-'}`;
    if (run.error) tail += ` (${run.error})`;
  }
  return tail;
}

export function toAccessLogRecord(record: RequestRecord): AccessLogRecord {
  const { date, time } = logDateTime(record.date);
  const type = resultType(record);
  return {
    date,
    time,
    edgeLocation: LOCAL_POP,
    scBytes: record.bytesSent,
    clientIp: record.clientIp,
    method: record.method,
    distributionHost: DISTRIBUTION_DOMAIN,
    uriStem: record.uriStem,
    status: record.status,
    referer: record.referer,
    userAgent: record.userAgent,
    uriQuery: record.query === '' ? undefined : record.query,
    cookie: record.cookie,
    resultType: type,
    requestId: record.requestId,
    hostHeader: record.host,
    protocol: 'http',
    csBytes: record.bytesReceived,
    timeTaken: record.timeTaken,
    forwardedFor: record.forwardedFor,
    sslProtocol: undefined,
    sslCipher: undefined,
    responseResultType: type,
    protocolVersion: record.protocolVersion,
    fleStatus: functionRunsField(record),
    fleEncryptedFields: undefined,
    clientPort: record.clientPort,
    timeToFirstByte: record.timeTaken,
    detailedResultType: record.detailedResultType,
    contentType: record.contentType,
    contentLength: record.contentLength,
    rangeStart: record.rangeStart,
    rangeEnd: record.rangeEnd,
  };
}

export const CLOUDFRONT_LOG_FORMAT: LogFormat = {
  header: ACCESS_LOG_HEADER,
  line: (record) => formatAccessLogLine(toAccessLogRecord(record)),
  tty: (record) => formatTtyLine(toAccessLogRecord(record)) + functionRunsTail(record),
};
