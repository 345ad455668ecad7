import type { HtmlReport } from './html.js';
import type { ImagesReport } from './pipeline.js';
import { DEFAULT_SIZES } from './sizes.js';

/** `1234567` -> `1.2 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The human report of `edgeship images`; `optimizeOriginals` as configured (`images.optimizeOriginals`). */
export function formatImagesReport(r: ImagesReport, optimizeOriginals = true): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const formats = Object.entries(r.bytes.byFormat)
    .map(([format, bytes]) => `${format} ${formatBytes(bytes)}`)
    .join(', ');
  const lines = [
    `images    ${r.sources} source${r.sources === 1 ? '' : 's'}${leftAsIs(r)}, ${r.variants} variants${formats ? ` (${formats})` : ''}`,
    `work      ${r.encoded} encoded, ${r.fromCache} from cache, ${r.cacheHits} source${r.cacheHits === 1 ? '' : 's'} unchanged`,
    `bytes     ${formatBytes(r.bytes.before)} -> ${formatBytes(r.bytes.after)} at the largest width in the first format offered (saved ${pct(r.bytes.saving)}); originals ${formatBytes(r.bytes.originals)}, ${optimizeOriginals ? 'optimized in place' : 'left as they are'}`,
  ];
  if (r.html) lines.push(...htmlLines(r.html));
  lines.push(`manifest  ${r.manifest}`, `time      ${(r.durationMs / 1000).toFixed(2)} s`);
  if (r.failures.length > 0) {
    lines.push('', `${r.failures.length} image${r.failures.length === 1 ? '' : 's'} failed (the others were processed):`);
    for (const f of r.failures) lines.push(`  ${f.file}: ${f.reason} [${f.code}]`);
  }
  return lines.join('\n');
}

/** Images listed by name under `sizes`; the rest are counted. */
const LISTED = 10;

function htmlLines(h: HtmlReport): string[] {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [`html      ${h.images} <img> rewritten in ${h.changed} of ${plural(h.files, 'file')}; ${plural(h.priority, 'priority image')}, ${plural(h.preloads, 'preload')} made responsive`];
  if (h.defaultSizes.length > 0) {
    lines.push(`sizes     ${plural(h.defaultSizes.length, 'image')} with no sizes or width got sizes="${DEFAULT_SIZES}" (lazy ones "auto, ${DEFAULT_SIZES}"); add sizes to save bytes:`);
    for (const d of h.defaultSizes.slice(0, LISTED)) lines.push(`            ${d.file} ${d.src}`);
    if (h.defaultSizes.length > LISTED) lines.push(`            and ${h.defaultSizes.length - LISTED} more (--json lists them all)`);
  }
  return lines;
}

function leftAsIs(r: ImagesReport): string {
  const parts = [r.untouched ? `${r.untouched} SVG/ICO` : '', r.modern ? `${r.modern} AVIF/WebP` : ''].filter(Boolean);
  return parts.length > 0 ? ` (+${parts.join(', ')} left as is)` : '';
}
