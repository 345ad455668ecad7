/**
 * `startEdge`: the local CloudFront in front of an ObjectStore, on loopback.
 *
 * Nothing listens until `startEdge` is called; `close()` frees both ports.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { compileTable } from '../behavior/table.js';
import type { SiteModel } from '../config/model.js';
import { EdgeshipError, EXIT } from '../errors.js';
import { siteHasKvs } from '../kvs/site.js';
import type { ObjectStore } from '../store/types.js';
import { announce, newToken, startAdmin } from './admin.js';
import type { ApplyHeadersPolicy, EdgeFunction } from './contracts.js';
import type { FunctionBridge } from './function-bridge.js';
import { functionErrorReporter } from './function-errors.js';
import { functionBridge } from './functions-adapter.js';
import { FunctionLoadError, loadEdgeFunction } from './functions/index.js';
import { unloadableFunction } from './functions/unloadable.js';
import { compileHeadersPolicy } from './headers-policy.js';
import { createViewerServer, type ViewerServerOptions } from './http-server.js';
import { SiteKvsSource, watchKvs } from './site-kvs-source.js';
import { EdgeHandler, type RequestRecord } from './server.js';

export { EdgeHandler, MAX_URL_BYTES, type RequestRecord, type ResultType } from './server.js';
export { parseSize } from './size.js';

export interface StartEdgeOptions extends ViewerServerOptions {
  site: SiteModel;
  store: ObjectStore;
  /** Viewer port; 0 (the default) picks a free one. */
  port?: number;
  /** Viewer address; default 127.0.0.1. */
  host?: string;
  /** Admin port on 127.0.0.1; 0 (the default) picks a free one. */
  adminPort?: number;
  /** ms since the epoch; inject to move time in tests. */
  clock?: () => number;
  /** Bytes of objects kept in memory (default 256 MB). */
  cacheSize?: number;
  /** Per-request record callback (access log, TTY line). */
  log?: (record: RequestRecord) => void;
  /** A missing key answers 404 NoSuchKey (bucket grants s3:ListBucket) instead of 403 AccessDenied (default, §4.10). */
  listBucket?: boolean;
  originTimeoutMs?: number;
  /** Write `.edgeship/edge.json` and the token file under `site.rootDir` so deploy/invalidate find this edge. Default true. */
  announce?: boolean;
  /** Already-loaded CloudFront Functions by file (otherwise loaded from `table.functions`). */
  functions?: ReadonlyMap<string, EdgeFunction>;
  /** Optional KeyValueStore JSON file for the functions (overrides `edge.kvs` in the config). */
  kvsFile?: string;
  /** Receives the functions' `console.log` lines. */
  onFunctionLog?: (line: string, functionName: string) => void;
  /** Receives each distinct reason of a failed function run once (the viewer got a 502/503). */
  onFunctionError?: (line: string) => void;
  /** Report a compute utilization over 100 without failing the run (slow machines). Default false. */
  lenientCompute?: boolean;
}

export interface RunningEdge {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  /** e.g. http://127.0.0.1:40123 (POST /invalidate with the bearer token). */
  adminUrl: string;
  handler: EdgeHandler;
  /** Reads the deploy's KeyValueStore data now instead of at the next tick; resolves to whether it changed. */
  refreshKvs(): Promise<boolean>;
  /** Removes cached objects by CloudFront's invalidation rules; resolves to how many went. */
  invalidate(paths: string[]): Promise<number>;
  close(): Promise<void>;
}

/** Loads functions, compiles headers policies, starts the viewer and admin servers. */
export async function startEdge(options: StartEdgeOptions): Promise<RunningEdge> {
  const { functions, bridge, headersPolicies, kvs } = await prepareEdgeParts(options);
  const unwatch = kvs ? watchKvs(kvs, options.onFunctionError ?? (() => undefined)) : () => undefined;
  const handler = new EdgeHandler({
    site: options.site,
    store: options.store,
    clock: options.clock,
    cacheSize: options.cacheSize,
    functions,
    bridge,
    headersPolicies,
    onRequest: options.log,
    listBucket: options.listBucket,
    originTimeoutMs: options.originTimeoutMs,
    onFunctionError: options.onFunctionError ? functionErrorReporter(options.onFunctionError) : undefined,
  });
  const server = createViewerServer(handler, options);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, options.port ?? 0)));
    server.listen(options.port ?? 0, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const token = newToken();
  const invalidate = async (paths: string[]) => handler.invalidate(paths);
  let admin;
  try {
    admin = await startAdmin({ token, invalidate, port: options.adminPort });
  } catch (error) {
    unwatch();
    server.close();
    throw error;
  }
  const unannounce =
    options.announce === false
      ? () => undefined
      : announce(options.site.rootDir, { pid: process.pid, url, adminUrl: admin.url, storeLocation: options.store.location }, token);
  let closed: Promise<void> | undefined;
  return {
    url,
    adminUrl: admin.url,
    handler,
    invalidate,
    refreshKvs: () => kvs?.refresh() ?? Promise.resolve(false),
    close() {
      closed ??= (async () => {
        unwatch();
        unannounce();
        await Promise.all([
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
          admin.close(),
        ]);
      })();
      return closed;
    },
  };
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') {
    return new EdgeshipError('PORT_IN_USE', `${host}:${port} is already in use`, { exitCode: EXIT.failed, hint: 'stop the other server, or pass another --port (0 picks a free one)', cause: error });
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'EACCES') {
    return new EdgeshipError('CANNOT_LISTEN', `cannot listen on ${host}:${port}: ${error.message}`, { exitCode: EXIT.usage, hint: 'use --host 127.0.0.1 and a port above 1024', cause: error });
  }
  return error;
}

export interface EdgeParts {
  functions: Map<string, EdgeFunction>;
  /** The KeyValueStore data the functions read, when the site has a store; watch it with `watchKvs`. */
  kvs?: SiteKvsSource;
  bridge?: FunctionBridge;
  headersPolicies: Map<string, ApplyHeadersPolicy>;
}

/** Everything compiled once at start-up: functions (from the very files synth deploys) and headers policies. */
export async function prepareEdgeParts(
  options: Pick<StartEdgeOptions, 'site' | 'functions' | 'kvsFile' | 'clock' | 'onFunctionLog' | 'onFunctionError' | 'lenientCompute'> & { store?: ObjectStore },
): Promise<EdgeParts> {
  const { site } = options;
  const functions = new Map(options.functions ?? []);
  const kvsFile = options.kvsFile ?? site.edge?.kvs;
  const userKvs = kvsFile === undefined ? undefined : path.resolve(site.rootDir, kvsFile);
  const kvs = options.store && (siteHasKvs(site) || userKvs !== undefined) ? await siteKvsSource(options.store, userKvs, options.clock) : undefined;
  for (const ref of compileTable(site).functions) {
    if (functions.has(ref.file)) continue;
    try {
      const fn = await loadEdgeFunction(ref.file, {
        name: ref.name,
        kvsFile: userKvs,
        kvs,
        distributionDomainName: DISTRIBUTION_DOMAIN,
        distributionId: DISTRIBUTION_ID,
        clock: options.clock,
        onLog: options.onFunctionLog,
        lenientCompute: options.lenientCompute,
      });
      functions.set(ref.file, fn);
    } catch (error) {
      // One broken function answers 503 on its own behaviors; the rest of the site serves.
      if (!(error instanceof FunctionLoadError)) throw error;
      options.onFunctionError?.(`function ${ref.name} did not load; its behaviors answer 503 FunctionExecutionError: ${error.message}${error.hint ? ` (fix: ${error.hint})` : ''}`);
      functions.set(ref.file, unloadableFunction(ref.name, ref.file, error));
    }
  }
  const headersPolicies = new Map<string, ApplyHeadersPolicy>();
  for (const [name, config] of Object.entries(site.headersPolicies)) headersPolicies.set(name, compileHeadersPolicy(config));
  return { functions, kvs, bridge: functionBridge(DISTRIBUTION_DOMAIN), headersPolicies };
}

/** The site's KeyValueStore data as the functions see it; a bad `edge.kvs` file fails as the functions' load would. */
async function siteKvsSource(store: ObjectStore, userFile: string | undefined, clock?: () => number): Promise<SiteKvsSource | undefined> {
  try {
    const source = new SiteKvsSource(store, userFile, clock);
    await source.refresh();
    return source;
  } catch (error) {
    // Each function then loads from the file itself and reports the reason on its behaviors.
    if (error instanceof FunctionLoadError) return undefined;
    throw error;
  }
}

/** The `*.cloudfront.net` name functions see as `context.distributionDomainName` locally. */
export const DISTRIBUTION_DOMAIN = 'd111111abcdef8.cloudfront.net';
/** `context.distributionId` functions see locally: the example ID of CloudFront's documentation. */
export const DISTRIBUTION_ID = 'EDFDVBD6EXAMPLE';
