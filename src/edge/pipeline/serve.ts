/**
 * §0 steps 11-13 for an outcome of the cache and origin stages: conditional and range requests,
 * the viewer-response function, then delivery. A plain hit skips to its precomputed headers.
 */
import type { Readable } from 'node:stream';
import type { HeaderMap } from '../contracts.js';
import { ageSeconds } from '../freshness.js';
import type { Origin } from '../origin.js';
import { contentRange, decideRange } from '../range.js';
import { deliver, deliverHit, headerBytes } from './delivery.js';
import { notModifiedHeaders, runViewerResponseFunction, shapeRange, viewerNotModified } from './viewer-response.js';
import type { Ctx, EdgeHandlerOptions, Outcome, RequestRecord, Served } from './types.js';

export interface ServeDeps {
  options: Pick<EdgeHandlerOptions, 'bridge' | 'onFunctionError'>;
  origin: Origin;
  clock: () => number;
  via: string;
}

/** Answers from a buffered entry. */
export async function serveEntry(deps: ServeDeps, ctx: Ctx, outcome: Outcome): Promise<Served> {
  const { entry, result } = outcome;
  const { req, res, rt } = ctx;
  const head = ctx.view.method === 'HEAD';
  const extra: Partial<RequestRecord> = { contentType: entry.headers['content-type'] as string | undefined };
  const age = outcome.fromCache ? String(ageSeconds(entry, deps.clock())) : undefined;

  if (viewerNotModified(ctx.headers, entry.headers, entry.status, rt.cookiesForwarded)) {
    const staged = await runViewerResponseFunction(deps.options, ctx, entry.originStatus, { status: 304, headers: notModifiedHeaders(entry.headers) });
    const bytes = deliver(res, deps.via, { ...staged, result, requestId: ctx.requestId, age, rt, req, noBody: true });
    return { status: staged.status, bytes, extra };
  }
  const shaped = shapeRange(entry, ctx.headers.range, ctx.requestId);
  if (shaped.range) Object.assign(extra, { rangeStart: shaped.range.start, rangeEnd: shaped.range.end });
  extra.contentLength = shaped.body.length;
  const body = head ? undefined : shaped.body;
  // A plain hit (no function, not a CORS request): the header list built when the entry was stored.
  const plain = shaped.status === entry.status && !rt.viewerResponse && ctx.headers.origin === undefined && ctx.headers.pragma === undefined;
  if (plain && entry.prepared) {
    const list = deliverHit(res, shaped.status, entry.prepared, `${result} from cloudfront`, ctx.requestId, age, body);
    return { status: shaped.status, bytes: shaped.body.length + headerBytes(list), extra };
  }
  const staged = await runViewerResponseFunction(deps.options, ctx, entry.originStatus, { status: shaped.status, headers: { ...shaped.headers } });
  const bytes = deliver(res, deps.via, { ...staged, body, result, requestId: ctx.requestId, age, rt, req, length: shaped.body.length });
  return { status: staged.status, bytes, extra };
}

/** A large object straight from the origin: conditional, one range, HEAD, or the whole stream. */
export async function serveStream(deps: ServeDeps, ctx: Ctx, outcome: Outcome, stream: { body: Readable; size: number }): Promise<Served> {
  const { entry } = outcome;
  const { req, res, rt } = ctx;
  const head = ctx.view.method === 'HEAD';
  const extra: Partial<RequestRecord> = { contentType: entry.headers['content-type'] as string | undefined, contentLength: stream.size };
  const conditional = viewerNotModified(ctx.headers, entry.headers, 200, rt.cookiesForwarded);
  const decision = ctx.headers.range === undefined ? undefined : decideRange(ctx.headers.range, stream.size);
  const oneRange = decision?.kind === 'partial' && decision.ranges.length === 1 ? decision.ranges[0]! : undefined;
  let status = 200;
  let headers: HeaderMap = { ...entry.headers };
  let body: Readable | undefined = stream.body;
  let length = stream.size;
  if (conditional || head || decision?.kind === 'unsatisfiable' || oneRange) {
    stream.body.destroy();
    body = undefined;
  }
  if (conditional) status = 304;
  else if (decision?.kind === 'unsatisfiable') {
    status = 416;
    headers = { 'content-range': `bytes */${stream.size}`, server: 'AmazonS3' };
    length = 0;
  } else if (oneRange) {
    // One range of a large object is read from the origin as a range (§4.7). Several ranges of
    // an object too large to buffer are answered with the whole object.
    status = 206;
    headers['content-range'] = contentRange(oneRange, stream.size);
    length = oneRange.end - oneRange.start + 1;
    if (!head) body = await deps.origin.getRange(entry.storeKey, oneRange.start, oneRange.end);
    Object.assign(extra, { rangeStart: oneRange.start, rangeEnd: oneRange.end });
  }
  const staged = await runViewerResponseFunction(deps.options, ctx, entry.originStatus, { status, headers });
  const bytes = deliver(res, deps.via, { ...staged, result: outcome.result, requestId: ctx.requestId, rt, req, noBody: status === 304, length, stream: body });
  return { status: staged.status, bytes: bytes + (body ? length : 0), extra };
}
