#!/usr/bin/env node
// `npm run demo`: builds the example site, optimizes its images, deploys it to the embedded
// local store and serves it through the local edge on http://127.0.0.1:8080.
// Idempotent: a second run re-encodes no image and uploads nothing that did not change.
//
// DEMO_PORT changes the port; DEMO_EXIT_WHEN_READY=1 stops once the edge answers (used by the
// test that keeps this script working).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = path.join(root, 'examples/marketing');
const cli = path.join(root, 'dist/cli/main.js');
const port = Number(process.env.DEMO_PORT ?? 8080);
const url = `http://127.0.0.1:${port}`;

function step(title) {
  console.log(`\n== ${title}`);
}

function edgeship(...args) {
  console.log(`$ edgeship ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: example, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\nedgeship ${args[0]} failed (exit ${r.status}); the demo stops here.`);
    process.exit(r.status ?? 1);
  }
}

if (!fs.existsSync(cli)) {
  step('building edgeship');
  spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}

step('building the example site (examples/marketing -> out/)');
const { build } = await import(path.join(example, 'build.mjs'));
await build();

step('optimizing images');
edgeship('images');

step('deploying to the embedded local store');
edgeship('deploy', '--target', 'local');

step(`serving through the local edge on ${url}`);
const serve = spawn(process.execPath, [cli, 'serve', '--target', 'local', '--port', String(port), '--host', '127.0.0.1'], {
  cwd: example,
  stdio: ['ignore', 'inherit', 'inherit'],
});
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
    serve.kill('SIGTERM');
  });
}
serve.on('exit', (code) => {
  if (!stopping && code !== 0) console.error(`edgeship serve stopped (exit ${code}).`);
  process.exit(stopping ? 0 : (code ?? 1));
});

await waitForEdge();
console.log(`
The example site is live at ${url}

Try:
  curl -sI ${url}/about/ | grep -Ei '^(x-cache|cache-control|age|content-type)'   # run twice: Miss, then Hit
  (cd examples/marketing && npx edgeship explain /about/ /images/hero.jpg /_next/static/chunks/main.js)
  (cd examples/marketing && npx edgeship audit --target local)

Ctrl-C stops the edge.`);
if (process.env.DEMO_EXIT_WHEN_READY === '1') {
  stopping = true;
  serve.kill('SIGTERM');
}

async function waitForEdge() {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${url}/`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  console.error(`the local edge did not answer on ${url}`);
  serve.kill('SIGTERM');
  process.exit(1);
}
