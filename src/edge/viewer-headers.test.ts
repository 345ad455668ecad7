import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEWER, viewerSchema } from '../config/edge-schema.js';
import { headerLookup } from './function-bridge.js';
import { policyViewerHeaders, sendsViewerHeaders, withViewerHeaders } from './viewer-headers.js';

const CONNECTION = { ip: '198.51.100.10', port: 46532, httpVersion: '1.1' };
const MICHIGAN = viewerSchema.parse({
  country: 'US',
  countryName: 'United States',
  region: 'MI',
  regionName: 'Michigan',
  city: 'Ann Arbor',
  postalCode: '48105',
  timeZone: 'America/Detroit',
  latitude: 42.3068,
  longitude: -83.7059,
  metroCode: '505',
  device: 'tablet',
  os: 'ios',
});

/** The headers a function and the cache see for a behavior whose policy names `policy`. */
function seen(policy: string[], viewer = MICHIGAN, raw: string[] = ['Host', 'example.com']) {
  return headerLookup(withViewerHeaders(raw, policyViewerHeaders(policy), viewer, CONNECTION));
}

describe("CloudFront's viewer headers, added when the behavior's policy names them", () => {
  it.each([
    // policy header (any case), value for the Michigan tablet; the example values of AWS's announcement of the location headers
    ['CloudFront-Viewer-Country', 'US'],
    ['CloudFront-Viewer-Country-Name', 'United States'],
    ['CloudFront-Viewer-Country-Region', 'MI'],
    ['CloudFront-Viewer-Country-Region-Name', 'Michigan'],
    ['CloudFront-Viewer-City', 'Ann Arbor'],
    ['CloudFront-Viewer-Postal-Code', '48105'],
    ['CloudFront-Viewer-Time-Zone', 'America/Detroit'],
    ['CloudFront-Viewer-Latitude', '42.30680'],
    ['CloudFront-Viewer-Longitude', '-83.70590'],
    ['CloudFront-Viewer-Metro-Code', '505'],
    ['cloudfront-is-tablet-viewer', 'true'],
    // The page's example: a tablet is a mobile viewer too.
    ['CloudFront-Is-Mobile-Viewer', 'true'],
    ['CloudFront-Is-Desktop-Viewer', 'false'],
    ['CloudFront-Is-SmartTV-Viewer', 'false'],
    ['CloudFront-Is-IOS-Viewer', 'true'],
    ['CloudFront-Is-Android-Viewer', 'false'],
    ['CloudFront-Viewer-Address', '198.51.100.10:46532'],
    ['CloudFront-Forwarded-Proto', 'http'],
    ['CloudFront-Viewer-Http-Version', '1.1'],
  ])('%s -> %s', (name, value) => {
    const headers = seen([name]);
    expect(headers[name.toLowerCase()]).toBe(value);
    // Only the one named: CloudFront adds no other.
    expect(Object.keys(headers).filter((h) => h.startsWith('cloudfront-'))).toEqual([name.toLowerCase()]);
  });

  it('a policy naming none adds none', () => {
    expect(seen(['Accept-Language'])).toEqual({ host: 'example.com' });
  });

  it('a location CloudFront could not determine is left out; the device headers always have a value', () => {
    const headers = seen(['CloudFront-Viewer-City', 'CloudFront-Is-Desktop-Viewer'], DEFAULT_VIEWER);
    expect(headers['cloudfront-viewer-city']).toBeUndefined();
    expect(headers['cloudfront-is-desktop-viewer']).toBe('true');
  });

  it.each([
    ['named by the policy: replaced by the value CloudFront makes', ['CloudFront-Viewer-Country'], 'US'],
    ['not named: dropped', [], undefined],
  ])("a viewer's own CloudFront-Viewer-Country, %s", (_name, policy, expected) => {
    const headers = seen(policy, MICHIGAN, ['Host', 'example.com', 'cloudfront-viewer-country', 'XX', 'CloudFront-Is-Mobile-Viewer', 'true']);
    expect(headers['cloudfront-viewer-country']).toBe(expected);
    expect(headers['cloudfront-is-mobile-viewer']).toBeUndefined();
    expect(headers.host).toBe('example.com');
  });

  it.each([
    [['Host', 'a', 'CloudFront-Viewer-City', 'x'], true],
    [['Host', 'a', 'cloudfront-is-ios-viewer', 'true'], true],
    [['Host', 'a', 'CloudFront-Custom', 'x', 'Accept-Encoding', 'br'], false],
  ])('sendsViewerHeaders(%o) = %s', (raw, expected) => {
    expect(sendsViewerHeaders(raw)).toBe(expected);
  });

  it('edge.viewer is checked: a country is an ISO code', () => {
    expect(viewerSchema.safeParse({ country: 'Germany' }).success).toBe(false);
    expect(viewerSchema.safeParse({ device: 'watch' }).success).toBe(false);
  });
});
