/**
 * The server's FunctionBridge implemented with the CloudFront Functions runtime's own event
 * helpers (src/edge/functions): request view -> event -> function -> request view or response.
 */
import type { CfEvent, EdgeFunction, HeaderMap } from './contracts.js';
import type { FunctionBridge, RequestView } from './function-bridge.js';
import { applyCfRequest, applyCfResponseHeaders, generatedResponse, viewerRequestEvent, viewerResponseEvent } from './functions/index.js';

/** The viewer-request event (with the function's request) a view came from, for the viewer-response event. */
const EVENTS = new WeakMap<RequestView, CfEvent>();

function targetOf(view: RequestView): string {
  return view.hasQuery ? `${view.uri}?${view.query}` : view.uri;
}

function eventFor(view: RequestView, distributionDomainName: string): CfEvent {
  return viewerRequestEvent({ method: view.method, url: targetOf(view), rawHeaders: view.rawHeaders }, { ip: view.clientIp, requestId: view.requestId, distributionDomainName });
}

function rawHeadersOf(headers: HeaderMap): string[] {
  const raw: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) for (const v of value) raw.push(name, v);
    else raw.push(name, value);
  }
  return raw;
}

export function functionBridge(distributionDomainName: string): FunctionBridge {
  return {
    async viewerRequest(fn: EdgeFunction, view: RequestView) {
      const event = eventFor(view, distributionDomainName);
      const { output: result, error, computeUtilization } = await fn.invoke('viewer-request', event);
      if (error || !result) throw error;
      if ('response' in result) {
        const generated = generatedResponse(result.response);
        return { response: { status: generated.status, statusText: generated.statusMessage, headers: generated.headers, body: generated.body }, computeUtilization };
      }
      const applied = applyCfRequest(event, result.request);
      const next: RequestView = {
        ...view,
        uri: applied.uri,
        query: applied.rawQuery ?? '',
        hasQuery: applied.rawQuery !== undefined,
        rawHeaders: rawHeadersOf(applied.headers),
      };
      EVENTS.set(next, { ...event, request: result.request });
      return { request: next, computeUtilization };
    },

    async viewerResponse(fn: EdgeFunction, view: RequestView, response: { status: number; headers: HeaderMap }) {
      const requestEvent = EVENTS.get(view) ?? eventFor(view, distributionDomainName);
      const event = viewerResponseEvent(requestEvent, { statusCode: response.status, headers: response.headers });
      const { output, error, computeUtilization } = await fn.invoke('viewer-response', event);
      if (error || !output || !('response' in output)) throw error;
      const out = output.response;
      return { status: out.statusCode, statusText: out.statusDescription, headers: applyCfResponseHeaders(response.headers, out), computeUtilization };
    },
  };
}
