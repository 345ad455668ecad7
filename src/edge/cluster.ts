/**
 * `edgeship serve --workers N`: N edge processes sharing one port through `node:cluster`, and
 * one admin endpoint in the primary that hands every invalidation to every worker and answers
 * only when all of them have applied it. Each worker keeps its own cache of `cacheSize / N`
 * bytes, so the whole edge stays within `--cache-size`.
 */
import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SiteModel } from '../config/model.js';
import type { StoreConfig } from '../config/schema.js';
import { announce, newToken, startAdmin } from './admin.js';
import { validateInvalidation } from './invalidation.js';

export interface ClusterOptions {
  site: SiteModel;
  storeConfig: StoreConfig;
  /** The store's `location`, for edge.json. */
  storeLocation: string;
  workers: number;
  port?: number;
  host?: string;
  adminPort?: number;
  /** Total bytes across workers. */
  cacheSize?: number;
  /** Access-log file every worker appends to. */
  logFile?: string;
  /** Per-request lines on stdout of each worker (TTY). */
  tty?: boolean;
  announce?: boolean;
  listBucket?: boolean;
  lenientCompute?: boolean;
  /** Called when a worker dies and is replaced. */
  onWorkerExit?: (message: string) => void;
}

/** What the primary tells a worker (in `EDGESHIP_EDGE_WORKER`). */
export interface WorkerConfig {
  site: SiteModel;
  storeConfig: StoreConfig;
  port: number;
  host: string;
  cacheSize?: number;
  logFile?: string;
  tty?: boolean;
  listBucket?: boolean;
  lenientCompute?: boolean;
}

export type ToWorker = { type: 'invalidate'; id: number; paths: string[] };
export type FromWorker = { type: 'ready'; port: number } | { type: 'invalidated'; id: number; count: number } | { type: 'invalidate-failed'; id: number; error: string };

export const WORKER_ENV = 'EDGESHIP_EDGE_WORKER';

export interface RunningCluster {
  url: string;
  adminUrl: string;
  workers: number;
  invalidate(paths: string[]): Promise<number>;
  close(): Promise<void>;
}

function workerEntry(): { exec: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ext = path.extname(here);
  const exec = path.join(path.dirname(here), `worker${ext}`);
  // From sources (tests), the worker runs through jiti like the config loader does.
  return { exec, execArgv: ext === '.ts' ? ['--import', 'jiti/register'] : [] };
}

export async function startEdgeCluster(options: ClusterOptions): Promise<RunningCluster> {
  if (!cluster.isPrimary) throw new Error('startEdgeCluster runs in the primary process');
  const host = options.host ?? '127.0.0.1';
  const { exec, execArgv } = workerEntry();
  cluster.setupPrimary({ exec, execArgv, args: [], serialization: 'json', silent: false });
  const perWorker = options.cacheSize === undefined ? undefined : Math.max(1, Math.floor(options.cacheSize / options.workers));
  let closing = false;
  let nextId = 0;
  const pending = new Map<number, { left: Set<number>; count: number; resolve: (n: number) => void; reject: (e: Error) => void }>();
  const workers = new Set<Worker>();

  const spawn = (port: number): Promise<{ worker: Worker; port: number }> => {
    const config: WorkerConfig = { site: options.site, storeConfig: options.storeConfig, port, host, cacheSize: perWorker, logFile: options.logFile, tty: options.tty, listBucket: options.listBucket, lenientCompute: options.lenientCompute };
    const worker = cluster.fork({ [WORKER_ENV]: JSON.stringify(config) });
    workers.add(worker);
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'invalidated' || message.type === 'invalidate-failed') {
        const job = pending.get(message.id);
        if (!job) return;
        if (message.type === 'invalidate-failed') {
          pending.delete(message.id);
          job.reject(new Error(message.error));
          return;
        }
        job.count += message.count;
        job.left.delete(worker.id);
        if (job.left.size === 0) {
          pending.delete(message.id);
          job.resolve(job.count);
        }
      }
    });
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      // A dead worker owes no answer to pending invalidations (its cache died with it).
      for (const [id, job] of pending) {
        job.left.delete(worker.id);
        if (job.left.size === 0) {
          pending.delete(id);
          job.resolve(job.count);
        }
      }
      if (!closing) {
        options.onWorkerExit?.(`edge worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
        spawn(options.port ?? 0).catch(() => undefined);
      }
    });
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type === 'ready') {
          worker.off('message', onMessage);
          resolve({ worker, port: message.port });
        }
      };
      worker.on('message', onMessage);
      worker.once('exit', (code) => reject(new Error(`edge worker exited with ${code} before it was ready`)));
    });
  };

  const closeWorkers = async () => {
    closing = true;
    await Promise.all(
      [...workers].map(
        (w) =>
          new Promise<void>((resolve) => {
            w.once('exit', () => resolve());
            w.kill();
          }),
      ),
    );
  };

  let port: number;
  try {
    // Every worker listens with the same arguments, so the primary hands all of them one shared
    // handle (with port 0: one free port picked once).
    const listenPort = options.port ?? 0;
    const first = await spawn(listenPort);
    port = first.port;
    await Promise.all(Array.from({ length: options.workers - 1 }, () => spawn(listenPort)));
  } catch (error) {
    await closeWorkers();
    throw error;
  }

  const invalidate = (paths: string[]): Promise<number> => {
    validateInvalidation(paths);
    const id = ++nextId;
    const live = [...workers].filter((w) => w.isConnected());
    if (live.length === 0) return Promise.resolve(0);
    return new Promise<number>((resolve, reject) => {
      pending.set(id, { left: new Set(live.map((w) => w.id)), count: 0, resolve, reject });
      const message: ToWorker = { type: 'invalidate', id, paths };
      for (const w of live) w.send(message);
    });
  };

  const token = newToken();
  const admin = await startAdmin({ token, invalidate, port: options.adminPort });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const unannounce =
    options.announce === false ? () => undefined : announce(options.site.rootDir, { pid: process.pid, url, adminUrl: admin.url, storeLocation: options.storeLocation }, token);
  let closed: Promise<void> | undefined;
  return {
    url,
    adminUrl: admin.url,
    workers: options.workers,
    invalidate,
    close() {
      closed ??= (async () => {
        unannounce();
        await Promise.all([admin.close(), closeWorkers()]);
      })();
      return closed;
    },
  };
}
