#!/usr/bin/env node
// `npm run demo`: the whole loop on the example site, as far as edgeship goes today.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli/main.js');
if (!fs.existsSync(cli)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const dir = path.join(root, '.edgeship/demo');
fs.mkdirSync(dir, { recursive: true });
const run = (...args) => {
  console.log(`\n$ edgeship ${args.join(' ')}`);
  execFileSync(process.execPath, [cli, ...args], { cwd: dir, stdio: 'inherit' });
};
run('init', '--preset', 'nextjs-export', '--force');
run('explain');
run('explain', '/', '/about', '/images/hero.jpg', '/_next/static/chunks/main.js');
// A tiny build output, deployed to the embedded store twice: the second deploy changes nothing.
const out = path.join(dir, 'out');
const page = (title, asset) => `<!DOCTYPE html><html><head><title>${title}</title><script src="/${asset}"></script></head><body><img src="/images/hero.jpg" alt=""></body></html>`;
for (const [key, body] of [
  ['index.html', page('Home', '_next/static/chunks/main-3f2a9c1b7d4e6a80.js')],
  ['about/index.html', page('About', '_next/static/chunks/main-3f2a9c1b7d4e6a80.js')],
  ['_next/static/chunks/main-3f2a9c1b7d4e6a80.js', 'console.log("hello");'],
  ['images/hero.jpg', 'not really a jpeg'],
  ['.well-known/security.txt', 'Contact: mailto:security@example.com'],
]) {
  fs.mkdirSync(path.dirname(path.join(out, key)), { recursive: true });
  fs.writeFileSync(path.join(out, key), body);
}
run('deploy', '--dry-run');
run('deploy');
run('deploy');
console.log('\nThe local edge joins the demo as it lands.');
