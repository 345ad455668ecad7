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
import { InvalidationRelay, type FromWorker } from './cluster-relay.js';

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

export type { FromWorker, ToWorker } from './cluster-relay.js';

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

/** The worker processes: started with the shared port, replaced when one dies, stopped on close. */
class WorkerPool {
  readonly workers = new Set<Worker>();
  private closing = false;

  constructor(
    private readonly options: ClusterOptions,
    private readonly config: Omit<WorkerConfig, 'port'>,
    private readonly relay: InvalidationRelay,
  ) {}

  /** Starts one worker listening on `port`; resolves with the port it listens on. */
  spawn(port: number): Promise<{ worker: Worker; port: number }> {
    const worker = cluster.fork({ [WORKER_ENV]: JSON.stringify({ ...this.config, port } satisfies WorkerConfig) });
    this.workers.add(worker);
    worker.on('message', (message: FromWorker) => this.relay.onMessage(worker, message));
    worker.on('exit', (code, signal) => {
      this.workers.delete(worker);
      this.relay.onExit(worker);
      if (this.closing) return;
      this.options.onWorkerExit?.(`edge worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
      this.spawn(this.options.port ?? 0).catch(() => undefined);
    });
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type !== 'ready') return;
        worker.off('message', onMessage);
        resolve({ worker, port: message.port });
      };
      worker.on('message', onMessage);
      worker.once('exit', (code) => reject(new Error(`edge worker exited with ${code} before it was ready`)));
    });
  }

  /**
   * Starts every worker. They listen with the same arguments, so the primary hands all of them
   * one shared handle (with port 0: one free port picked once). Resolves with that port.
   */
  async start(count: number): Promise<number> {
    const listenPort = this.options.port ?? 0;
    try {
      const first = await this.spawn(listenPort);
      await Promise.all(Array.from({ length: count - 1 }, () => this.spawn(listenPort)));
      return first.port;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.workers].map((w) => new Promise<void>((resolve) => (w.once('exit', () => resolve()), w.kill()))));
  }
}

export async function startEdgeCluster(options: ClusterOptions): Promise<RunningCluster> {
  if (!cluster.isPrimary) throw new Error('startEdgeCluster runs in the primary process');
  const host = options.host ?? '127.0.0.1';
  const { exec, execArgv } = workerEntry();
  cluster.setupPrimary({ exec, execArgv, args: [], serialization: 'json', silent: false });
  const cacheSize = options.cacheSize === undefined ? undefined : Math.max(1, Math.floor(options.cacheSize / options.workers));
  const { site, storeConfig, logFile, tty, listBucket, lenientCompute } = options;
  const relay = new InvalidationRelay();
  const pool = new WorkerPool(options, { site, storeConfig, host, cacheSize, logFile, tty, listBucket, lenientCompute }, relay);
  const port = await pool.start(options.workers);

  const invalidate = (paths: string[]) => relay.invalidate(paths, pool.workers);
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
        await Promise.all([admin.close(), pool.close()]);
      })();
      return closed;
    },
  };
}
