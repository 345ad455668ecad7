import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How a build lays out its pages, and which URL form is canonical (from project detection). */
export interface UrlLayout {
  /** 'file': /about is about.html; 'directory': /about is about/index.html. */
  layout: 'file' | 'directory';
  /** The canonical page URL ends with a slash. */
  trailingSlash: boolean;
  /** Status of the redirect from the other slash form: 308 where the framework's server answers 308 (Next.js). */
  redirectStatus: 301 | 308;
  /** The URL path the site is served under, '' for the root (Next.js `basePath`, Astro `base`). */
  basePath: string;
  /** Who answers that way (the comment in the written function). */
  server: string;
  /** Why that form is canonical (the comment in the written function). */
  why: string;
}

/** Folder of the files `init` writes (shipped in the package). */
function templatesDir(): string {
  return fileURLToPath(new URL('../../../templates/', import.meta.url));
}

/** Deploy mode of the function: atomic sites read the deploy prefix from the KeyValueStore. */
export interface HandlerMode {
  atomic: boolean;
  /** Host under which previews are served (atomic only). */
  previewDomain?: string;
}

/**
 * The viewer-request function for a layout: one template, its constants filled in, and the
 * blocks of the other deploy mode (between `// atomic:begin` / `// in-place:begin` and their
 * `:end` lines) left out, so an in-place site's function never calls cf.kvs().
 */
export function renderUrlHandler(domain: string, aliases: string[], url: UrlLayout, mode: HandlerMode = { atomic: false }): string {
  const template = keepBlocks(fs.readFileSync(path.join(templatesDir(), 'url-handler.js'), 'utf8'), mode.atomic ? 'atomic' : 'in-place');
  const values: Record<string, string> = {
    __DOMAIN__: domain,
    __ALIASES__: `[${aliases.map((a) => `'${a}'`).join(', ')}]`,
    __LAYOUT__: url.layout,
    __TRAILING_SLASH__: String(url.trailingSlash),
    __WHY__: url.why,
    __STATUS__: String(url.redirectStatus),
    __SERVER__: url.server,
    __BASE_PATH__: url.basePath,
    __PREVIEW_DOMAIN__: mode.previewDomain ?? '',
  };
  return template.replace(/__[A-Z_]+__/g, (name) => values[name] ?? name);
}

const BLOCK = /^\/\/ (atomic|in-place):begin\n([\s\S]*?)^\/\/ \1:end\n/gm;

/** The template with the blocks of `mode` kept (their marker lines dropped) and the others removed. */
export function keepBlocks(template: string, mode: 'atomic' | 'in-place'): string {
  return template.replace(BLOCK, (_all, name: string, body: string) => (name === mode ? body : ''));
}
