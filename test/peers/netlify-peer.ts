/**
 * Netlify's answer to a request, from Netlify's own engines as `netlify dev` (netlify-cli) runs
 * them: `netlify-redirector` (the redirect engine, WebAssembly) picks the rule, and the file
 * steps around it are netlify-cli's (src/utils/proxy: `serveRedirect`, `getStatic`,
 * `alternativePathsFor`); `@netlify/headers-parser` reads `_headers` and netlify-cli's
 * `headersForPath` merges the rules that match.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseAllHeaders } from '@netlify/headers-parser';
import { toAnswer, type Answer } from './answers.js';
import type { Case } from './site.js';

interface Match {
  to: string;
  status: number;
  force: boolean;
  force404?: boolean;
}
interface Matcher {
  match(request: { scheme: string; host: string; path: string; query: string; getHeader(name: string): string; getCookie(name: string): string }): Match | null;
}

export interface NetlifyPeer {
  answer(c: Case): Answer;
}

export async function netlifyPeer(out: string, country: string, names: readonly string[]): Promise<NetlifyPeer> {
  // The package is CommonJS with a WebAssembly module it loads beside itself.
  const redirector = createRequire(import.meta.url)('netlify-redirector') as { parsePlain(text: string, options: object): Promise<Matcher> };
  const matcher = await redirector.parsePlain(fs.readFileSync(path.join(out, '_redirects'), 'utf8'), {});
  const parsed = await parseAllHeaders({ headersFiles: [path.join(out, '_headers')], configHeaders: [], minimal: false });
  if (parsed.errors.length > 0) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  const headerRules = parsed.headers as { forRegExp: RegExp; values: Record<string, string> }[];

  const file = (name: string) => fs.existsSync(path.join(out, name)) && fs.statSync(path.join(out, name)).isFile();
  // getStatic: the path, then `alternativePathsFor` (`.html`, `/index.html`; an asset extension has none).
  const staticFile = (urlPath: string): string | undefined => {
    const alternatives = urlPath.endsWith('/')
      ? [`${urlPath}index.html`]
      : /\.(html?|png|jpg|js|css|svg|gif|ico|woff|woff2)$/.test(urlPath) ? [] : [`${urlPath}.html`, `${urlPath}/index.html`];
    return [urlPath, ...alternatives].find((p) => file(decodeURIComponent(p).slice(1)));
  };
  const serve = (urlPath: string, requestPath: string, status?: number): Answer => {
    const found = staticFile(urlPath);
    const body = fs.readFileSync(path.join(out, found ?? '404.html'), 'utf8');
    // headersForPath: every matching rule, merged with Object.assign (a later rule's value replaces).
    const headers = Object.assign({}, ...headerRules.filter((r) => r.forRegExp.test(requestPath)).map((r) => r.values)) as Record<string, string>;
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    return toAnswer(found ? (status ?? 200) : 404, lower, body, names);
  };

  return {
    answer(c) {
      const url = new URL(c.url, 'http://localhost');
      const requestHeaders = Object.fromEntries(Object.entries(c.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      // netlify-cli's rewriter: X-Language from Accept-Language's first tag, X-Country from the
      // geolocation it is given (here the same country edgeship's local edge is given).
      const language = requestHeaders['accept-language']?.split(',')[0]?.slice(0, 2) ?? 'en';
      const synthetic: Record<string, string> = { 'x-language': language, 'x-country': country, ...requestHeaders };
      // The path as received, percent-encoded: netlify-cli decodes it first, which makes every
      // rule written with an escape (as Netlify's docs ask: "special characters ... must be
      // URL-encoded") unreachable; the production router compares the encoded form.
      const match = matcher.match({
        scheme: 'http',
        host: 'localhost',
        path: url.pathname,
        query: url.search.slice(1),
        getHeader: (name) => synthetic[name.toLowerCase()] ?? '',
        getCookie: () => '',
      });
      if (!match) return serve(url.pathname, url.pathname);
      // Shadowing: a file at the path is served instead of a rule without `!`.
      if (staticFile(url.pathname) && !match.force) return serve(url.pathname, url.pathname);
      if (match.force404) return serve('/404-not-a-file', url.pathname);
      const dest = new URL(match.to, 'http://localhost');
      // "We pass through request params if the redirect rule doesn't have any query params."
      if ([...dest.searchParams].length === 0) url.searchParams.forEach((v, k) => dest.searchParams.append(k, v));
      const external = /^https?:\/\//.test(match.to);
      if (match.status >= 300 && match.status <= 400) {
        return toAnswer(match.status, { location: external ? dest.href : `${dest.pathname}${dest.search}` }, '', names);
      }
      return serve(dest.pathname, url.pathname, match.status);
    },
  };
}
