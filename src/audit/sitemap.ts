/**
 * `<loc>` entries of a sitemap or sitemap index (sitemaps.org protocol), read with parse5: its
 * HTML tree builder keeps unknown elements such as `<urlset>`, `<url>` and `<loc>` as they are.
 */
import { parse, type DefaultTreeAdapterTypes as T } from 'parse5';

export interface SitemapEntries {
  /** `<url><loc>`: pages. */
  pages: string[];
  /** `<sitemap><loc>`: further sitemaps (a sitemap index). */
  sitemaps: string[];
}

export function parseSitemap(xml: string): SitemapEntries {
  const out: SitemapEntries = { pages: [], sitemaps: [] };
  const visit = (node: T.ParentNode, parent: string | undefined): void => {
    for (const child of node.childNodes) {
      if (!('tagName' in child)) continue;
      if (child.tagName === 'loc') {
        const text = textOf(child).trim();
        if (text && parent === 'url') out.pages.push(text);
        else if (text && parent === 'sitemap') out.sitemaps.push(text);
      } else visit(child, child.tagName);
    }
  };
  visit(parse(xml), undefined);
  return out;
}

function textOf(node: T.ParentNode): string {
  return node.childNodes.map((c) => (c.nodeName === '#text' ? (c as T.TextNode).value : 'childNodes' in c ? textOf(c) : '')).join('');
}
