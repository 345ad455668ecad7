import path from 'node:path';
import type { CompiledBehavior, BehaviorTable } from '../behavior/table.js';
import { contentTypeFor } from '../behavior/headers.js';
import type { SiteModel } from '../config/model.js';
import type { EdgeFunction } from './contracts.js';
import { loadEdgeFunction } from './functions/index.js';
import { applyCfRequest, viewerRequestEvent } from './functions/event.js';
import { fixedKvsSource, readKvsFile, type KvsSource } from './functions/kvs.js';
import { explainHeaders, type HeadersExplanation } from '../headers-file/explain.js';
import { builtKeys, explainRedirect, type RedirectExplanation } from '../redirects/explain.js';
import { redirectEntries } from '../redirects/deploy-keys.js';
import { runsRedirects } from '../redirects/viewer-headers.js';

export interface Explanation {
  path: string;
  behavior: { pattern: string; index: number };
  /** `Cache-Control` stored on the objects of the behavior. */
  cacheControl: string;
  /** `Content-Type` of the object served (after the viewer-request function's rewrite). */
  contentType: string;
  edge: { minTtl: number; defaultTtl: number; maxTtl: number };
  functions: { viewerRequest: string | null; viewerResponse: string | null };
  headersPolicy: string | null;
  /** The store key fetched for this path, or null when the function answers by itself. */
  object: string | null;
  /** Present when the viewer-request function generates the response (a redirect, say). */
  functionResponse?: { status: number; location?: string };
  /** The `_redirects` rule that answers this URL, when one does. */
  redirect?: RedirectExplanation;
  /** The `_headers` rules whose path matches this URL, and what they send. */
  headersFile?: HeadersExplanation;
}

/**
 * Explains URL paths the way the local edge and CloudFront handle them: the behavior comes from
 * the viewer path (spec §1.2), then the behavior's viewer-request function may rewrite the URI
 * (which picks the object, not the behavior) or answer by itself.
 */
export async function explainPaths(site: SiteModel, table: BehaviorTable, paths: string[], options: { host?: string } = {}): Promise<Explanation[]> {
  const loaded = new Map<string, Promise<EdgeFunction>>();
  // The KeyValueStore data serve gives the functions (edge.kvs), so the answers are serve's.
  const kvsFile = site.edge?.kvs === undefined ? undefined : path.resolve(site.rootDir, site.edge.kvs);
  // With _redirects, also the keys a deploy of the build on disk would write.
  const keys = site.redirects ? builtKeys(site) : [];
  const kvs = explainKvs(kvsFile, redirectEntries(site, keys));
  const load = (file: string) => {
    let fn = loaded.get(file);
    // One-off runs: a generous limit, so a busy machine never turns an answer into a 503.
    if (!fn) loaded.set(file, (fn = loadEdgeFunction(file, { timeLimitMs: 2_000, kvsFile, kvs })));
    return fn;
  };
  const host = options.host ?? site.domain ?? 'localhost';
  const out: Explanation[] = [];
  for (const urlPath of paths) {
    const b = table.resolve(urlPath);
    let uri = urlPath.split('?')[0]!;
    let functionResponse: Explanation['functionResponse'];
    if (b.functions.viewerRequest) {
      const fn = await load(b.functions.viewerRequest.file);
      const event = viewerRequestEvent({ method: 'GET', url: urlPath, rawHeaders: ['Host', host] }, { ip: '127.0.0.1', requestId: 'explain' });
      const result = await fn.runViewerRequest(event);
      if ('response' in result) {
        functionResponse = { status: result.response.statusCode, location: result.response.headers.location?.value };
      } else uri = applyCfRequest(event, result.request).uri;
    }
    // Only a behavior whose function the rules were compiled into answers them.
    const compiledHere = runsRedirects(site.redirects, b.functions.viewerRequest?.file);
    const redirect = compiledHere ? explainRedirect(site, urlPath, keys) : null;
    const headersFile = explainHeaders(site, urlPath);
    const key = functionResponse ? null : uri === '/' ? site.defaultRootObject : uri.replace(/^\/+/, '');
    out.push({
      path: urlPath,
      behavior: { pattern: b.pattern, index: b.index },
      // The object's own header: a hashed name under `hashedNames: 'immutable'` differs from the behavior's.
      cacheControl: key === null ? b.cacheControl : table.objectHeaders(key).cacheControl,
      contentType: key === null ? '-' : contentTypeFor(key),
      edge: { minTtl: b.policy.minTtl, defaultTtl: b.policy.defaultTtl, maxTtl: b.policy.maxTtl },
      functions: functionFiles(site, b),
      headersPolicy: b.headersPolicy?.name ?? null,
      object: key,
      ...(functionResponse ? { functionResponse } : {}),
      ...(redirect ? { redirect } : {}),
      ...(headersFile ? { headersFile } : {}),
    });
  }
  return out;
}

export function functionFiles(site: SiteModel, b: CompiledBehavior): Explanation['functions'] {
  const rel = (file: string) => path.relative(site.rootDir, file).split(path.sep).join('/');
  return {
    viewerRequest: b.functions.viewerRequest ? rel(b.functions.viewerRequest.file) : null,
    viewerResponse: b.functions.viewerResponse ? rel(b.functions.viewerResponse.file) : null,
  };
}

function explainKvs(userFile: string | undefined, redirects: Record<string, string> | undefined): KvsSource | undefined {
  if (!redirects) return undefined;
  const user = userFile === undefined ? undefined : readKvsFile(userFile);
  const entries = { ...user?.entries, ...redirects };
  const at = new Date(0).toISOString();
  const meta = user?.meta ?? { creationDateTime: at, lastUpdatedDateTime: at };
  return fixedKvsSource({ entries, meta: { ...meta, keyCount: Object.keys(entries).length } });
}
