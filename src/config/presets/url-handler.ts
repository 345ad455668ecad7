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

/** The viewer-request function for a layout: one template, its constants filled in. */
export function renderUrlHandler(domain: string, aliases: string[], url: UrlLayout): string {
  const template = fs.readFileSync(path.join(templatesDir(), 'url-handler.js'), 'utf8');
  const values: Record<string, string> = {
    __DOMAIN__: domain,
    __ALIASES__: `[${aliases.map((a) => `'${a}'`).join(', ')}]`,
    __LAYOUT__: url.layout,
    __TRAILING_SLASH__: String(url.trailingSlash),
    __WHY__: url.why,
    __STATUS__: String(url.redirectStatus),
    __SERVER__: url.server,
    __BASE_PATH__: url.basePath,
  };
  return template.replace(/__[A-Z_]+__/g, (name) => values[name] ?? name);
}
