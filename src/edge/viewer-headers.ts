/**
 * The request headers CloudFront adds about the viewer ("Add CloudFront request headers",
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/adding-cloudfront-headers.html):
 * device type, location, address, protocol and HTTP version. CloudFront adds one only when the
 * behavior's cache policy or origin request policy names it; it is then visible to the
 * viewer-request function and the origin. The local edge takes what CloudFront would derive
 * from the viewer's IP address and User-Agent from `edge.viewer` in the config.
 *
 * The names belong to CloudFront: a copy a viewer sends is dropped, so neither a function, the
 * cache key nor the origin sees a value the viewer made up (edgeship's reading; the page lists
 * the headers as set by CloudFront).
 */
import type { ViewerConfig } from '../config/edge-schema.js';

/** Header -> how its value is made. Lower-case names, as CloudFront Functions see them. */
export const VIEWER_HEADERS: Readonly<Record<string, (v: ViewerConfig, c: ViewerConnection) => string | undefined>> = {
  // Device type headers: true/false from the User-Agent; a tablet is a mobile viewer too (the page's example).
  'cloudfront-is-desktop-viewer': (v) => String(v.device === 'desktop'),
  'cloudfront-is-mobile-viewer': (v) => String(v.device === 'mobile' || v.device === 'tablet'),
  'cloudfront-is-tablet-viewer': (v) => String(v.device === 'tablet'),
  'cloudfront-is-smarttv-viewer': (v) => String(v.device === 'smarttv'),
  'cloudfront-is-android-viewer': (v) => String(v.os === 'android'),
  'cloudfront-is-ios-viewer': (v) => String(v.os === 'ios'),
  // Viewer location headers: absent when CloudFront cannot tell (unset here).
  'cloudfront-viewer-country': (v) => v.country,
  'cloudfront-viewer-country-name': (v) => v.countryName,
  'cloudfront-viewer-country-region': (v) => v.region,
  'cloudfront-viewer-country-region-name': (v) => v.regionName,
  'cloudfront-viewer-city': (v) => v.city,
  'cloudfront-viewer-postal-code': (v) => v.postalCode,
  'cloudfront-viewer-time-zone': (v) => v.timeZone,
  'cloudfront-viewer-latitude': (v) => (v.latitude === undefined ? undefined : v.latitude.toFixed(5)),
  'cloudfront-viewer-longitude': (v) => (v.longitude === undefined ? undefined : v.longitude.toFixed(5)),
  'cloudfront-viewer-metro-code': (v) => v.metroCode,
  'cloudfront-viewer-asn': (v) => v.asn,
  // Headers about the connection.
  // `198.51.100.10:46532`: the address and the source port.
  'cloudfront-viewer-address': (_v, c) => `${c.ip}:${c.port}`,
  'cloudfront-forwarded-proto': () => 'http',
  'cloudfront-viewer-http-version': (_v, c) => c.httpVersion,
};

export interface ViewerConnection {
  ip: string;
  port: number;
  httpVersion: string;
}

/** Whether a (lower-case) header name is one CloudFront generates about the viewer. */
export function isViewerHeader(name: string): boolean {
  return Object.hasOwn(VIEWER_HEADERS, name);
}

/** The viewer headers a behavior's policies name (lower-case), in the policy's order. */
export function policyViewerHeaders(policyHeaders: readonly string[]): string[] {
  return [...new Set(policyHeaders.map((h) => h.toLowerCase()).filter(isViewerHeader))];
}

/**
 * The viewer's raw header lines as CloudFront passes them on: copies of CloudFront's viewer
 * headers dropped, then the ones `included` by the behavior's policies added with their values.
 */
export function withViewerHeaders(rawHeaders: readonly string[], included: readonly string[], viewer: ViewerConfig, connection: ViewerConnection): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length > 10 && isViewerHeader(name.toLowerCase())) continue;
    out.push(name, rawHeaders[i + 1]!);
  }
  for (const name of included) {
    const value = VIEWER_HEADERS[name]!(viewer, connection);
    if (value !== undefined) out.push(name, value);
  }
  return out;
}

/** Whether a viewer sent any header CloudFront owns (then its lines need rewriting). */
export function sendsViewerHeaders(rawHeaders: readonly string[]): boolean {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length > 10 && (name.charCodeAt(0) | 32) === 99 /* c */ && isViewerHeader(name.toLowerCase())) return true;
  }
  return false;
}
