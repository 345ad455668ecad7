import { EdgeshipError, EXIT } from '../../errors.js';
import { presetSpec, type PresetName, type UrlLayout } from '../presets/index.js';
import { BUILD_FOLDERS, type ConfigFileFacts, type ProjectFacts } from './facts.js';
import { UNREAD, type Literal, type LiteralObject } from './literal.js';

/** What `init` found in a project and the preset and layout it chose, with one line per reason. */
export interface Detection {
  preset: PresetName;
  site: string;
  url: UrlLayout;
  /** The 404 page to answer missing URLs with; `null` when the build has none. */
  notFoundPage: string | null;
  /** What was found and why it matters, one line each. */
  facts: string[];
  /** What the user should know or do (a config value that could not be read, a build that disagrees). */
  notes: string[];
}

const NAMES: Record<PresetName, string> = { 'nextjs-export': 'Next.js', astro: 'Astro', hugo: 'Hugo', static: 'a static folder' };

/** Picks the preset and page layout for a project. Pure: everything it knows is in `facts`. */
export function detectProject(facts: ProjectFacts, forced?: PresetName): Detection {
  const found = frameworksIn(facts);
  if (!forced && found.length > 1) {
    throw new EdgeshipError('INIT_AMBIGUOUS', `found ${found.map((f) => `${NAMES[f.preset]} (${f.why})`).join(' and ')} in one folder`, {
      exitCode: EXIT.usage,
      hint: `pass the one to use: ${found.map((f) => `--preset ${f.preset}`).join(' or ')}`,
    });
  }
  const preset = forced ?? found[0]?.preset ?? 'static';
  const d: Detection = { preset, site: '', url: presetSpec(preset).url, notFoundPage: '/404.html', facts: [], notes: [] };
  if (forced) d.facts.push(`preset ${forced}: chosen with --preset`);
  else if (found[0]) d.facts.push(`${NAMES[preset]}: ${found[0].why}`);
  if (preset === 'nextjs-export') fromNext(facts, d);
  else if (preset === 'astro') fromAstro(facts, d);
  else if (preset === 'hugo') fromHugo(facts, d);
  else fromStatic(facts, d, !forced && found.length === 0);
  checkBuild(facts, d);
  return d;
}

function frameworksIn(facts: ProjectFacts): { preset: PresetName; why: string }[] {
  const out: { preset: PresetName; why: string }[] = [];
  const dep = (name: string) => facts.dependencies.includes(name);
  if (facts.next) out.push({ preset: 'nextjs-export', why: `${facts.next.file} exists` });
  else if (dep('next')) out.push({ preset: 'nextjs-export', why: 'package.json depends on next' });
  if (facts.astro) out.push({ preset: 'astro', why: `${facts.astro.file} exists` });
  else if (dep('astro')) out.push({ preset: 'astro', why: 'package.json depends on astro' });
  if (facts.hugo) out.push({ preset: 'hugo', why: `${facts.hugo.file} exists` });
  return out;
}

/** Next.js: https://nextjs.org/docs/app/guides/static-exports and the next.config.js reference. */
function fromNext(facts: ProjectFacts, d: Detection): void {
  const { values, file } = readable(facts.next, d, 'next.config.js');
  const output = values.output;
  if (output === 'export') d.facts.push(`${file}: output 'export' (a static export)`);
  else if (output === UNREAD) d.notes.push(`${file}: output is not a literal; edgeship assumes output: 'export'`);
  else d.notes.push(`${file} has no output: 'export': \`next build\` then writes no static site; add output: 'export' to it`);
  const distDir = values.distDir;
  // With output 'export', `distDir` is where the export goes (Next.js' hasCustomExportOutput).
  d.site = typeof distDir === 'string' && distDir !== '.next' ? clean(distDir) : 'out';
  d.facts.push(typeof distDir === 'string' ? `${file}: distDir '${distDir}', the export goes to ${d.site}/` : `the export goes to out/ (Next.js' default)`);
  const slash = values.trailingSlash;
  if (slash === true) setUrl(d, { layout: 'directory', trailingSlash: true, why: 'Next.js `trailingSlash: true`' }, `${file}: trailingSlash true, so pages are page/index.html at /page/`);
  else if (slash === UNREAD) layoutFromBuild(facts, d, `${file}: trailingSlash is not a literal`);
  else setUrl(d, { layout: 'file', trailingSlash: false }, `${file}: trailingSlash ${slash === false ? 'false' : 'unset (false)'}, so pages are page.html at /page`);
  basePath(values.basePath, file, 'basePath', d);
}

/** Astro: https://docs.astro.build/en/reference/configuration-reference/ (outDir, build.format, trailingSlash, base). */
function fromAstro(facts: ProjectFacts, d: Detection): void {
  const { values, file } = readable(facts.astro, d, 'astro.config.mjs');
  d.site = typeof values.outDir === 'string' ? clean(values.outDir) : 'dist';
  d.facts.push(typeof values.outDir === 'string' ? `${file}: outDir '${values.outDir}'` : 'the build goes to dist/ (Astro\'s default)');
  const build = typeof values.build === 'object' && values.build !== null ? (values.build as LiteralObject) : {};
  const format = build.format ?? 'directory';
  const slash = values.trailingSlash ?? 'ignore';
  if (format === 'file') setUrl(d, { layout: 'file', trailingSlash: slash === 'always', why: "Astro `build.format: 'file'`" }, `${file}: build.format 'file', so pages are page.html`);
  else if (format === 'directory') {
    const trailing = slash !== 'never';
    setUrl(d, { layout: 'directory', trailingSlash: trailing, why: `Astro \`build.format: 'directory'\`, \`trailingSlash: '${String(slash)}'\`` }, `${file}: build.format 'directory'${build.format ? '' : ' (default)'}, trailingSlash '${String(slash)}', so pages are page/index.html at /page${trailing ? '/' : ''}`);
  } else layoutFromBuild(facts, d, `${file}: build.format ${format === UNREAD ? 'is not a literal' : `'${String(format)}'`}`);
  basePath(values.base, file, 'base', d);
}

/** Hugo: https://gohugo.io/configuration/all/ (publishDir, uglyURLs, baseURL). */
function fromHugo(facts: ProjectFacts, d: Detection): void {
  const { values, file } = readable(facts.hugo, d, 'hugo.toml');
  d.site = typeof values.publishdir === 'string' ? clean(values.publishdir) : 'public';
  d.facts.push(typeof values.publishdir === 'string' ? `${file}: publishDir '${values.publishdir}'` : "the site goes to public/ (Hugo's default)");
  if (values.uglyurls === true) setUrl(d, { layout: 'file', trailingSlash: false, why: 'Hugo `uglyURLs: true`' }, `${file}: uglyURLs true, so pages are page.html`);
  else d.facts.push(`${file}: pretty URLs (Hugo's default), so pages are page/index.html at /page/`);
  if (typeof values.baseurl === 'string') {
    const pathname = /^[a-z]+:\/\/[^/]+(\/.*)?$/i.exec(values.baseurl)?.[1] ?? '';
    basePath(pathname.replace(/\/+$/, '') || undefined, file, 'baseURL', d);
  }
}

function fromStatic(facts: ProjectFacts, d: Detection, nothingFound: boolean): void {
  const folder = BUILD_FOLDERS.find((f) => facts.builds[f]?.includes('index.html')) ?? BUILD_FOLDERS.find((f) => (facts.builds[f]?.length ?? 0) > 0);
  d.site = folder ?? 'public';
  if (nothingFound) {
    d.notes.push(`no Next.js, Astro or Hugo config found (looked for next.config.*, astro.config.*, hugo.*/config.* beside content/, and next or astro in package.json): using the static preset`);
  }
  d.facts.push(folder ? `${folder}/ holds ${facts.builds[folder]!.length} HTML files` : `no folder of HTML found (looked in ${BUILD_FOLDERS.join(', ')}); site set to public/, change it to your build folder`);
  layoutFromBuild(facts, d, 'the layout is read from the files');
}

function readable(config: ConfigFileFacts | undefined, d: Detection, fallbackName: string): { values: LiteralObject; file: string } {
  if (config?.problem) d.notes.push(`${config.file} ${config.problem}; its defaults are assumed`);
  return { values: config?.values ?? {}, file: config?.file ?? fallbackName };
}

function setUrl(d: Detection, url: Partial<UrlLayout>, fact: string): void {
  d.url = { ...d.url, ...url };
  d.facts.push(fact);
}

/** Page layout read from a build's files (`about.html` vs `about/index.html`), when the config cannot say. */
function layoutFromBuild(facts: ProjectFacts, d: Detection, why: string): void {
  const counted = countLayout(facts.builds[d.site]);
  if (!counted) {
    d.notes.push(`${why}, and no build in ${d.site}/ to read the layout from: ${d.url.layout === 'file' ? 'page.html' : 'page/index.html'} assumed; run init again after a build`);
    return;
  }
  const layout = counted.directory >= counted.file ? 'directory' : 'file';
  setUrl(d, { layout, trailingSlash: layout === 'directory', why: `the build writes ${layout === 'file' ? 'page.html' : 'page/index.html'}` }, `${why}; ${d.site}/ has ${counted.file} page.html and ${counted.directory} page/index.html pages, so ${layout === 'file' ? '/page' : '/page/'} is canonical`);
}

export function countLayout(html: string[] | undefined): { file: number; directory: number } | undefined {
  if (!html) return undefined;
  let file = 0;
  let directory = 0;
  for (const p of html) {
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (name === 'index.html') {
      if (p !== 'index.html' && !p.startsWith('404/') && !p.startsWith('_')) directory++;
    } else if (!/^(404|500|200)\.html$/.test(name) && !name.startsWith('_')) file++;
  }
  return file + directory === 0 ? undefined : { file, directory };
}

/** Compares the chosen layout with a build that exists: a disagreement means a stale build or an unread config. */
function checkBuild(facts: ProjectFacts, d: Detection): void {
  const html = facts.builds[d.site];
  if (!html) {
    d.notes.push(`no build in ${d.site}/ yet: build the site before \`edgeship images\` and \`edgeship deploy\``);
    return;
  }
  d.notFoundPage = html.includes('404.html') ? `${d.url.basePath}/404.html` : null;
  if (!d.notFoundPage) d.notes.push(`${d.site}/ has no 404.html: missing URLs answer with CloudFront's own error; add a 404 page to the site`);
  const counted = countLayout(html);
  const observed = counted && (counted.directory >= counted.file ? 'directory' : 'file');
  if (observed && observed !== d.url.layout) {
    d.notes.push(`${d.site}/ holds ${d.url.layout === 'file' ? 'page/index.html' : 'page.html'} pages, but the config says ${d.url.layout === 'file' ? 'page.html' : 'page/index.html'}: rebuild, or the pages will answer 404`);
  }
}

function basePath(value: Literal | undefined, file: string, name: string, d: Detection): void {
  if (value === undefined || value === '' || value === '/') return;
  if (typeof value !== 'string') {
    d.notes.push(`${file}: ${name} is not a literal; the site is assumed at the root`);
    return;
  }
  const base = `/${value.replace(/^\/+|\/+$/g, '')}`;
  d.url = { ...d.url, basePath: base };
  d.facts.push(`${file}: ${name} '${value}', so pages are served under ${base}/`);
}

function clean(folder: string): string {
  return folder.replace(/^\.\/+/, '').replace(/\/+$/, '') || '.';
}

