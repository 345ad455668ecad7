import fs from 'node:fs';
import path from 'node:path';
import {
  EDGE_DISCOVERY_FILE,
  edgeStateDir,
  INVALIDATION_LOG_FILE,
  type EdgeDiscovery,
  type InvalidationRequest,
} from '../edge/contracts.js';
import { processRuns, registeredEdges } from '../edge/admin.js';
import { EdgeshipError, EXIT } from '../errors.js';
import { DEPLOY_ERRORS } from './errors.js';

/** One line of `<rootDir>/.edgeship/invalidations.jsonl`. */
export interface InvalidationRecord {
  at: string;
  storeLocation: string;
  paths: string[];
  callerReference: string;
  /** Whether a running local edge took it. */
  delivered: boolean;
  /** The edge's invalidation id, when delivered (the first edge's, when several took it). */
  id?: string;
  /** How many local edges took it. */
  edges?: number;
  /** Why it was not delivered. */
  reason?: string;
}

export interface LocalInvalidationOptions {
  rootDir: string;
  /** `ObjectStore.location` of the target: only an edge serving this store is told. */
  storeLocation: string;
  callerReference: string;
  now?: () => Date;
}

/**
 * Sends an invalidation to the local edge serving this store, if one runs (its discovery file
 * is there, its process is alive, it serves the same store), and always appends the record
 * to `invalidations.jsonl`: an edge started later, or a person, can read what changed.
 */
export async function invalidateLocal(paths: readonly string[], options: LocalInvalidationOptions): Promise<InvalidationRecord> {
  const record: InvalidationRecord = {
    at: (options.now?.() ?? new Date()).toISOString(),
    storeLocation: options.storeLocation,
    paths: [...paths],
    callerReference: options.callerReference,
    delivered: false,
  };
  try {
    const { edges, reason } = runningEdges(options.rootDir, options.storeLocation);
    if (edges.length === 0) record.reason = reason;
    else {
      // Every edge serving this store is told; one that fails does not keep the others stale.
      const answers = await Promise.allSettled(edges.map((edge) => post(edge, { paths: record.paths, callerReference: options.callerReference })));
      const taken = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
      const failed = answers.flatMap((a) => (a.status === 'rejected' ? [a.reason as Error] : []));
      if (taken.length === 0) throw failed[0];
      record.delivered = true;
      record.id = taken[0]!.id;
      record.edges = taken.length;
      if (failed.length > 0) record.reason = `${failed.length} of ${edges.length} local edges did not take it: ${failed.map((e) => e.message).join('; ')}`;
    }
  } finally {
    appendRecord(options.rootDir, record);
  }
  return record;
}

/**
 * The live edges serving this store (every registration under `.edgeship/edges/`, and
 * `edge.json`), or why there is none. Registrations of edges that no longer run are removed.
 */
export function runningEdges(rootDir: string, storeLocation: string): { edges: EdgeDiscovery[]; reason?: string } {
  const { live, removed } = registeredEdges(rootDir);
  const latest = readLatest(rootDir);
  if (latest && processRuns(latest.pid) && !live.some((e) => e.adminUrl === latest.adminUrl)) live.push(latest);
  const edges = live.filter((e) => e.storeLocation === storeLocation);
  if (edges.length > 0) return { edges };
  if (live.length > 0) return { edges, reason: `the running local edge${live.length > 1 ? 's serve' : ' serves'} ${[...new Set(live.map((e) => e.storeLocation))].join(', ')}, not ${storeLocation}` };
  if (removed.length > 0 || latest) return { edges, reason: `the local edges recorded in ${edgeStateDir(rootDir)} (pid ${[...removed, ...(latest ? [latest] : [])].map((e) => e.pid).join(', ')}) are not running` };
  return { edges, reason: 'no local edge is running' };
}

function readLatest(rootDir: string): EdgeDiscovery | undefined {
  try {
    const edge = JSON.parse(fs.readFileSync(path.join(edgeStateDir(rootDir), EDGE_DISCOVERY_FILE), 'utf8')) as EdgeDiscovery;
    return Number.isInteger(edge.pid) ? edge : undefined;
  } catch {
    return undefined;
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

async function post(edge: EdgeDiscovery, body: InvalidationRequest): Promise<{ id?: string }> {
  const url = new URL('/invalidate', edge.adminUrl);
  // The token only ever goes to this machine.
  if (!LOOPBACK.has(url.hostname) && !url.hostname.startsWith('127.')) {
    throw new EdgeshipError(DEPLOY_ERRORS.invalidationFailed, `the local edge's admin URL ${edge.adminUrl} is not a loopback address; not sending the token there`, { exitCode: EXIT.failed });
  }
  const token = fs.readFileSync(edge.tokenFile, 'utf8').trim();
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new EdgeshipError(DEPLOY_ERRORS.invalidationFailed, `the local edge at ${edge.adminUrl} did not answer: ${(error as Error).message}`, {
      exitCode: EXIT.failed,
      hint: 'restart the edge (edgeship serve); the invalidation is recorded in .edgeship/invalidations.jsonl',
      cause: error,
    });
  }
  const text = await response.text();
  let answer: { id?: string; error?: string } = {};
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    // reported below when the status says it failed
  }
  if (!response.ok) {
    throw new EdgeshipError(DEPLOY_ERRORS.invalidationFailed, `the local edge refused the invalidation (${response.status}): ${answer.error ?? text.slice(0, 200)}`, {
      exitCode: response.status === 400 ? EXIT.usage : EXIT.failed,
    });
  }
  return answer;
}

function appendRecord(rootDir: string, record: InvalidationRecord): void {
  const dir = edgeStateDir(rootDir);
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, INVALIDATION_LOG_FILE), `${JSON.stringify(record)}\n`);
}
