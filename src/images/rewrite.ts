import { parse, type DefaultTreeAdapterTypes as T } from 'parse5';
import type { ImageManifest, ManifestEntry, ManifestVariant } from './types.js';
import { MIME } from './types.js';

export interface RewriteResult {
  html: string;
  /** `<img>` elements turned into `<picture>`. */
  rewritten: number;
}

/**
 * Turns each `<img src>` that points at a managed image into a `<picture>`: one `<source>` per
 * modern format, then the `<img>` with the fallback `srcset`, `sizes`, `width`/`height` (no
 * layout shift), `loading="lazy"` and `decoding="async"` unless the author set them.
 *
 * The document is parsed (parse5) only to find the elements; the output is the input with each
 * `<img>` start tag spliced at its source offsets, so every other byte, and each kept
 * attribute exactly as written, stays the same. Left alone: images already inside `<picture>`
 * (so a second run changes nothing), images with their own `srcset`, external and `data:` URLs,
 * `data-edgeship="skip"`, and images the manifest does not know.
 *
 * @param docPath URL path of the document, e.g. `/blog/post.html`, to resolve relative `src`.
 */
export function rewriteHtml(html: string, docPath: string, manifest: ImageManifest): RewriteResult {
  if (!/<img[\s/>]/i.test(html)) return { html, rewritten: 0 }; // not a parse: a quick way out for pages without images
  const document = parse(html, { sourceCodeLocationInfo: true });
  const edits: { start: number; end: number; text: string }[] = [];
  walk(document, (img) => {
    const text = pictureFor(img, html, docPath, manifest);
    const loc = img.sourceCodeLocation!;
    if (text !== undefined) edits.push({ start: loc.startOffset, end: loc.endOffset, text });
  });
  if (edits.length === 0) return { html, rewritten: 0 };
  let out = '';
  let at = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    out += html.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return { html: out + html.slice(at), rewritten: edits.length };
}

function walk(node: T.ParentNode, visit: (img: T.Element) => void): void {
  for (const child of node.childNodes) {
    if (!('tagName' in child)) continue;
    if (child.tagName === 'picture') continue; // the author's (or an earlier run's) own choice
    if (child.tagName === 'img' && child.sourceCodeLocation?.startTag) visit(child);
    // <template> content lives in `content`, not `childNodes`: not walked, left as written.
    walk(child, visit);
  }
}

function attr(el: T.Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The manifest key of an `<img src>`, or undefined for external, data and unresolvable URLs. */
export function manifestKeyOf(src: string, docPath: string): string | undefined {
  const trimmed = src.trim();
  if (!trimmed || SCHEME.test(trimmed) || trimmed.startsWith('//')) return undefined;
  let pathname: string;
  try {
    pathname = new URL(trimmed, `http://site.invalid${docPath.startsWith('/') ? docPath : `/${docPath}`}`).pathname;
  } catch {
    return undefined;
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

function pictureFor(img: T.Element, html: string, docPath: string, manifest: ImageManifest): string | undefined {
  const src = attr(img, 'src');
  if (src === undefined || attr(img, 'data-edgeship') === 'skip' || attr(img, 'srcset') !== undefined) return undefined;
  const key = manifestKeyOf(src, docPath);
  const entry = key === undefined ? undefined : manifest.images[key];
  if (!entry) return undefined;

  // Variants sit beside the source: reuse the author's own URL up to the file name, so relative,
  // root-relative and prefixed URLs all keep working.
  const bare = src.trim().replace(/[?#].*$/, '');
  const prefix = bare.slice(0, bare.lastIndexOf('/') + 1);
  const srcset = (variants: ManifestVariant[]) => variants.map((v) => `${prefix}${v.url.slice(v.url.lastIndexOf('/') + 1)} ${v.width}w`).join(', ');
  const sizes = attr(img, 'sizes') ?? defaultSizes(attr(img, 'width'));

  const sources: string[] = [];
  for (const [format, variants] of groupByFormat(entry)) {
    if (format === entry.fallback) continue;
    sources.push(`<source type="${MIME[format]}" srcset="${escapeAttr(srcset(variants))}" sizes="${escapeAttr(sizes)}">`);
  }
  const added: [string, string][] = [];
  const fallback = entry.fallback ? entry.variants.filter((v) => v.format === entry.fallback) : [];
  if (fallback.length > 0) {
    added.push(['srcset', srcset(fallback)]);
    if (attr(img, 'sizes') === undefined) added.push(['sizes', sizes]);
  }
  added.push(...dimensions(img, entry));
  if (attr(img, 'loading') === undefined) added.push(['loading', 'lazy']);
  if (attr(img, 'decoding') === undefined) added.push(['decoding', 'async']);

  const loc = img.sourceCodeLocation!;
  const tag = html.slice(loc.startOffset, loc.endOffset);
  // Insert after the last attribute as written, so `/>`, spacing and unquoted values stay intact.
  const lastAttrEnd = Math.max(...Object.values(loc.attrs ?? {}).map((a) => a.endOffset));
  const cut = lastAttrEnd - loc.startOffset;
  const extra = added.map(([name, value]) => ` ${name}="${escapeAttr(value)}"`).join('');
  return `<picture>${sources.join('')}${tag.slice(0, cut)}${extra}${tag.slice(cut)}</picture>`;
}

function groupByFormat(entry: ManifestEntry): Map<ManifestVariant['format'], ManifestVariant[]> {
  const groups = new Map<ManifestVariant['format'], ManifestVariant[]>();
  for (const v of entry.variants) {
    if (!groups.has(v.format)) groups.set(v.format, []);
    groups.get(v.format)!.push(v);
  }
  return groups;
}

/** Without `sizes`, a width the author gave is the most the image is shown at; otherwise the viewport width. */
export function defaultSizes(width: string | undefined): string {
  const w = width !== undefined && /^\s*\d+\s*$/.test(width) ? Number(width) : undefined;
  return w ? `(max-width: ${w}px) 100vw, ${w}px` : '100vw';
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
