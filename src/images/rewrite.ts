import { parse, type DefaultTreeAdapterTypes as T } from 'parse5';
import { attr, readPage, type PageImage, type PagePreload } from './page.js';
import { loadingIntents, type ImageFacts, type LoadingIntent } from './priority.js';
import { chooseSizes } from './sizes.js';
import type { ImageManifest, ManifestEntry, ManifestVariant, OutputFormat } from './types.js';
import { MIME } from './types.js';

export interface RewriteResult {
  html: string;
  /** `<img>` elements rewritten. */
  rewritten: number;
  /** Rewritten images that are the page's priority image. */
  priority: number;
  /** `<link rel="preload" as="image">` elements rewritten to the responsive form, or removed. */
  preloads: number;
  /** `src` of each rewritten image whose `sizes` fell back to the default (nothing on the page said its width). */
  defaultSizes: string[];
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** What was written for one image: its preload must name the same files. */
interface Written {
  srcset: string;
  sizes: string;
  format: OutputFormat;
}

/**
 * Rewrites the managed images of a page for the browser to fetch each exactly once, early when
 * it matters, in a modern format (docs/images.md, "HTML rewrite"):
 * - each `<img src>` the manifest knows gets `srcset`/`sizes` and `width`/`height`; outside
 *   hydrated markup it becomes a `<picture>` with one `<source>` per modern format; inside it,
 *   it stays an `<img>` (see `page.ts`) with the WebP variants as its `srcset`;
 * - the loading intent (`priority.ts`): the priority image gets `fetchpriority="high"` and is
 *   never lazy; `loading="lazy"` is added only below the first viewport;
 * - a preload of a rewritten image gets the same `imagesrcset`/`imagesizes` and `type`, so the
 *   preload and the image are one request; a preload whose own `type` contradicts is removed.
 *
 * The output is the input with start tags spliced at their source offsets (parse5 locations):
 * every other byte, and each author attribute exactly as written, stays the same. Left alone:
 * images already inside `<picture>` (so a second run changes nothing), images with their own
 * `srcset`, external and `data:` URLs, `data-edgeship="skip"`, and images the manifest does not know.
 *
 * @param docPath path of the document in the site folder, e.g. `/blog/post.html`, to resolve relative URLs.
 * @param basePath the URL path the site is served under (`/docs`), '' for the root.
 */
export function rewriteHtml(html: string, docPath: string, manifest: ImageManifest, basePath = ''): RewriteResult {
  const keyOf: KeyOf = (url) => manifestKeyOf(url, `${basePath}${docPath}`, basePath);
  const result: RewriteResult = { html, rewritten: 0, priority: 0, preloads: 0, defaultSizes: [] };
  if (!/<img[\s/>]/i.test(html)) return result; // not a parse: a quick way out for pages without images
  const page = readPage(parse(html, { sourceCodeLocationInfo: true }));
  const preloaded = new Set(page.preloads.flatMap((p) => p.urls.map(keyOf).filter((k) => k !== undefined)));
  const intents = loadingIntents(page.images.map((image) => factsOf(image.el, keyOf, manifest, preloaded)));
  const edits: Edit[] = [];
  const written = new Map<string, Written>();
  page.images.forEach((image, i) => {
    const rewrite = rewriteImage(image, intents[i]!, html, keyOf, manifest);
    if (!rewrite) return;
    edits.push(rewrite.edit);
    result.rewritten += 1;
    if (intents[i]!.priority) result.priority += 1;
    if (rewrite.defaultSizes) result.defaultSizes.push(attr(image.el, 'src')!);
    if (rewrite.written && !written.has(rewrite.key)) written.set(rewrite.key, rewrite.written);
  });
  for (const preload of page.preloads) {
    const edit = preloadEdit(preload, html, keyOf, written);
    if (!edit) continue;
    edits.push(edit);
    result.preloads += 1;
  }
  if (edits.length === 0) return result;
  let out = '';
  let at = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    out += html.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return { ...result, html: out + html.slice(at) };
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The manifest key of an image URL on a page (the page's document path bound). */
type KeyOf = (url: string) => string | undefined;

/**
 * The manifest key of an `<img src>`, or undefined for external, data and unresolvable URLs.
 * Under a `basePath` (the URL path the site is served under) URLs carry it and keys do not: a
 * URL outside it is not the site's.
 */
export function manifestKeyOf(src: string, docPath: string, basePath = ''): string | undefined {
  const trimmed = src.trim();
  if (!trimmed || SCHEME.test(trimmed) || trimmed.startsWith('//')) return undefined;
  let pathname: string;
  try {
    pathname = new URL(trimmed, `http://site.invalid${docPath.startsWith('/') ? docPath : `/${docPath}`}`).pathname;
  } catch {
    return undefined;
  }
  if (basePath) {
    if (!pathname.startsWith(`${basePath}/`)) return undefined;
    pathname = pathname.slice(basePath.length);
  }
  return normalizeUrlPath(pathname);
}

/** One spelling per path: each segment decoded, then encoded as `encodeURIComponent` does. */
export function normalizeUrlPath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => {
      try {
        return encodeURIComponent(decodeURIComponent(segment));
      } catch {
        return segment;
      }
    })
    .join('/');
}

/** What the HTML (and, for managed images, the manifest) says about an image, for the loading intent. */
function factsOf(el: T.Element, keyOf: KeyOf, manifest: ImageManifest, preloaded: Set<string>): ImageFacts {
  const src = attr(el, 'src')?.trim() ?? '';
  const key = src ? keyOf(src) : undefined;
  const entry = key === undefined ? undefined : manifest.images[key];
  const [width, height] = [attr(el, 'width'), attr(el, 'height')].map((v) => (v !== undefined && /^\s*\d+\s*$/.test(v) ? Number(v) : undefined));
  let area: number | undefined;
  if (width !== undefined && height !== undefined) area = width * height;
  else if (entry && (width ?? height) !== undefined) area = width !== undefined ? (width * width * entry.height) / entry.width : (height! * height! * entry.width) / entry.height;
  else if (entry) area = entry.width * entry.height;
  const path = src.replace(/[?#].*$/, '').toLowerCase();
  return {
    loading: attr(el, 'loading'),
    fetchpriority: attr(el, 'fetchpriority'),
    preloaded: key !== undefined && preloaded.has(key),
    area,
    minor: (!src && attr(el, 'srcset') === undefined) || src.startsWith('data:') || path.endsWith('.svg'),
  };
}

/**
 * Which variants go where. In a `<picture>`: one `<source>` per modern format, the fallback's on
 * the `<img>`. In hydrated markup (no `<picture>`, see page.ts): the `<img>` takes the WebP
 * variants, which every current browser decodes, else the fallback's. `offered` is the format
 * a browser that supports it takes first: the one a preload names.
 */
function placeVariants(hydrated: boolean, entry: ManifestEntry, groups: Map<OutputFormat, ManifestVariant[]>): { sources: OutputFormat[]; img?: OutputFormat; offered?: OutputFormat } {
  const has = (format: OutputFormat | undefined) => (format !== undefined && groups.has(format) ? format : undefined);
  if (hydrated) {
    const img = has('webp') ?? has(entry.fallback);
    return { sources: [], img, offered: img };
  }
  const sources = [...groups.keys()].filter((format) => format !== entry.fallback);
  return { sources, img: has(entry.fallback), offered: sources[0] ?? has(entry.fallback) };
}

function rewriteImage(image: PageImage, intent: LoadingIntent, html: string, keyOf: KeyOf, manifest: ImageManifest): { edit: Edit; key: string; written?: Written; defaultSizes: boolean } | undefined {
  const img = image.el;
  const src = attr(img, 'src');
  if (image.inPicture || src === undefined || attr(img, 'data-edgeship') === 'skip' || attr(img, 'srcset') !== undefined) return undefined;
  const key = keyOf(src);
  const entry = key === undefined ? undefined : manifest.images[key];
  if (!entry || key === undefined) return undefined;

  // Variants sit beside the source: reuse the author's own URL up to the file name, so relative,
  // root-relative and prefixed URLs all keep working.
  const bare = src.trim().replace(/[?#].*$/, '');
  const prefix = bare.slice(0, bare.lastIndexOf('/') + 1);
  const groups = groupByFormat(entry);
  const srcset = (format: OutputFormat) => groups.get(format)!.map((v) => `${prefix}${v.url.slice(v.url.lastIndexOf('/') + 1)} ${v.width}w`).join(', ');
  const authorLoading = attr(img, 'loading');
  const addLazy = authorLoading === undefined && intent.belowFirstViewport;
  const { sizes, source } = chooseSizes({ sizes: attr(img, 'sizes'), width: attr(img, 'width') }, addLazy || authorLoading?.trim().toLowerCase() === 'lazy');
  const place = placeVariants(image.hydrated, entry, groups);

  const added: [string, string][] = [];
  if (place.img) added.push(['srcset', srcset(place.img)]);
  if (place.img && source !== 'author') added.push(['sizes', sizes]);
  added.push(...dimensions(img, entry));
  if (addLazy) added.push(['loading', 'lazy']);
  if (intent.priority && attr(img, 'fetchpriority') === undefined) added.push(['fetchpriority', 'high']);
  if (attr(img, 'decoding') === undefined) added.push(['decoding', 'async']);

  const loc = img.sourceCodeLocation!;
  const tag = withAttributes(html, loc, added);
  const sources = place.sources.map((format) => `<source type="${MIME[format]}" srcset="${escapeAttr(srcset(format))}" sizes="${escapeAttr(sizes)}">`);
  return {
    edit: { start: loc.startOffset, end: loc.endOffset, text: image.hydrated ? tag : `<picture>${sources.join('')}${tag}</picture>` },
    key,
    written: place.offered && { srcset: srcset(place.offered), sizes, format: place.offered },
    defaultSizes: source === 'default' && place.offered !== undefined,
  };
}

/**
 * The responsive form of a preload of a rewritten image: the same `imagesrcset`/`imagesizes`
 * as the image's first offered format, with that `type` (a browser without the format skips
 * the preload and takes the next `<source>`). `href` stays: browsers that support
 * `imagesrcset` ignore it, and React's client `preload()` (react-dom, which Next.js's Image
 * calls for `priority`) looks for `link[rel="preload"][as="image"][href="…"]` before adding a
 * preload of the original.
 */
function preloadEdit(preload: PagePreload, html: string, keyOf: KeyOf, written: Map<string, Written>): Edit | undefined {
  const el = preload.el;
  if (attr(el, 'imagesrcset') !== undefined) return undefined; // already responsive (the author's, or an earlier run's)
  const href = attr(el, 'href');
  const key = href === undefined ? undefined : keyOf(href);
  const image = key === undefined ? undefined : written.get(key);
  if (!image) return undefined;
  const loc = el.sourceCodeLocation!;
  const type = attr(el, 'type');
  // A preload typed for the original would fetch a file the page no longer shows.
  if (type !== undefined && type.trim().toLowerCase() !== MIME[image.format]) return { start: loc.startOffset, end: loc.endOffset, text: '' };
  const added: [string, string][] = [
    ['imagesrcset', image.srcset],
    ['imagesizes', image.sizes],
  ];
  if (type === undefined) added.push(['type', MIME[image.format]]);
  if (attr(el, 'fetchpriority') === undefined) added.push(['fetchpriority', 'high']);
  return { start: loc.startOffset, end: loc.endOffset, text: withAttributes(html, loc, added) };
}

/** The start tag as written, with attributes inserted after its last one, so `/>`, spacing and unquoted values stay intact. */
function withAttributes(html: string, loc: T.Element['sourceCodeLocation'] & object, added: [string, string][]): string {
  const tag = html.slice(loc.startOffset, loc.endOffset);
  const lastAttrEnd = Math.max(...Object.values(loc.attrs ?? {}).map((a) => a.endOffset));
  const cut = lastAttrEnd - loc.startOffset;
  const extra = added.map(([name, value]) => ` ${name}="${escapeAttr(value)}"`).join('');
  return `${tag.slice(0, cut)}${extra}${tag.slice(cut)}`;
}

function groupByFormat(entry: ManifestEntry): Map<OutputFormat, ManifestVariant[]> {
  const groups = new Map<OutputFormat, ManifestVariant[]>();
  for (const v of entry.variants) {
    if (!groups.has(v.format)) groups.set(v.format, []);
    groups.get(v.format)!.push(v);
  }
  return groups;
}

/** `width` and `height` to add: both from the manifest, or the missing one from the aspect ratio. */
function dimensions(img: T.Element, entry: ManifestEntry): [string, string][] {
  const width = attr(img, 'width');
  const height = attr(img, 'height');
  if (width !== undefined && height !== undefined) return [];
  if (width === undefined && height === undefined) return [['width', String(entry.width)], ['height', String(entry.height)]];
  const given = Number(width ?? height);
  if (!Number.isFinite(given) || given <= 0) return [];
  return width !== undefined
    ? [['height', String(Math.round((given * entry.height) / entry.width))]]
    : [['width', String(Math.round((given * entry.width) / entry.height))]];
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}
