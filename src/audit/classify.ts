/**
 * Small pure readings of a response shared by the crawler and the rules: its media type, what
 * kind of resource it is, and which object key a URL path stands for.
 */
import { contentTypeFor } from '../behavior/headers.js';
import type { FetchedResource, ResourceType } from './types.js';

/** The lower-case media type without parameters (`text/html; charset=utf-8` -> `text/html`). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** `charset` parameter of a `Content-Type`, lower-case, or `undefined`. */
export function charsetOf(contentType: string | undefined): string | undefined {
  for (const param of (contentType ?? '').split(';').slice(1)) {
    const eq = param.indexOf('=');
    if (eq !== -1 && param.slice(0, eq).trim().toLowerCase() === 'charset') return param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return undefined;
}

/** Media types that are text and so must name their charset. */
export function isTextType(media: string): boolean {
  return (
    media.startsWith('text/') ||
    media.endsWith('+xml') ||
    media.endsWith('+json') ||
    media === 'application/json' ||
    media === 'application/javascript' ||
    media === 'application/xml'
  );
}

export function resourceType(contentType: string | undefined, urlPath: string): ResourceType {
  const media = mediaType(contentType) || mediaType(contentTypeFor(urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath));
  if (media === 'text/html' || media === 'application/xhtml+xml') return 'html';
  if (media === 'text/css') return 'css';
  if (media.includes('javascript') || media === 'text/ecmascript') return 'script';
  if (media.startsWith('image/')) return 'image';
  if (media.startsWith('font/') || media.includes('font')) return 'font';
  if (media === 'application/json' || media.endsWith('+json')) return 'json';
  if (media === 'application/xml' || media === 'text/xml' || media.endsWith('+xml')) return 'xml';
  if (media.startsWith('text/')) return 'text';
  return 'other';
}

/** The decoded path of a URL, e.g. `/with space.html`. */
export function urlPath(url: string): string {
  const pathname = new URL(url).pathname;
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/**
 * The object key a viewer path reads, as the default root object and the `url-handler`
 * function map it: `/` -> `index.html`, `/about/` and `/about` -> `about/index.html`.
 */
export function keyForPath(path: string, defaultRootObject = 'index.html'): string {
  if (path === '/' || path === '') return defaultRootObject;
  const key = path.replace(/^\/+/, '');
  if (key.endsWith('/')) return `${key}index.html`;
  const last = key.slice(key.lastIndexOf('/') + 1);
  return last.includes('.') ? key : `${key}/index.html`;
}

/** The viewer path for an object key, each segment percent-encoded. */
export function pathForKey(key: string): string {
  return `/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export function isOk(r: FetchedResource): boolean {
  return r.status >= 200 && r.status < 300;
}

/**
 * `url` moved onto the audited origin when it is on the same site: the origin itself, or a host
 * of the site (`https://example.com/about` while auditing the local edge). `undefined` for any
 * other host: audit never requests it.
 */
export function onSite(url: string, baseUrl: string, siteHosts: ReadonlySet<string>): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const base = new URL(baseUrl);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  u.hash = '';
  if (u.origin === base.origin) return u.href;
  if (!siteHosts.has(u.host.toLowerCase())) return undefined;
  return `${base.origin}${u.pathname}${u.search}`;
}
