/**
 * Edge compression (spec/cloudfront.md §3): when CloudFront gzips or brotli-compresses an
 * origin response, and what it does to the `ETag`.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Coding } from './accept-encoding.js';

/** §3.3: the exact media types CloudFront compresses (48 entries). */
export const COMPRESSIBLE_TYPES: ReadonlySet<string> = new Set([
  'application/dash+xml', 'application/eot', 'application/font', 'application/font-sfnt',
  'application/javascript', 'application/json', 'application/opentype', 'application/otf',
  'application/pdf', 'application/pkcs7-mime', 'application/protobuf', 'application/rss+xml',
  'application/truetype', 'application/ttf', 'application/vnd.apple.mpegurl',
  'application/vnd.mapbox-vector-tile', 'application/vnd.ms-fontobject', 'application/wasm',
  'application/xhtml+xml', 'application/xml', 'application/x-font-opentype',
  'application/x-font-truetype', 'application/x-font-ttf', 'application/x-httpd-cgi',
  'application/x-javascript', 'application/x-mpegurl', 'application/x-opentype',
  'application/x-otf', 'application/x-perl', 'application/x-ttf', 'font/eot',
  'font/opentype', 'font/otf', 'font/ttf', 'image/svg+xml', 'text/css', 'text/csv',
  'text/html', 'text/javascript', 'text/js', 'text/plain', 'text/richtext',
  'text/tab-separated-values', 'text/xml', 'text/x-component', 'text/x-java-source',
  'text/x-script', 'vnd.apple.mpegurl',
]);

/** §3.1 rule 6: the compressed window, bounds read as inclusive (the spec's recommendation). */
export const MIN_COMPRESS_BYTES = 1_000;
export const MAX_COMPRESS_BYTES = 10_000_000;

/** Media type without parameters, lower-cased (§3.3 gap: `text/html; charset=utf-8` is `text/html`). */
export function mediaType(contentType: string | undefined): string {
  if (!contentType) return '';
  const semi = contentType.indexOf(';');
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

export interface CompressionInput {
  /** The behavior's `Compress` flag, already false when its cache policy enables no coding or its TTLs are all 0 (§3.1 rules 1-3). */
  behaviorCompress: boolean;
  /** Whether `Accept-Encoding` is listed among the cache policy's key headers (then CloudFront never compresses, §2.6). */
  acceptEncodingKeyed: boolean;
  /** Coding chosen from the normalized viewer `Accept-Encoding` (undefined: the viewer accepts neither, or HTTP/1.0). */
  coding: Coding | undefined;
  status: number;
  /** The origin's `Content-Encoding`, any value (even `identity`) means "already encoded" (rule 5). */
  contentEncoding: string | undefined;
  /** The origin's `Content-Length`, undefined when it sent none (chunked). */
  contentLength: number | undefined;
  contentType: string | undefined;
  /** The request carried a Range header (a 206 is never compressed, rule 7). */
  range: boolean;
}

/** Which coding to compress this origin response with, or `undefined` to pass it as is (§3.1). */
export function compressionFor(input: CompressionInput): Coding | undefined {
  if (!input.behaviorCompress || input.acceptEncodingKeyed || input.coding === undefined) return undefined;
  if (input.range) return undefined;
  if (input.status !== 200 && input.status !== 403 && input.status !== 404) return undefined;
  if (input.contentEncoding !== undefined) return undefined;
  const length = input.contentLength;
  if (length === undefined || !Number.isInteger(length) || length < MIN_COMPRESS_BYTES || length > MAX_COMPRESS_BYTES) return undefined;
  if (!COMPRESSIBLE_TYPES.has(mediaType(input.contentType))) return undefined;
  return input.coding;
}

/**
 * §3.2: the `ETag` of a response CloudFront compressed. Strong `"abc"` becomes weak `W/"abc"`,
 * weak stays, anything else (an invalid ETag) is dropped (`undefined`).
 */
export function compressedEtag(etag: string | undefined): string | undefined {
  if (etag === undefined) return undefined;
  if (etag.startsWith('W/')) return etag;
  if (etag.length >= 2 && etag.startsWith('"') && etag.endsWith('"')) return `W/${etag}`;
  return undefined;
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Compresses a body off the event loop. Brotli quality 11 (the densest) for bodies up to 1 MB,
 * a faster level above: the work happens once per cached object and coding.
 */
export async function compressBody(body: Buffer, coding: Coding): Promise<Buffer> {
  if (coding === 'gzip') return gzip(body, { level: 9 });
  const quality = body.length <= 1_000_000 ? 11 : 5;
  return brotli(body, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    },
  });
}
