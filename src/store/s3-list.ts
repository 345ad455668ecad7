import { buffer } from 'node:stream/consumers';
import type { AbsoluteLocation, DeserializeHandlerOptions, DeserializeMiddleware } from '@smithy/types';

// A listing asks for its next page as soon as the page's continuation token shows in the raw
// answer, before the SDK parses it: the parse costs about 40 ms per 1,000 keys, during which
// the server would otherwise wait for the next request. A search for two elements is enough:
// keys are XML-escaped in the answer, so neither tag can occur inside one.

const TRUNCATED = '<IsTruncated>true</IsTruncated>';
const OPEN = '<NextContinuationToken>';
const CLOSE = '</NextContinuationToken>';
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The continuation token of a truncated ListObjectsV2 answer, from its raw XML; `undefined` on the last page. */
export function findNextToken(body: Uint8Array): string | undefined {
  const xml = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (xml.indexOf(TRUNCATED) === -1) return undefined;
  const open = xml.indexOf(OPEN);
  if (open === -1) return undefined;
  const start = open + OPEN.length;
  const end = xml.indexOf(CLOSE, start);
  if (end === -1) return undefined;
  return unescapeXml(xml.toString('utf8', start, end));
}

function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g, (_m, hex: string | undefined, dec: string | undefined, name: string | undefined) =>
    hex !== undefined ? String.fromCodePoint(parseInt(hex, 16)) : dec !== undefined ? String.fromCodePoint(Number(dec)) : NAMED[name!]!,
  );
}

/**
 * Innermost in the deserialize step: it sees the answer before the SDK parses it, reads the
 * body once (the parser reads the buffer it leaves), and hands a found token to `onToken`.
 */
export const PEEK_TOKEN_OPTIONS: DeserializeHandlerOptions & AbsoluteLocation & { name: string } = { step: 'deserialize', priority: 'low', name: 'edgeshipPeekNextToken' };

export function peekNextToken<I extends object, O extends object>(onToken: (token: string) => void): DeserializeMiddleware<I, O> {
  return (next) => async (args) => {
    const result = await next(args);
    const response = result.response as { statusCode?: number; body?: unknown };
    if (response.statusCode !== 200 || response.body === undefined || response.body === null) return result;
    const body = response.body instanceof Uint8Array ? response.body : await buffer(response.body as AsyncIterable<Uint8Array>);
    response.body = body;
    const token = findNextToken(body);
    if (token !== undefined) {
      onToken(token);
      // The next request reaches its socket before this page's parse (one long synchronous step) starts.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return result;
  };
}

