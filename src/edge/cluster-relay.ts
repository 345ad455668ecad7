/**
 * Invalidations across the workers of `edgeship serve --workers N`: every live worker gets each
 * one, and the caller is answered with the total removed once all of them have applied it (a
 * worker that dies meanwhile owes no answer: its cache died with it).
 */
import type { Worker } from 'node:cluster';
import { validateInvalidation } from './invalidation.js';

/** What the primary tells a worker, and what a worker answers. */
export type ToWorker = { type: 'invalidate'; id: number; paths: string[] };
export type FromWorker = { type: 'ready'; port: number } | { type: 'invalidated'; id: number; count: number } | { type: 'invalidate-failed'; id: number; error: string };

interface Job {
  left: Set<number>;
  count: number;
  resolve: (n: number) => void;
  reject: (e: Error) => void;
}

export class InvalidationRelay {
  private nextId = 0;
  private readonly pending = new Map<number, Job>();

  /** Sends the paths to every live worker; resolves with the number of objects removed in all. */
  invalidate(paths: string[], workers: Iterable<Worker>): Promise<number> {
    validateInvalidation(paths);
    const id = ++this.nextId;
    const live = [...workers].filter((w) => w.isConnected());
    if (live.length === 0) return Promise.resolve(0);
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { left: new Set(live.map((w) => w.id)), count: 0, resolve, reject });
      const message: ToWorker = { type: 'invalidate', id, paths };
      for (const w of live) w.send(message);
    });
  }

  /** A worker's answer. */
  onMessage(worker: Worker, message: FromWorker): void {
    if (message.type !== 'invalidated' && message.type !== 'invalidate-failed') return;
    const job = this.pending.get(message.id);
    if (!job) return;
    if (message.type === 'invalidate-failed') {
      this.pending.delete(message.id);
      job.reject(new Error(message.error));
      return;
    }
    job.count += message.count;
    this.done(message.id, job, worker.id);
  }

  /** A worker exited: nothing more is awaited from it. */
  onExit(worker: Worker): void {
    for (const [id, job] of this.pending) this.done(id, job, worker.id);
  }

  private done(id: number, job: Job, workerId: number): void {
    job.left.delete(workerId);
    if (job.left.size === 0) {
      this.pending.delete(id);
      job.resolve(job.count);
    }
  }
}
