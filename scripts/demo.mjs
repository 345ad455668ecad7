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
console.log('\nThe demo shows the behavior table for now; deploy and the local edge join it as they land.');
