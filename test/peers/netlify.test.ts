/**
 * Side by side with Netlify's own engines (netlify-peer.ts): the same site, `_redirects` and
 * `_headers` (site.ts), asked the same requests, answer alike at edgeship's local edge (status,
 * Location, the file served, the `_headers` headers), except the differences listed below,
 * each with its reason. A new difference fails this test.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askServer, type Answer } from './answers.js';
import { at, functionHeadersOnEdgeAnswers, POLICY_HEADERS_ON_REDIRECTS, SLASH_REDIRECT, type Known, verdict } from './known.js';
import { serveWithEdgeship, type EdgeshipSite } from './edgeship-site.js';
import { netlifyPeer } from './netlify-peer.js';
import { headerNames, NETLIFY_CASES, NETLIFY_HEADERS, NETLIFY_REDIRECTS } from './site.js';

const known = (): Known[] => [
  SLASH_REDIRECT,
  functionHeadersOnEdgeAnswers(edgeship.dir),
  POLICY_HEADERS_ON_REDIRECTS,
  at(
    '/blog/feed.xml',
    "Netlify matches a _headers path with or without its trailing slash and in any case (@netlify/headers-parser getForRegExp: ^/...\\/?$, flags iu), so /blog/:slug/ reaches /blog/feed.xml; edgeship matches a _headers path as sent, as CloudFront's path patterns do, so a rule means the same whether it becomes a behavior or function code",
  ),
];

const NAMES = headerNames(NETLIFY_HEADERS);
let edgeship: EdgeshipSite;
let peerAnswers: Answer[];
let edgeAnswers: Answer[];
beforeAll(async () => {
  edgeship = await serveWithEdgeship('netlify', NETLIFY_REDIRECTS, NETLIFY_HEADERS, 'FR');
  const peer = await netlifyPeer(path.join(edgeship.dir, 'out'), 'FR', NAMES);
  peerAnswers = NETLIFY_CASES.map((c) => peer.answer(c));
  edgeAnswers = [];
  for (const c of NETLIFY_CASES) edgeAnswers.push(await askServer(edgeship.edge.url, c, NAMES));
}, 60_000);
afterAll(async () => {
  await edgeship?.close();
});

describe('Netlify _redirects and _headers, side by side with netlify-redirector and @netlify/headers-parser', () => {
  it('answers every request (40 or more) as Netlify does, but for the known differences', () => {
    expect(verdict(NETLIFY_CASES, peerAnswers, edgeAnswers, known())).toEqual({ asked: true, unexplained: '', stale: [] });
  });
});
