/**
 * Cost of one CloudFront Functions invocation in the local runtime: the url-handler template
 * `edgeship init` writes, run on a viewer request, event built and request applied back.
 *
 *   npx jiti bench/functions.ts [iterations=5000]
 *
 * Bounded: a fixed number of iterations (and a 20 s wall-clock stop).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { presetFiles } from '../src/cli/init.js';
import { applyCfRequest, loadEdgeFunction, viewerRequestEvent } from '../src/edge/functions/index.js';

const iterations = Number(process.argv[2] ?? 5_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-bench-'));
const file = path.join(dir, 'url-handler.js');
fs.writeFileSync(file, presetFiles('nextjs-export', 'example.com')['edge/url-handler.js'] as string);

const rawHeaders = ['Host', 'example.com', 'User-Agent', 'bench', 'Accept', 'text/html', 'Accept-Encoding', 'gzip, br', 'Cookie', 'a=1; b=2'];

async function measure(label: string, timeLimitMs: number | undefined) {
  const fn = await loadEdgeFunction(file, { timeLimitMs });
  const started = performance.now();
  const stopAt = started + 20_000;
  let done = 0;
  for (; done < iterations && performance.now() < stopAt; done++) {
    const event = viewerRequestEvent({ method: 'GET', url: `/docs/page-${done % 50}?x=${done}`, rawHeaders }, { ip: '127.0.0.1', requestId: String(done) });
    const result = await fn.runViewerRequest(event);
    if ('request' in result) applyCfRequest(event, result.request);
  }
  const ms = performance.now() - started;
  console.log(`${label.padEnd(34)} ${done} runs  ${((ms * 1000) / done).toFixed(1)} µs/run  ${Math.round((done * 1000) / ms)} runs/s`);
}

console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${os.loadavg()[0]?.toFixed(2)} load`);
await measure('url-handler.js, time limit 50 ms', 50);
await measure('url-handler.js, no time limit', 0);
fs.rmSync(dir, { recursive: true, force: true });
