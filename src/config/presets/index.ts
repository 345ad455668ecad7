import type { EdgeshipConfig } from '../schema.js';
import { hashedFolder, images, notFound, pages, SECURITY_HEADERS, type Rule } from './rules.js';
import type { UrlLayout } from './url-handler.js';

export { SITE_CSP, SITE_CSP as NEXTJS_CSP } from './rules.js';
export type { UrlLayout } from './url-handler.js';

export const PRESET_NAMES = ['nextjs-export', 'astro', 'hugo', 'static'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface PresetOptions {
  /** Canonical host; `www.<domain>` is redirected to it. Default `example.com`. */
  domain?: string;
  /** The build folder, relative to the config. Default: the framework's own. */
  site?: string;
  /** The viewer-request function file, relative to the config. */
  urlHandler?: string;
  /** The site's page to answer a missing URL with; `null` when the build has none. Default `/404.html`. */
  notFoundPage?: string | null;
  /** How the build lays out pages (detection fills it in). */
  url?: Partial<UrlLayout>;
  /** Atomic deploys (`deploy.atomic`): the url-handler reads the deploy prefix from the KeyValueStore. Default false. */
  atomic?: boolean;
  /** Host under which previews are served (`deploy.previewDomain`, atomic mode only). */
  previewDomain?: string;
}

/** A preset: the table, with the comment each part is written with, and the url-handler's layout. */
export interface PresetSpec {
  name: PresetName;
  /** One line naming the build this preset is for (the config's first comment). */
  title: string;
  site: string;
  siteComment: string;
  domain: string;
  rules: Rule[];
  notFoundPage: string | null;
  url: UrlLayout;
  atomic: boolean;
  previewDomain?: string;
}

const FRAMEWORKS: Record<PresetName, { title: string; site: string; siteComment: string; hashed: (base: string) => Rule[]; hashedNames: boolean; url: UrlLayout }> = {
  'nextjs-export': {
    title: "a Next.js `output: 'export'` build",
    site: 'out',
    siteComment: 'The folder `next build` writes.',
    hashed: (base) => [hashedFolder(`${base}_next/static/*`, 'Next.js')],
    hashedNames: false,
    url: { layout: 'file', trailingSlash: false, redirectStatus: 308, basePath: '', server: 'Next.js', why: 'Next.js `trailingSlash: false`, its default' },
  },
  astro: {
    title: 'an Astro static build',
    site: 'dist',
    siteComment: 'The folder `astro build` writes.',
    hashed: (base) => [hashedFolder(`${base}_astro/*`, 'Astro')],
    hashedNames: false,
    url: { layout: 'directory', trailingSlash: true, redirectStatus: 301, basePath: '', server: 'static hosts', why: "Astro `build.format: 'directory'`, its default" },
  },
  hugo: {
    title: 'a Hugo site',
    site: 'public',
    siteComment: 'The folder `hugo` writes.',
    hashed: () => [],
    hashedNames: true,
    url: { layout: 'directory', trailingSlash: true, redirectStatus: 301, basePath: '', server: "Hugo's own server", why: 'Hugo pretty URLs, its default' },
  },
  static: {
    title: 'a folder of static files',
    site: 'public',
    siteComment: 'The folder of files to serve.',
    hashed: () => [],
    hashedNames: true,
    url: { layout: 'directory', trailingSlash: true, redirectStatus: 301, basePath: '', server: 'static hosts', why: 'the build writes page/index.html' },
  },
};

/** The preset for a framework and a project's detected layout. */
export function presetSpec(name: PresetName, options: PresetOptions = {}): PresetSpec {
  const f = FRAMEWORKS[name];
  const url = { ...f.url, ...options.url };
  const handler = options.urlHandler ?? 'edge/url-handler.js';
  // Under a base path the objects are stored under it too (`docs/_next/static/...`).
  const base = url.basePath ? `${url.basePath.slice(1)}/` : '';
  return {
    name,
    title: f.title,
    site: options.site ?? f.site,
    siteComment: f.siteComment,
    domain: options.domain ?? 'example.com',
    rules: [...f.hashed(base), images(`${base}images`), pages(handler, { hashedNames: f.hashedNames })],
    notFoundPage: options.notFoundPage === undefined ? `${url.basePath}/404.html` : options.notFoundPage,
    url,
    atomic: options.atomic ?? false,
    ...(options.atomic && options.previewDomain ? { previewDomain: options.previewDomain } : {}),
  };
}

/** The config a preset stands for (what `init` writes, as a value). */
export function presetConfig(spec: PresetSpec): EdgeshipConfig {
  return {
    site: spec.site,
    domain: spec.domain,
    aliases: [`www.${spec.domain}`],
    redirectToDomain: true,
    ...(spec.url.basePath ? { basePath: spec.url.basePath } : {}),
    behaviors: spec.rules.map((r) => r.behavior),
    headersPolicies: SECURITY_HEADERS,
    ...(spec.notFoundPage ? { errors: notFound(spec.notFoundPage) } : {}),
    deploy: { exclude: ['images/manifest.json'], ...(spec.atomic ? { atomic: true } : {}), ...(spec.previewDomain ? { previewDomain: spec.previewDomain } : {}) },
  };
}

/** The `nextjs-export` preset (Next.js `output: 'export'`, `trailingSlash: false` unless told). */
export function nextjsExport(options: PresetOptions = {}): EdgeshipConfig {
  return presetConfig(presetSpec('nextjs-export', options));
}

export function astro(options: PresetOptions = {}): EdgeshipConfig {
  return presetConfig(presetSpec('astro', options));
}

export function hugo(options: PresetOptions = {}): EdgeshipConfig {
  return presetConfig(presetSpec('hugo', options));
}

export function staticSite(options: PresetOptions = {}): EdgeshipConfig {
  return presetConfig(presetSpec('static', options));
}

export const PRESETS = { 'nextjs-export': nextjsExport, astro, hugo, static: staticSite } as const;
