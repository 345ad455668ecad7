/**
 * Side by side with Cloudflare Pages' own asset server (`wrangler pages dev`, cloudflare-peer.ts):
 * the same site, `_redirects` and `_headers` (site.ts), asked the same requests, answer alike at
 * edgeship's local edge (status, Location, the file served, the `_headers` headers), except the
 * differences listed below, each with its reason. A new difference fails this test.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askServer, type Answer } from './answers.js';
import { functionHeadersOnEdgeAnswers, SLASH_REDIRECT, type Known, verdict } from './known.js';
import { cloudflarePeer, type CloudflarePeer } from './cloudflare-peer.js';
import { serveWithEdgeship, type EdgeshipSite } from './edgeship-site.js';
import { CLOUDFLARE_CASES, CLOUDFLARE_HEADERS, CLOUDFLARE_REDIRECTS, headerNames } from './site.js';

const known = (): Known[] => [SLASH_REDIRECT, functionHeadersOnEdgeAnswers(edgeship!.dir)];

const NAMES = headerNames(CLOUDFLARE_HEADERS);
let edgeship: EdgeshipSite | undefined;
let peer: CloudflarePeer | undefined;
let peerAnswers: Answer[];
let edgeAnswers: Answer[];
beforeAll(async () => {
  edgeship = await serveWithEdgeship('cloudflare', CLOUDFLARE_REDIRECTS, CLOUDFLARE_HEADERS, 'FR');
  peer = await cloudflarePeer(path.join(edgeship.dir, 'out'));
  peerAnswers = [];
  edgeAnswers = [];
  for (const c of CLOUDFLARE_CASES) {
    peerAnswers.push(await askServer(peer.url, c, NAMES));
    edgeAnswers.push(await askServer(edgeship.edge.url, c, NAMES));
  }
}, 60_000);
afterAll(async () => {
  await peer?.close();
  await edgeship?.close();
});

describe('Cloudflare Pages _redirects and _headers, side by side with wrangler pages dev', () => {
  it('answers every request (40 or more) as Cloudflare Pages does, but for the known differences', () => {
    expect(verdict(CLOUDFLARE_CASES, peerAnswers, edgeAnswers, known())).toEqual({ asked: true, unexplained: '', stale: [] });
  });
});
