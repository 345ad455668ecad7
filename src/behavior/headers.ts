import mime from 'mime-types';
import type { CacheConfig } from '../config/schema.js';

export const ONE_YEAR = 31_536_000;

export const IMMUTABLE_CACHE_CONTROL = `public, max-age=${ONE_YEAR}, immutable`;

/** The `Cache-Control` stored on each object of a behavior. */
export function objectCacheControl(cache: CacheConfig): string {
  if (cache === 'immutable') return IMMUTABLE_CACHE_CONTROL;
  if (cache === 'no-store') return 'no-store';
  const parts = ['public', `max-age=${cache.browser}`];
  if (cache.edge !== cache.browser) parts.push(`s-maxage=${cache.edge}`);
  // Browsers that may not keep a copy must ask again each time rather than reuse a stale one.
  if (cache.browser === 0) parts.push('must-revalidate');
  if (cache.staleWhileRevalidate) parts.push(`stale-while-revalidate=${cache.staleWhileRevalidate}`);
  if (cache.staleIfError) parts.push(`stale-if-error=${cache.staleIfError}`);
  return parts.join(', ');
}

/** Types that are text but that the MIME table gives no charset. */
const TEXT_LIKE = new Set(['image/svg+xml', 'application/xml', 'text/xml', 'application/manifest+json']);

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** The `Content-Type` stored on an object, from its key's extension; `charset=utf-8` on text. */
export function contentTypeFor(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return DEFAULT_CONTENT_TYPE; // no extension (a leading dot names a dotfile, not a type)
  const type = mime.lookup(name.slice(dot + 1));
  if (!type) return DEFAULT_CONTENT_TYPE;
  const isText = type.startsWith('text/') || TEXT_LIKE.has(type) || type.endsWith('+json') || type.endsWith('+xml') || type === 'application/json';
  return isText ? `${type}; charset=utf-8` : type;
}

/** HTML (never immutable, uploaded last, invalidated when it changes). */
export function isHtml(contentType: string): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'text/html' || type === 'application/xhtml+xml';
}
