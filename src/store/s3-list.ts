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


/** One answer of ListObjectsV2, as far as a listing reads it. */
export interface ListOutput {
  Contents?: { Key?: string; Size?: number; ETag?: string; LastModified?: Date }[];
  IsTruncated?: boolean;
  NextContinuationToken?: string;
}

/** Sends one ListObjectsV2 request; `onToken` is told the next page's token from the raw answer. */
export type SendListPage = (prefix: string, token: string | undefined, onToken: (token: string) => void) => Promise<ListOutput>;

/** One page of a listing: its request, the token of the page after it once seen, and that page when asked for ahead. */
interface ListPage {
  token: string | undefined;
  output: Promise<ListOutput>;
  /** A reader is on this page. */
  read: boolean;
  peeked?: string;
  next?: ListPage;
}

/**
 * The pages of a listing, each asked for as soon as the page before it shows its token, while
 * a reader is on that page: at most one page is read ahead, so a reader that stops early
 * leaves at most one request unused.
 */
export class ListReadAhead {
  /** Listing pages asked for, and next-page tokens read from raw answers (to observe the read-ahead). */
  readonly stats = { pagesAsked: 0, tokensSeen: 0 };

  constructor(private readonly send: SendListPage) {}

  /** The pages under `prefix`, in order; `onFirst` gets the first page's request as it is sent. */
  async *pages(prefix: string, onFirst?: (first: Promise<ListOutput>) => void): AsyncGenerator<ListOutput> {
    let page = this.#page(prefix, undefined);
    onFirst?.(page.output);
    for (;;) {
      page.read = true;
      this.#readAhead(page, prefix);
      const out = await page.output;
      yield out;
      const token = out.IsTruncated === true ? out.NextContinuationToken : undefined;
      if (token === undefined) return;
      // The page read ahead is used only when its token is the one the SDK parsed.
      page = page.next?.token === token ? page.next : this.#page(prefix, token);
    }
  }

  #page(prefix: string, token: string | undefined): ListPage {
    this.stats.pagesAsked++;
    // The token callback reads `page` only once an answer is in, after it is assigned.
    const page: ListPage = {
      token,
      read: false,
      output: this.send(prefix, token, (next) => {
        page.peeked = next;
        if (page.read) this.#readAhead(page, prefix);
        this.stats.tokensSeen++; // after any page it caused was asked for
      }),
    };
    page.output.catch(() => undefined); // a page read ahead that is then not wanted must not fail the process
    return page;
  }

  #readAhead(page: ListPage, prefix: string): void {
    if (page.next === undefined && page.peeked !== undefined) page.next = this.#page(prefix, page.peeked);
  }
}
