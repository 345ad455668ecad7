/**
 * Access log of the local edge in CloudFront's standard (legacy) log format (spec §9.5), and
 * a short colored line per request for a terminal.
 *
 * Format: W3C extended, tab-separated, two header lines (`#Version: 1.0`, `#Fields: …`), `-`
 * for an empty value; spaces, control characters (0–32), bytes ≥ 127 and
 * `< > " # % { } | \ ^ ~ [ ] ` '` are URL-encoded (`%20`). The encoding applies to every field,
 * so an already percent-encoded path appears encoded twice (`/a%20b` -> `/a%2520b`), as in
 * CloudFront's own logs.
 */
import pc from 'picocolors';

/** `x-edge-result-type` / `x-edge-response-result-type` values (§9.5 field 14). */
export type EdgeResultType = 'Hit' | 'RefreshHit' | 'Miss' | 'LimitExceeded' | 'CapacityExceeded' | 'Error' | 'Redirect' | 'LambdaExecutionError';

/** The 33 fields of the legacy format, in order (§9.5). `undefined` is logged as `-`. */
export interface AccessLogRecord {
  /** 1 `date`: UTC, `YYYY-MM-DD`. */
  date: string;
  /** 2 `time`: UTC, `HH:MM:SS`. */
  time: string;
  /** 3 `x-edge-location`, e.g. `LOCAL` for the local edge. */
  edgeLocation: string;
  /** 4 `sc-bytes`: bytes sent to the viewer, headers included. */
  scBytes: number;
  /** 5 `c-ip`. */
  clientIp: string;
  /** 6 `cs-method`. */
  method: string;
  /** 7 `cs(Host)`: the distribution's domain name. */
  distributionHost: string;
  /** 8 `cs-uri-stem`: the path as the viewer sent it, without the query string. */
  uriStem: string;
  /** 9 `sc-status`; undefined when the viewer closed the connection first (logged `000`). */
  status: number | undefined;
  /** 10 `cs(Referer)`. */
  referer: string | undefined;
  /** 11 `cs(User-Agent)`. */
  userAgent: string | undefined;
  /** 12 `cs-uri-query`. */
  uriQuery: string | undefined;
  /** 13 `cs(Cookie)`. */
  cookie: string | undefined;
  /** 14 `x-edge-result-type`. */
  resultType: EdgeResultType;
  /** 15 `x-edge-request-id` (same as `X-Amz-Cf-Id`). */
  requestId: string;
  /** 16 `x-host-header`: the viewer's `Host`. */
  hostHeader: string | undefined;
  /** 17 `cs-protocol`. */
  protocol: 'http' | 'https' | 'ws' | 'wss' | 'grpcs';
  /** 18 `cs-bytes`: bytes of the viewer's request, headers included. */
  csBytes: number;
  /** 19 `time-taken`: seconds, logged with millisecond precision. */
  timeTaken: number;
  /** 20 `x-forwarded-for`. */
  forwardedFor: string | undefined;
  /** 21 `ssl-protocol`. */
  sslProtocol: string | undefined;
  /** 22 `ssl-cipher`. */
  sslCipher: string | undefined;
  /** 23 `x-edge-response-result-type`. */
  responseResultType: EdgeResultType;
  /** 24 `cs-protocol-version`, e.g. `HTTP/1.1`. */
  protocolVersion: string;
  /** 25 `fle-status`. */
  fleStatus: string | undefined;
  /** 26 `fle-encrypted-fields`. */
  fleEncryptedFields: number | undefined;
  /** 27 `c-port`. */
  clientPort: number;
  /** 28 `time-to-first-byte`: seconds. */
  timeToFirstByte: number;
  /** 29 `x-edge-detailed-result-type`: the result type, or e.g. `MissGeneratedResponse`, `OriginError`. */
  detailedResultType: string;
  /** 30 `sc-content-type`. */
  contentType: string | undefined;
  /** 31 `sc-content-len`. */
  contentLength: number | undefined;
  /** 32 `sc-range-start`. */
  rangeStart: number | undefined;
  /** 33 `sc-range-end`. */
  rangeEnd: number | undefined;
}

/** Field order and W3C names (§9.5). */
export const ACCESS_LOG_FIELDS: readonly (readonly [keyof AccessLogRecord, string])[] = [
  ['date', 'date'],
  ['time', 'time'],
  ['edgeLocation', 'x-edge-location'],
  ['scBytes', 'sc-bytes'],
  ['clientIp', 'c-ip'],
  ['method', 'cs-method'],
  ['distributionHost', 'cs(Host)'],
  ['uriStem', 'cs-uri-stem'],
  ['status', 'sc-status'],
  ['referer', 'cs(Referer)'],
  ['userAgent', 'cs(User-Agent)'],
  ['uriQuery', 'cs-uri-query'],
  ['cookie', 'cs(Cookie)'],
  ['resultType', 'x-edge-result-type'],
  ['requestId', 'x-edge-request-id'],
  ['hostHeader', 'x-host-header'],
  ['protocol', 'cs-protocol'],
  ['csBytes', 'cs-bytes'],
  ['timeTaken', 'time-taken'],
  ['forwardedFor', 'x-forwarded-for'],
  ['sslProtocol', 'ssl-protocol'],
  ['sslCipher', 'ssl-cipher'],
  ['responseResultType', 'x-edge-response-result-type'],
  ['protocolVersion', 'cs-protocol-version'],
  ['fleStatus', 'fle-status'],
  ['fleEncryptedFields', 'fle-encrypted-fields'],
  ['clientPort', 'c-port'],
  ['timeToFirstByte', 'time-to-first-byte'],
  ['detailedResultType', 'x-edge-detailed-result-type'],
  ['contentType', 'sc-content-type'],
  ['contentLength', 'sc-content-len'],
  ['rangeStart', 'sc-range-start'],
  ['rangeEnd', 'sc-range-end'],
];

/** The two header lines at the top of every log file, each ending with `\n`. */
export const ACCESS_LOG_HEADER = `#Version: 1.0\n#Fields: ${ACCESS_LOG_FIELDS.map(([, name]) => name).join(' ')}\n`;

/**
 * Name of the file a log line goes to (§9.5): `<prefix>/<distribution ID>.YYYY-MM-DD-HH.<unique-ID>.gz`,
 * UTC hour; a `/` is appended to a non-empty prefix that lacks one.
 */
export function accessLogFileName(prefix: string, distributionId: string, at: Date, uniqueId: string): string {
  const iso = at.toISOString();
  const dir = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return `${dir}${distributionId}.${iso.slice(0, 10)}-${iso.slice(11, 13)}.${uniqueId}.gz`;
}

/** `date` and `time` fields of an instant (UTC). */
export function logDateTime(at: Date): { date: string; time: string } {
  const iso = at.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

const UNSAFE_ASCII = new Set('<>"#%{}|\\^~[]`\''.split(''));

/** Percent-encodes what §9.5 lists as unsafe; `-` for an empty value. */
export function encodeLogValue(value: string): string {
  if (value === '') return '-';
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte <= 32 || byte >= 127 || UNSAFE_ASCII.has(ch) ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  return out;
}

function fieldText(key: keyof AccessLogRecord, value: AccessLogRecord[keyof AccessLogRecord]): string {
  if (key === 'status') return value === undefined ? '000' : String(value);
  if (value === undefined) return '-';
  if (key === 'timeTaken' || key === 'timeToFirstByte') return (value as number).toFixed(3);
  return encodeLogValue(String(value));
}

/** One log line (no newline): the 33 fields in order, tab-separated. */
export function formatAccessLogLine(record: AccessLogRecord): string {
  return ACCESS_LOG_FIELDS.map(([key]) => fieldText(key, record[key])).join('\t');
}

type Colors = ReturnType<typeof pc.createColors>;

function statusColor(colors: Colors, status: number | undefined): (s: string) => string {
  if (status === undefined || status >= 500) return colors.red;
  if (status >= 400) return colors.yellow;
  if (status >= 300) return colors.cyan;
  return colors.green;
}

function resultColor(colors: Colors, detailed: string): (s: string) => string {
  if (detailed === 'Hit' || detailed === 'RefreshHit') return colors.green;
  if (detailed.startsWith('Miss')) return colors.yellow;
  if (detailed === 'Redirect') return colors.cyan;
  return colors.red;
}

/**
 * One short line per request for a terminal: `200 GET /about?x=1 Hit 3ms`.
 * Colors follow picocolors' detection unless `color` is given.
 */
export function formatTtyLine(record: AccessLogRecord, options: { color?: boolean } = {}): string {
  const colors = options.color === undefined ? pc : pc.createColors(options.color);
  const status = record.status === undefined ? '000' : String(record.status);
  const target = record.uriQuery === undefined || record.uriQuery === '' ? record.uriStem : `${record.uriStem}?${record.uriQuery}`;
  const ms = `${Math.round(record.timeTaken * 1000)}ms`;
  return `${statusColor(colors, record.status)(status)} ${colors.bold(record.method)} ${target} ${resultColor(colors, record.detailedResultType)(record.detailedResultType)} ${colors.dim(ms)}`;
}
