import { describe, expect, it } from 'vitest';
import { parseRedirects } from './parse.js';
import type { RedirectDialect, SiteRedirects } from './types.js';
import { redirectsViewerHeaders, runsRedirects } from './viewer-headers.js';

const HANDLER = '/site/.edgeship/functions/url-handler.js';
const OTHER = '/site/edge/other.js';

function redirects(text: string, dialect: RedirectDialect = 'netlify'): SiteRedirects {
  const { rules, problems } = parseRedirects(text, dialect);
  expect(problems).toEqual([]);
  return { file: '/site/out/_redirects', dialect, rules, compiled: { '/site/edge/url-handler.js': HANDLER } };
}

describe('the CloudFront headers a compiled `_redirects` needs (adding-cloudfront-headers.html)', () => {
  it.each([
    ['a Country condition, on the url-handler', '/  /anz  302  Country=au,nz', HANDLER, ['CloudFront-Viewer-Country']],
    ['a Country condition with a Language one', '/  /de/  302  Country=de Language=de', HANDLER, ['CloudFront-Viewer-Country']],
    ['one Country rule among plain ones', '/home  /\n/news/*  /blog/:splat\n/shop  /eu/shop  302  Country=fr,de', HANDLER, ['CloudFront-Viewer-Country']],
    ['Language only: Accept-Language comes from the viewer', '/  /en/  302  Language=en', HANDLER, []],
    ['no conditions', '/home  /\n/news/*  /blog/:splat 302', HANDLER, []],
    ['a function the rules were not compiled into', '/  /anz  302  Country=au,nz', OTHER, []],
    ['a behavior without a viewer-request function', '/  /anz  302  Country=au,nz', undefined, []],
  ])('%s', (_name, text, file, expected) => {
    expect(redirectsViewerHeaders(redirects(text), file)).toEqual(expected);
  });

  it('a site without `_redirects` needs none', () => {
    expect(redirectsViewerHeaders(undefined, HANDLER)).toEqual([]);
  });

  it('a behavior answers the rules only through a function they were compiled into (the compiled copy, not the configured file)', () => {
    const r = redirects('/home  /');
    expect([runsRedirects(r, HANDLER), runsRedirects(r, '/site/edge/url-handler.js'), runsRedirects(r, undefined), runsRedirects(undefined, HANDLER)]).toEqual([true, false, false, false]);
  });
});
