import path from 'node:path';
import { canonicalPattern } from '../behavior/pattern.js';
import type { BehaviorConfig, ErrorConfig, ParsedConfig, TargetConfig } from './schema.js';
import type { ConfigIssue } from './errors.js';
import type { RedirectDialect, SiteRedirects } from '../redirects/types.js';
import type { HeaderRule } from '../headers-file/parse.js';
import type { ResponseFunctionParts } from '../response-function/code.js';

/** The default behavior added when a config has no `*`: HTML-like, short at the edge, revalidated by browsers. */
export const DEFAULT_BEHAVIOR: BehaviorConfig = { path: '*', cache: { edge: 300, browser: 0 }, compress: true };

/** Where the embedded `local` target keeps its objects, relative to the config file. */
export const LOCAL_STORE_DIR = '.edgeship/store';

/** The validated config with every default applied and every path absolute: what the rest of edgeship reads. */
export interface SiteModel extends Omit<ParsedConfig, 'behaviors' | 'errors' | 'targets'> {
  /** Folder of the config file (or the working folder without one). */
  rootDir: string;
  configFile?: string;
  /** Absolute path of the build output folder. */
  siteDir: string;
  /** Ordered behaviors, the default `*` last. Function paths are absolute. */
  behaviors: BehaviorConfig[];
  /** Custom error responses; `responseStatus` defaults to `status` when a page is set. */
  errors: (ErrorConfig & { ttl: number })[];
  /** Named targets; `local` always exists. `fs` dirs are absolute. */
  targets: Record<string, TargetConfig>;
  warnings: ConfigIssue[];
  /** The site's `_redirects`, when it has one (read by `resolveConfig`, src/redirects/site.ts). */
  redirects?: SiteRedirects;
  /** The site's `_headers`, when it has one (src/headers-file/site.ts): its rules, for `audit` to check on the served site. */
  headersFile?: { file: string; dialect: RedirectDialect; rules: HeaderRule[] };
  /** What edgeship's viewer-response function must do, when `_headers` or `_redirects` needs it (written last, src/response-function/site.ts). */
  responseFunction?: ResponseFunctionParts;
}

/** CloudFront's default ErrorCachingMinTTL (spec §5.1). */
export const DEFAULT_ERROR_TTL = 10;

export function buildModel(config: ParsedConfig, rootDir: string, warnings: ConfigIssue[] = [], configFile?: string): SiteModel {
  const abs = (p: string) => path.resolve(rootDir, p);
  const behaviors: BehaviorConfig[] = config.behaviors.map((b) => {
    if (!b.functions) return { ...b };
    const { viewerRequest, viewerResponse } = b.functions;
    return { ...b, functions: { viewerRequest: viewerRequest && abs(viewerRequest), viewerResponse: viewerResponse && abs(viewerResponse) } };
  });
  if (!behaviors.some((b) => canonicalPattern(b.path) === '*')) behaviors.push({ ...DEFAULT_BEHAVIOR });
  const targets: Record<string, TargetConfig> = { local: { store: { type: 'fs', dir: LOCAL_STORE_DIR } }, ...config.targets };
  for (const t of Object.values(targets)) {
    if (t.store.type === 'fs') t.store = { ...t.store, dir: abs(t.store.dir) };
  }
  return {
    ...config,
    rootDir,
    configFile,
    siteDir: abs(config.site),
    behaviors,
    errors: config.errors.map((e) => ({
      ...e,
      responseStatus: e.responseStatus ?? (e.page !== undefined ? e.status : undefined),
      ttl: e.ttl ?? DEFAULT_ERROR_TTL,
    })),
    targets,
    warnings,
  };
}
