#!/usr/bin/env node
// Builds the example site into out/, shaped like a Next.js `output: 'export'` build:
// content-hashed chunks under _next/static/, nested index.html pages, 404.html, robots.txt,
// sitemap.xml, and public/ (with its images) copied as is.
//
// Photos are generated once with sharp into public/images/ (no binary files in git).
// EXAMPLE_REVISION=<text> changes the about page and the main chunk, as an edit and rebuild would.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePhotos, writeFavicon } from './photos.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'out');
const ORIGIN = 'https://marketing.example.com';

const hash = (data, n = 16) => crypto.createHash('sha256').update(data).digest('hex').slice(0, n);
const read = (rel) => fs.readFileSync(path.join(here, rel), 'utf8');
const write = (rel, data) => {
  const file = path.join(out, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
};

export async function build({ revision = process.env.EXAMPLE_REVISION ?? '' } = {}) {
  await generatePhotos(path.join(here, 'public/images'));
  await writeFavicon(path.join(here, 'public/favicon.ico'));

  fs.rmSync(out, { recursive: true, force: true });
  fs.cpSync(path.join(here, 'public'), out, { recursive: true });

  const css = read('static/site.css');
  const framework = read('static/framework.js');
  const main = read('static/main.js') + (revision ? `\n// revision ${revision}\n` : '');
  const assets = {
    css: `/_next/static/css/${hash(css)}.css`,
    framework: `/_next/static/chunks/framework-${hash(framework)}.js`,
    main: `/_next/static/chunks/main-${hash(main)}.js`,
  };
  write(assets.css, css);
  write(assets.framework, framework);
  write(assets.main, main);
  const buildId = hash(css + framework + main, 21);
  write(`_next/static/${buildId}/_buildManifest.js`, `self.__BUILD_MANIFEST={"/":[],"/about":[],"/blog":[]};self.__BUILD_MANIFEST_CB&&self.__BUILD_MANIFEST_CB();\n`);
  write(`_next/static/${buildId}/_ssgManifest.js`, `self.__SSG_MANIFEST=new Set([]);self.__SSG_MANIFEST_CB&&self.__SSG_MANIFEST_CB();\n`);

  const layout = read('pages/layout.html');
  const page = (name, title, content) =>
    layout
      .replace('{{title}}', title)
      .replace('{{page}}', name)
      .replace('{{css}}', assets.css)
      .replace('{{framework}}', assets.framework)
      .replace('{{main}}', assets.main)
      .replace('{{content}}', content.trim());

  const posts = [
    { slug: 'first-light', title: 'First light on the ridge', image: 'ridge.jpg', alt: 'Sunrise over a rocky ridge', body: 'We left camp at four to catch the sun on the ridge. It was worth every cold minute.' },
    { slug: 'packing-list', title: 'A packing list that fits on a postcard', image: 'pack.jpg', alt: 'A packed trail bag', body: 'Shelter, water, warmth, food, light. Everything else is a luxury you carry.' },
    { slug: 'rain-gear', title: 'What rain gear is for', image: 'jacket.jpg', alt: 'A jacket in the rain', body: 'Rain gear is not for staying dry. It is for staying warm while wet.' },
  ];
  const about = read('pages/about.html') + (revision ? `<p class="revision">Updated: ${revision}</p>\n` : '');
  write('index.html', page('home', 'Home', read('pages/index.html')));
  write('about/index.html', page('about', 'About', about));
  write('blog/index.html', page('blog', 'Journal', read('pages/blog.html')));
  for (const p of posts) {
    const body = read('pages/post.html').replace('{{title}}', p.title).replace('{{image}}', p.image).replace('{{alt}}', p.alt).replace('{{body}}', p.body);
    write(`blog/${p.slug}/index.html`, page('post', p.title, body));
  }
  write('404.html', page('404', 'Not found', read('pages/404.html')));
  write('robots.txt', `User-agent: *\nAllow: /\nSitemap: ${ORIGIN}/sitemap.xml\n`);
  const urls = ['/', '/about/', '/blog/', ...posts.map((p) => `/blog/${p.slug}/`)];
  write(
    'sitemap.xml',
    `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.map((u) => `  <url><loc>${ORIGIN}${u}</loc></url>`).join('\n')}\n</urlset>\n`,
  );
  return { out, assets };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { out: dir } = await build();
  console.log(`built ${path.relative(process.cwd(), dir) || dir}`);
}
