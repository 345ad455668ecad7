/**
 * Read throughput of the fs store, the path the local edge takes on a cache miss
 * (`head`, then `get` and read the stream). Bounded: 1,000 objects of 4 KiB, ~1.5 s per case.
 *
 *   node_modules/.bin/jiti bench/store-fs-read.ts
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FsStore } from '../src/store/fs-store.js';
import { mapLimit } from '../src/store/concurrency.js';

const OBJECTS = 1000;
const SIZE = 4096;
const CONCURRENCY = 16;
const DURATION_MS = 1500;

async function measure(name: string, op: (i: number) => Promise<unknown>): Promise<void> {
  let done = 0;
  const end = performance.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = w; performance.now() < end; i += CONCURRENCY) {
        await op(i % OBJECTS);
        done++;
      }
    }),
  );
  console.log(`${name.padEnd(34)} ${Math.round(done / (DURATION_MS / 1000)).toString().padStart(7)} ops/s`);
}

const root = await mkdtemp(path.join(tmpdir(), 'edgeship-bench-'));
try {
  const store = new FsStore(path.join(root, 'store'), { fsync: false });
  const raw = path.join(root, 'raw');
  await mkdir(raw);
  const body = Buffer.alloc(SIZE, 'x');
  await mapLimit(Array.from({ length: OBJECTS }, (_, i) => i), 16, async (i) => {
    await store.put(`assets/${i}.css`, body, { contentType: 'text/css', cacheControl: 'public, max-age=31536000, immutable' });
    await writeFile(path.join(raw, `${i}.css`), body);
  });
  console.log(`fs store, ${OBJECTS} objects of ${SIZE} B, ${CONCURRENCY} in flight, Node ${process.version}`);
  await measure('readFile (baseline, no store)', (i) => readFile(path.join(raw, `${i}.css`)));
  await measure('head', (i) => store.head(`assets/${i}.css`));
  await measure('get + read body', async (i) => {
    const got = await store.get(`assets/${i}.css`);
    for await (const _ of got!.body);
  });
  await measure('get range 0-99 + read', async (i) => {
    const got = await store.get(`assets/${i}.css`, { range: { start: 0, end: 99 } });
    for await (const _ of got!.body);
  });
} finally {
  await rm(root, { recursive: true, force: true });
}
