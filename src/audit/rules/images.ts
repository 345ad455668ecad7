/** Raster images are offered in a modern format. */
import { urlPath } from '../classify.js';
import type { Finding, Rule } from '../types.js';

const RASTER = /\.(jpe?g|png|gif|bmp|tiff?)$/i;
const MODERN = /\.(avif|webp)$/i;
const MODERN_TYPES = new Set(['image/avif', 'image/webp']);

export const modernImages: Rule = {
  id: 'modern-images',
  severity: 'warning',
  title: 'raster images are offered as AVIF or WebP through <picture>/srcset',
  fix: 'run edgeship images: it writes AVIF and WebP variants and rewrites <img> to <picture>',
  check({ resources }) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const r of resources) {
      for (const img of r.page?.images ?? []) {
        const paths = img.candidates.map(safePath);
        if (!paths.some((p) => RASTER.test(p))) continue;
        if (paths.some((p) => MODERN.test(p)) || img.sourceTypes.some((t) => MODERN_TYPES.has(t))) continue;
        if (seen.has(img.src)) continue;
        seen.add(img.src);
        out.push({ rule: this.id, severity: this.severity, url: img.src, message: `<img> on ${r.url} offers no AVIF or WebP` });
      }
    }
    return out;
  },
};

function safePath(url: string): string {
  try {
    return urlPath(url);
  } catch {
    return url;
  }
}
