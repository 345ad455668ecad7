import { describe, expect, it } from 'vitest';
import {
  ACCESS_LOG_FIELDS,
  ACCESS_LOG_HEADER,
  accessLogFileName,
  encodeLogValue,
  formatAccessLogLine,
  formatTtyLine,
  logDateTime,
  type AccessLogRecord,
} from './access-log.js';

function record(over: Partial<AccessLogRecord> = {}): AccessLogRecord {
  return {
    ...logDateTime(new Date(Date.UTC(2026, 10, 28, 9, 5, 7, 450))),
    edgeLocation: 'LOCAL',
    scBytes: 1234,
    clientIp: '127.0.0.1',
    method: 'GET',
    distributionHost: 'd111111abcdef8.cloudfront.net',
    uriStem: '/about/index.html',
    status: 200,
    referer: undefined,
    userAgent: 'curl/8.5.0',
    uriQuery: undefined,
    cookie: undefined,
    resultType: 'Hit',
    requestId: 'ULZdIz6j43uGBlXyob_JctF9x7CCbwpNniiMlmNbmwzH1YWP9FsEHg==',
    hostHeader: 'example.com',
    protocol: 'http',
    csBytes: 78,
    timeTaken: 0.0034,
    forwardedFor: undefined,
    sslProtocol: undefined,
    sslCipher: undefined,
    responseResultType: 'Hit',
    protocolVersion: 'HTTP/1.1',
    fleStatus: undefined,
    fleEncryptedFields: undefined,
    clientPort: 53122,
    timeToFirstByte: 0.002,
    detailedResultType: 'Hit',
    contentType: 'text/html',
    contentLength: 1000,
    rangeStart: undefined,
    rangeEnd: undefined,
    ...over,
  };
}

describe('standard log format (spec §9.5)', () => {
  it('has the two header lines with the 33 fields in CloudFront order', () => {
    expect(ACCESS_LOG_FIELDS).toHaveLength(33);
    expect(ACCESS_LOG_HEADER).toBe(
      '#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end\n',
    );
  });

  it('writes one tab-separated line, fields in order, "-" for empty, seconds with ms precision', () => {
    const line = formatAccessLogLine(record());
    expect(line.split('\t')).toEqual([
      '2026-11-28',
      '09:05:07',
      'LOCAL',
      '1234',
      '127.0.0.1',
      'GET',
      'd111111abcdef8.cloudfront.net',
      '/about/index.html',
      '200',
      '-',
      'curl/8.5.0',
      '-',
      '-',
      'Hit',
      'ULZdIz6j43uGBlXyob_JctF9x7CCbwpNniiMlmNbmwzH1YWP9FsEHg==',
      'example.com',
      'http',
      '78',
      '0.003',
      '-',
      '-',
      '-',
      'Hit',
      'HTTP/1.1',
      '-',
      '-',
      '53122',
      '0.002',
      'Hit',
      'text/html',
      '1000',
      '-',
      '-',
    ]);
  });

  it('logs sc-status 000 when the viewer left before a response, and range fields when set', () => {
    const fields = formatAccessLogLine(record({ status: undefined, rangeStart: 0, rangeEnd: 99 })).split('\t');
    expect(fields[8]).toBe('000');
    expect(fields.slice(31)).toEqual(['0', '99']);
  });

  it('an empty string is "-" as well', () => {
    expect(formatAccessLogLine(record({ uriQuery: '', referer: '' })).split('\t')[9]).toBe('-');
  });

  it.each([
    ['Mozilla/5.0 (X11; Linux)', 'Mozilla/5.0%20(X11;%20Linux)'],
    ['/a%20b', '/a%2520b'],
    ['q=<script>"x"</script>', 'q=%3Cscript%3E%22x%22%3C/script%3E'],
    ['#{}|\\^~[]`\'', '%23%7B%7D%7C%5C%5E%7E%5B%5D%60%27'],
    ['tab\there\nnl', 'tab%09here%0Anl'],
    ['é', '%C3%A9'],
    ['\u007f', '%7F'],
    ['a=1&b=2;c:d,e+f/g?h@i$j!k*l(m)', 'a=1&b=2;c:d,e+f/g?h@i$j!k*l(m)'],
  ])('encodes %j as %s', (value, expected) => {
    expect(encodeLogValue(value)).toBe(expected);
  });

  it('no field can break the line: tabs and newlines inside values are encoded', () => {
    const line = formatAccessLogLine(record({ userAgent: 'a\tb\nc', cookie: 'k=v; x=y' }));
    expect(line.split('\t')).toHaveLength(33);
    expect(line).not.toContain('\n');
  });
});

describe('log file names (§9.5)', () => {
  it.each([
    ['logs', 'logs/EMLARXS9EXAMPLE.2026-11-28-09.a1b2c3d4.gz'],
    ['logs/', 'logs/EMLARXS9EXAMPLE.2026-11-28-09.a1b2c3d4.gz'],
    ['', 'EMLARXS9EXAMPLE.2026-11-28-09.a1b2c3d4.gz'],
  ])('prefix %j -> %s (UTC hour)', (prefix, expected) => {
    expect(accessLogFileName(prefix, 'EMLARXS9EXAMPLE', new Date(Date.UTC(2026, 10, 28, 9, 59, 59)), 'a1b2c3d4')).toBe(expected);
  });
});

describe('terminal line', () => {
  it('shows status, method, path with query, result and ms', () => {
    expect(formatTtyLine(record({ uriQuery: 'x=1', timeTaken: 0.0125 }), { color: false })).toBe('200 GET /about/index.html?x=1 Hit 13ms');
  });

  it('colors by status and result when color is on', () => {
    const line = formatTtyLine(record({ status: 503, detailedResultType: 'FunctionExecutionError' }), { color: true });
    expect(line).toContain('\u001b[31m503\u001b[39m');
    expect(line).toContain('\u001b[31mFunctionExecutionError\u001b[39m');
    expect(formatTtyLine(record(), { color: true })).toContain('\u001b[32m200\u001b[39m');
  });
});
