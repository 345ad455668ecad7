import { Worker } from 'node:worker_threads';

/** Below this many bytes to hash, the main thread hashes in slices: a thread costs ~30 ms to start. */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024;
/** Files per message; two batches are in flight so the thread never waits for work. */
const BATCH = 32;

// Plain CommonJS, evaluated by the thread: no file to find from sources or from dist.
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
parentPort.on('message', ({ start, paths }) => {
  const md5s = [];
  for (const p of paths) {
    try {
      md5s.push(createHash('md5').update(fs.readFileSync(p)).digest('hex'));
    } catch (error) {
      parentPort.postMessage({ error: { message: error.message, code: error.code, path: p } });
      return;
    }
  }
  parentPort.postMessage({ start, md5s });
});
`;

type Answer = { start: number; md5s: string[] } | { error: { message: string; code?: string; path: string } };

/**
 * MD5s of small files, read whole on a worker thread: a rebuild hashes every file, and on the
 * main thread that competes with reading the store's listing. `onHash` gets each file's index
 * in `paths`. Rejects with the first file that cannot be read (message and code as fs gives them).
 */
export async function hashFilesInWorker(paths: readonly string[], onHash: (index: number, md5: string) => void): Promise<void> {
  if (paths.length === 0) return;
  const worker = new Worker(SOURCE, { eval: true });
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let inFlight = 0;
      const send = () => {
        if (next >= paths.length) {
          if (inFlight === 0) resolve();
          return;
        }
        const start = next;
        next = Math.min(paths.length, next + BATCH);
        inFlight++;
        worker.postMessage({ start, paths: paths.slice(start, next) });
      };
      worker.on('message', (answer: Answer) => {
        if ('error' in answer) {
          reject(Object.assign(new Error(answer.error.message), { code: answer.error.code, path: answer.error.path }));
          return;
        }
        inFlight--;
        answer.md5s.forEach((md5, j) => onHash(answer.start + j, md5));
        send();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the hashing thread stopped early (exit code ${code})`)));
      send();
      send();
    });
  } finally {
    await worker.terminate();
  }
}
