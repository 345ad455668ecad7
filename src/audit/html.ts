/**
 * What a page references, read from its HTML with parse5 (never with patterns over the text):
 * links, scripts, stylesheets, icons, images and srcset candidates, and for each `<img>` what
 * `<picture>` offers around it.
 */
import { parse, type DefaultTreeAdapterTypes as T } from 'parse5';
import type { ImageUse, PageInfo } from './types.js';

type Ref = PageInfo['refs'][number];

/** `<link rel>` values whose `href` the browser loads, and what kind of reference each is. */
const LINK_RELS: Record<string, Ref['kind']> = {
  stylesheet: 'style',
  icon: 'image',
  'apple-touch-icon': 'image',
  preload: 'link',
  modulepreload: 'script',
  manifest: 'link',
};

export function parsePage(html: string, pageUrl: string): PageInfo {
  const document = parse(html);
  let base = pageUrl;
  const refs: Ref[] = [];
  const images: ImageUse[] = [];
  const resolve = (raw: string | undefined): string | undefined => resolveUrl(raw, base);

  walk(document, (el) => {
    switch (el.tagName) {
      case 'base': {
        const href = resolveUrl(attr(el, 'href'), pageUrl);
        if (href) base = href;
        break;
      }
      case 'a':
      case 'area':
        push(refs, resolve(attr(el, 'href')), 'link');
        break;
      case 'link': {
        const rels = (attr(el, 'rel') ?? '').toLowerCase().split(/\s+/);
        const as = (attr(el, 'as') ?? '').toLowerCase();
        for (const rel of rels) {
          let kind = LINK_RELS[rel];
          if (kind === undefined) continue;
          if (rel === 'preload') kind = as === 'script' ? 'script' : as === 'style' ? 'style' : as === 'image' ? 'image' : 'link';
          push(refs, resolve(attr(el, 'href')), kind);
          if (rel === 'preload' && as === 'image') for (const c of parseSrcset(attr(el, 'imagesrcset'))) push(refs, resolve(c), 'srcset');
          break;
        }
        break;
      }
      case 'script':
        push(refs, resolve(attr(el, 'src')), 'script');
        break;
      case 'source': {
        if (el.parentNode && 'tagName' in el.parentNode && el.parentNode.tagName === 'picture') {
          for (const c of parseSrcset(attr(el, 'srcset'))) push(refs, resolve(c), 'srcset');
        }
        break;
      }
      case 'img': {
        const src = resolve(attr(el, 'src'));
        push(refs, src, 'image');
        const own = parseSrcset(attr(el, 'srcset')).map(resolve).filter(isString);
        for (const c of own) push(refs, c, 'srcset');
        const picture = el.parentNode && 'tagName' in el.parentNode && el.parentNode.tagName === 'picture' ? el.parentNode : undefined;
        const sources = picture ? picture.childNodes.filter((n): n is T.Element => 'tagName' in n && n.tagName === 'source') : [];
        const fromSources = sources.flatMap((s) => parseSrcset(attr(s, 'srcset')).map(resolve).filter(isString));
        const first = src ?? own[0];
        if (first) {
          images.push({
            src: first,
            candidates: unique([...(src ? [src] : []), ...own, ...fromSources]),
            sourceTypes: sources.map((s) => (attr(s, 'type') ?? '').trim().toLowerCase()).filter(Boolean),
          });
        }
        break;
      }
    }
  });
  return { refs: dedupe(refs), images };
}

/**
 * Image candidate URLs of a `srcset` (HTML's "parse a srcset attribute": a URL runs to the next
 * white space; a comma ending it separates candidates; descriptors run to the next comma outside
 * parentheses).
 */
export function parseSrcset(value: string | undefined): string[] {
  if (!value) return [];
  const urls: string[] = [];
  let i = 0;
  const n = value.length;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
  while (i < n) {
    while (i < n && (isSpace(value[i]) || value[i] === ',')) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(value[i])) i++;
    let url = value.slice(start, i);
    let descriptors = true;
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
      descriptors = false;
    }
    if (url) urls.push(url);
    if (descriptors) {
      let depth = 0;
      while (i < n) {
        const c = value[i];
        if (c === '(') depth++;
        else if (c === ')') depth = Math.max(0, depth - 1);
        else if (c === ',' && depth === 0) break;
        i++;
      }
    }
  }
  return urls;
}

/** Absolute http(s) URL without its fragment, or `undefined` for `mailto:`, `data:`, `#top` and the like. */
export function resolveUrl(raw: string | undefined, base: string): string | undefined {
  const value = raw?.trim();
  if (!value || value.startsWith('#')) return undefined;
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  return url.href;
}

function walk(node: T.ParentNode, visit: (el: T.Element) => void): void {
  for (const child of node.childNodes) {
    if (!('tagName' in child)) continue;
    visit(child);
    // <template> content is inert until script clones it; its references are not loaded.
    if (child.tagName !== 'template') walk(child, visit);
  }
}

function attr(el: T.Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

function push(refs: Ref[], url: string | undefined, kind: Ref['kind']): void {
  if (url) refs.push({ url, kind });
}

function dedupe(refs: Ref[]): Ref[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.kind} ${r.url}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}
