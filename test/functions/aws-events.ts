/**
 * Test events in CloudFront's documented format, as the CloudFront Developer Guide prints them
 * ("Example event object", functions-event-structure.html; the viewer-request event of
 * test-function.html): they must run unchanged in `edgeship functions test`.
 */

/** The guide's example event object (a viewer-response event with its request). */
export const GUIDE_EXAMPLE_EVENT = {
  version: '1.0',
  context: {
    distributionDomainName: 'd111111abcdef8.cloudfront.net',
    distributionId: 'EDFDVBD6EXAMPLE',
    eventType: 'viewer-response',
    requestId: 'EXAMPLEntjQpEXAMPLE_SG5Z-EXAMPLEPmPfEXAMPLEu3EqEXAMPLE==',
  },
  viewer: { ip: '198.51.100.11' },
  request: {
    method: 'GET',
    uri: '/media/index.mpd',
    querystring: {
      ID: { value: '42' },
      Exp: { value: '1619740800' },
      TTL: { value: '1440' },
      NoValue: { value: '' },
      querymv: { value: 'val1', multiValue: [{ value: 'val1' }, { value: 'val2,val3' }] },
    },
    headers: {
      host: { value: 'video.example.com' },
      'user-agent': { value: 'Mozilla/4.0 (Windows; U; Windows NT 5.0; en-US; rv:1.9.0.2) Gecko/2008092313 Firefox/3.0.2' },
      accept: { value: 'application/json', multiValue: [{ value: 'application/json' }, { value: 'application/xml' }, { value: 'text/html' }] },
      'accept-language': { value: 'en-GB,en;q=0.5' },
      'accept-encoding': { value: 'gzip, deflate, br' },
      origin: { value: 'https://website.example.com' },
      referer: { value: 'https://website.example.com/videos/12345678?action=play' },
      'cloudfront-viewer-country': { value: 'GB' },
    },
    cookies: {
      Cookie1: { value: 'value1' },
      Cookie2: { value: 'value2' },
      cookie_consent: { value: 'true' },
      cookiemv: { value: 'value3', multiValue: [{ value: 'value3' }, { value: 'value4' }] },
    },
  },
  response: {
    statusCode: 200,
    statusDescription: 'OK',
    headers: {
      date: { value: 'Mon, 04 Apr 2021 18:57:56 GMT' },
      server: { value: 'gunicorn/19.9.0' },
      'access-control-allow-origin': { value: '*' },
      'access-control-allow-credentials': { value: 'true' },
      'content-type': { value: 'application/json' },
      'content-length': { value: '701' },
    },
    cookies: {
      ID: { value: 'id1234', attributes: 'Expires=Wed, 05 Apr 2021 07:28:00 GMT' },
      Cookie1: { value: 'val1', attributes: 'Secure; Path=/; Domain=example.com; Expires=Wed, 05 Apr 2021 07:28:00 GMT' },
    },
  },
};

/** A minimal viewer-request test event, context without the fields a test may omit. */
export function viewerRequestTestEvent(uri: string, host = 'example.org'): object {
  return {
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: '198.51.100.11' },
    request: { method: 'GET', uri, headers: { host: { value: host } }, cookies: {}, querystring: {} },
  };
}
