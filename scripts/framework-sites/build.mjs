// Builds the real framework sites the tests run against, with the frameworks' own tools, and
// copies each project's config and build output to test/fixtures/sites/<name>/.
//
//   cd scripts/framework-sites && npm ci && node build.mjs
//
// Next.js and Astro come from the npm registry at the versions pinned in package.json here
// (kept out of edgeship's own dependencies: the builds are committed, the suite does not pay
// for them). Hugo's source is committed as is and built by the tests with Debian's `hugo`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePhoto } from '../../examples/marketing/photos.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../test/fixtures/sites');
const versions = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8')).dependencies;
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ASTRO_TELEMETRY_DISABLED: '1' };

// Photo-like images, small enough to commit; the hero is the page's Largest Contentful Paint.
const photos = {
  hero: { width: 1600, height: 1067, seed: 4, hue: [90, 110, 60], quality: 85 },
  pack: { width: 1200, height: 800, seed: 2, hue: [120, 80, 50], quality: 85 },
  ridge: { width: 1200, height: 800, seed: 5, hue: [150, 90, 60], quality: 85 },
  tent: { width: 800, height: 600, seed: 6, hue: [200, 120, 40], alpha: true },
};
const images = [
  ['next/public/images/team.jpg', photos.hero],
  ['next/public/images/pack.jpg', photos.pack],
  ['next/public/images/ridge.jpg', photos.ridge],
  ['next/public/images/tent.png', photos.tent],
  ['astro/src/assets/hero.jpg', photos.hero],
  ['astro/public/images/pack.jpg', photos.pack],
  [path.join(fixtures, 'hugo/content/hero.jpg'), photos.hero],
  [path.join(fixtures, 'hugo/static/images/pack.jpg'), photos.pack],
];

function run(cmd, args, cwd, extraEnv = {}) {
  console.log(`$ ${cmd} ${args.join(' ')}  (in ${path.relative(here, cwd) || '.'})`);
  execFileSync(cmd, args, { cwd, env: { ...env, ...extraEnv }, stdio: 'inherit' });
}

function copyProject(name, files, buildDir, from) {
  const dest = path.join(fixtures, name);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  for (const [rel, text] of Object.entries(files)) fs.writeFileSync(path.join(dest, rel), text);
  fs.cpSync(path.join(from, buildDir), path.join(dest, buildDir), { recursive: true });
  console.log(`wrote ${path.relative(process.cwd(), dest)}`);
}

function packageJson(name, build, deps) {
  const dependencies = Object.fromEntries(deps.map((d) => [d, versions[d]]));
  return `${JSON.stringify({ name, private: true, scripts: { build }, dependencies }, null, 2)}\n`;
}

for (const [file, spec] of images) await writePhoto(path.resolve(here, file), spec);

// Next.js 16 `output: 'export'`, with its default `trailingSlash: false` and with `true`.
const nextDir = path.join(here, 'next');
// `node build.mjs next-basepath` builds only the sites named.
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

for (const [name, extra, basePath] of [['next-default', ''], ['next-trailing', '\n  trailingSlash: true,'], ['next-basepath', "\n  basePath: '/docs',", '/docs']]) {
  if (!wanted(name)) continue;
  const config = `/** @type {import('next').NextConfig} */\nexport default {\n  output: 'export',\n  images: { unoptimized: true },${extra}\n};\n`;
  fs.writeFileSync(path.join(nextDir, 'next.config.mjs'), config);
  fs.rmSync(path.join(nextDir, 'out'), { recursive: true, force: true });
  fs.rmSync(path.join(nextDir, '.next'), { recursive: true, force: true });
  run(process.execPath, [path.join(here, 'node_modules/next/dist/bin/next'), 'build'], nextDir, { NEXT_PUBLIC_BASE_PATH: basePath ?? '' });
  copyProject(name, { 'next.config.mjs': config, 'package.json': packageJson(name, 'next build', ['next', 'react', 'react-dom']) }, 'out', nextDir);
}

// Astro 5 with its defaults (build.format 'directory', outDir 'dist'), an astro:assets image.
const astroDir = path.join(here, 'astro');
if (wanted('astro')) {
  fs.rmSync(path.join(astroDir, 'dist'), { recursive: true, force: true });
  run(process.execPath, [path.join(here, 'node_modules/astro/astro.js'), 'build'], astroDir);
  copyProject(
    'astro',
    { 'astro.config.mjs': fs.readFileSync(path.join(astroDir, 'astro.config.mjs'), 'utf8'), 'package.json': packageJson('astro-site', 'astro build', ['astro']) },
    'dist',
    astroDir,
  );
}
