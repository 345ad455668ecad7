/**
 * Differences from the platforms that are deliberate or CloudFront's, each with its reason
 * (docs/redirects.md, "Where it differs"). A difference none of these explains fails the test,
 * and so does an entry that no longer explains any (the list stays true).
 */
import fs from 'node:fs';
import path from 'node:path';
import { RESPONSE_FUNCTION } from '../../src/response-function/site.js';
import { compiledFunctionsDir } from '../../src/config/generated.js';
import { differences, show, type Answer, type Difference } from './answers.js';
import type { Case } from './site.js';

export interface Known {
  why: string;
  explains(d: Difference): boolean;
}

const redirect = (a: Answer) => a.status >= 300 && a.status < 400;
const sameButHeaders = (d: Difference) => d.peer.status === d.edgeship.status && d.peer.location === d.edgeship.location && d.peer.body === d.edgeship.body;

/** The url-handler `init` writes for a folder of `page/index.html` files redirects `/page` to `/page/`. */
export const SLASH_REDIRECT: Known = {
  why: "the url-handler `edgeship init` writes redirects a page URL to its canonical slash form with 301, before the object is looked up (Netlify's engine serves /about/index.html at /about; Pages redirects with 308, and only where the page exists)",
  explains: ({ url, peer, edgeship }) => {
    const { pathname, search } = new URL(url, 'http://x');
    const slash = `${pathname}/${search}`;
    // Only where the peer has no rule of its own there: it serves the page, answers 404, or redirects to the same place.
    const peerHasNoRule = peer.status === 200 || peer.status === 404 || peer.location === slash;
    return edgeship.status === 301 && edgeship.location === slash && peerHasNoRule;
  },
};

/**
 * The headers edgeship's viewer-response function sets, which CloudFront does not run on a
 * response a viewer-request function answered (a redirect) nor on an origin error (a 404)
 * (spec §7.2); the platforms send their `_headers` on the 404 page, and Pages on redirects.
 */
export function functionHeadersOnEdgeAnswers(dir: string): Known {
  const file = path.join(compiledFunctionsDir(dir), RESPONSE_FUNCTION);
  const code = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : 'var HF = [];';
  const rules = JSON.parse(/var HF = (\[[\s\S]*?\n\]);/.exec(code)?.[1] ?? '[]') as [number, string, [string, string][], string[]][];
  const names = new Set(rules.flatMap(([, , set, detach]) => [...set.map(([n]) => n), ...detach]));
  return {
    why: `CloudFront runs no viewer-response function on a redirect a viewer-request function answered, nor on a 4xx from the origin (spec §7.2): the headers the function sets (${[...names].join(', ')}) are missing there`,
    explains: (d) => {
      if (!sameButHeaders(d) || d.edgeship.status < 300) return false;
      const keys = new Set([...Object.keys(d.peer.headers), ...Object.keys(d.edgeship.headers)]);
      return [...keys].every((k) => d.peer.headers[k] === d.edgeship.headers[k] || (names.has(k) && d.edgeship.headers[k] === undefined));
    },
  };
}

/** Netlify sends `_headers` with the files it serves, not with its redirects. */
export const POLICY_HEADERS_ON_REDIRECTS: Known = {
  why: "Netlify applies custom headers to the files it serves (docs: \"Custom headers apply only to files Netlify serves\"; netlify-cli writes a redirect without them); CloudFront adds a behavior's response headers policy to every response of the behavior, function-generated redirects included (spec §6.7)",
  explains: (d) => sameButHeaders(d) && redirect(d.peer) && Object.keys(d.peer.headers).length === 0,
};

/** One request, by its URL. */
export function at(url: string, why: string): Known {
  return { why, explains: (d) => d.url === url };
}

/** The differences no entry explains, and the entries that explain none. */
export function judge(diffs: Map<string, Difference>, known: readonly Known[]): { unexplained: Map<string, Difference>; stale: string[] } {
  const unexplained = new Map([...diffs].filter(([, d]) => !known.some((k) => k.explains(d))));
  const stale = known.filter((k) => ![...diffs.values()].some((d) => k.explains(d))).map((k) => k.why);
  return { unexplained, stale };
}

/** The comparison a test asserts: `{ unexplained: '', stale: [] }` when the peer and edgeship agree but for `known`. */
export function verdict(cases: readonly Case[], peer: readonly Answer[], edgeship: readonly Answer[], known: readonly Known[]): { asked: boolean; unexplained: string; stale: string[] } {
  const { unexplained, stale } = judge(differences(cases, peer, edgeship), known);
  return { asked: cases.length >= 40, unexplained: show(unexplained), stale };
}
