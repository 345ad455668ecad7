/**
 * `edgeship functions test`: one event run as `aws cloudfront test-function` runs it.
 *
 * Input is CloudFront's test event format (functions-event-structure.html): an event object as a
 * function receives it, where a test event "can omit the distributionDomainName, distributionId,
 * and requestId fields in the context object". Output is the API's TestResult
 * (API_TestResult.html): FunctionOutput (the returned object, as a JSON string), the execution
 * logs, the error message and the compute utilization (a string, as the API gives it).
 */
import type { CfEvent, FunctionInvocation } from '../contracts.js';
import { EdgeshipError, EXIT } from '../../errors.js';

export type EventType = 'viewer-request' | 'viewer-response';

/** The parts of `aws cloudfront test-function`'s `TestResult`, with the same names. */
export interface TestResult {
  FunctionSummary: { Name: string; FunctionConfig: { Runtime: string } };
  ComputeUtilization: string;
  FunctionExecutionLogs: string[];
  FunctionErrorMessage: string;
  FunctionOutput: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function badEvent(source: string, field: string, problem: string): EdgeshipError {
  return new EdgeshipError('FUNCTION_TEST_EVENT', `${source}: ${field} ${problem}`, {
    exitCode: EXIT.usage,
    hint: 'use CloudFront\'s test event format: { "version": "1.0", "context": { "eventType": "viewer-request" }, "viewer": { "ip": "198.51.100.11" }, "request": { "method": "GET", "uri": "/index.html", "headers": {}, "cookies": {}, "querystring": {} } }',
  });
}

/** `{ name: { value, multiValue? } }` maps (headers, query strings, cookies); absent -> `{}`. */
function valueMap(source: string, field: string, raw: unknown, lowerCaseNames: boolean): Record<string, { value: string }> {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw badEvent(source, field, 'must be an object of { "value": "..." } entries');
  for (const [name, entry] of Object.entries(raw)) {
    if (!isObject(entry) || typeof entry.value !== 'string') throw badEvent(source, `${field}.${name}`, 'must be { "value": "<string>" }');
    if (lowerCaseNames && name !== name.toLowerCase()) throw badEvent(source, `${field}.${name}`, 'must be lower-case: header names in CloudFront events always are');
  }
  return raw as Record<string, { value: string }>;
}

/**
 * A CloudFront test event checked and completed: the fields a test may omit get empty values.
 * `stage` (`--stage`) overrides `context.eventType`; without both the event is a viewer request.
 */
export function parseTestEvent(raw: unknown, source: string, stage?: EventType): { eventType: EventType; event: CfEvent } {
  if (!isObject(raw)) throw badEvent(source, 'the event', 'must be a JSON object');
  const context = raw.context === undefined ? {} : raw.context;
  if (!isObject(context)) throw badEvent(source, 'context', 'must be an object');
  const declared = context.eventType;
  if (declared !== undefined && declared !== 'viewer-request' && declared !== 'viewer-response') throw badEvent(source, 'context.eventType', `must be viewer-request or viewer-response, not ${JSON.stringify(declared)}`);
  const eventType: EventType = stage ?? declared ?? 'viewer-request';
  const request = raw.request;
  if (!isObject(request)) throw badEvent(source, 'request', 'is missing (every event has the viewer request)');
  if (typeof request.uri !== 'string' || !request.uri.startsWith('/')) throw badEvent(source, 'request.uri', 'must be a path starting with "/"');
  const viewer = raw.viewer === undefined ? { ip: '198.51.100.11' } : raw.viewer;
  if (!isObject(viewer) || typeof viewer.ip !== 'string') throw badEvent(source, 'viewer.ip', 'must be a string');
  const event: CfEvent = {
    version: '1.0',
    context: {
      distributionDomainName: typeof context.distributionDomainName === 'string' ? context.distributionDomainName : '',
      distributionId: typeof context.distributionId === 'string' ? context.distributionId : '',
      eventType,
      requestId: typeof context.requestId === 'string' ? context.requestId : '',
    },
    viewer: { ip: viewer.ip },
    request: {
      method: typeof request.method === 'string' ? request.method : 'GET',
      uri: request.uri,
      querystring: valueMap(source, 'request.querystring', request.querystring, false),
      headers: valueMap(source, 'request.headers', request.headers, true),
      cookies: valueMap(source, 'request.cookies', request.cookies, false),
    },
  };
  if (eventType === 'viewer-response') {
    const response = raw.response;
    if (!isObject(response)) throw badEvent(source, 'response', 'is missing (a viewer-response event carries the response)');
    if (!Number.isInteger(response.statusCode)) throw badEvent(source, 'response.statusCode', 'must be an integer such as 200');
    event.response = {
      statusCode: response.statusCode as number,
      ...(typeof response.statusDescription === 'string' ? { statusDescription: response.statusDescription } : {}),
      headers: valueMap(source, 'response.headers', response.headers, true),
      cookies: valueMap(source, 'response.cookies', response.cookies, false),
    };
  }
  return { eventType, event };
}

/** The TestResult of one run: FunctionOutput holds `{"request": …}` or `{"response": …}` as JSON text. */
export function testResult(name: string, runtime: string, run: FunctionInvocation): TestResult {
  return {
    FunctionSummary: { Name: name, FunctionConfig: { Runtime: runtime } },
    ComputeUtilization: String(run.computeUtilization),
    FunctionExecutionLogs: run.logs,
    FunctionErrorMessage: run.error ? `${run.error.name}: ${run.error.message}` : '',
    FunctionOutput: run.output ? JSON.stringify(run.output) : '',
  };
}
