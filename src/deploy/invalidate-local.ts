import fs from 'node:fs';
import path from 'node:path';
import {
  EDGE_DISCOVERY_FILE,
  edgeStateDir,
  INVALIDATION_LOG_FILE,
  type EdgeDiscovery,
  type InvalidationRequest,
} from '../edge/contracts.js';
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
  /** The edge's invalidation id, when delivered. */
  id?: string;
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
    const edge = runningEdge(options.rootDir, options.storeLocation);
    if (typeof edge === 'string') record.reason = edge;
    else {
      const answer = await post(edge, { paths: record.paths, callerReference: options.callerReference });
      record.delivered = true;
      record.id = answer.id;
    }
  } finally {
    appendRecord(options.rootDir, record);
  }
  return record;
}

/** The edge to tell, or why there is none. */
export function runningEdge(rootDir: string, storeLocation: string): EdgeDiscovery | string {
  const file = path.join(edgeStateDir(rootDir), EDGE_DISCOVERY_FILE);
  let edge: EdgeDiscovery;
  try {
    edge = JSON.parse(fs.readFileSync(file, 'utf8')) as EdgeDiscovery;
  } catch {
    return 'no local edge is running';
  }
  if (!Number.isInteger(edge.pid) || !alive(edge.pid)) return `the local edge recorded in ${file} (pid ${edge.pid}) is not running`;
  if (edge.storeLocation !== storeLocation) return `the running local edge serves ${edge.storeLocation}, not ${storeLocation}`;
  return edge;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
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
