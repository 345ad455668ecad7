import type { ImagesReport } from './pipeline.js';

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
    `images    ${r.sources} source${r.sources === 1 ? '' : 's'}${r.untouched ? ` (+${r.untouched} SVG/ICO left as is)` : ''}, ${r.variants} variants${formats ? ` (${formats})` : ''}`,
    `work      ${r.encoded} encoded, ${r.fromCache} from cache, ${r.cacheHits} source${r.cacheHits === 1 ? '' : 's'} unchanged`,
    `bytes     ${formatBytes(r.bytes.before)} -> ${formatBytes(r.bytes.after)} at the largest width in the first format offered (saved ${pct(r.bytes.saving)}); originals ${formatBytes(r.bytes.originals)}, ${optimizeOriginals ? 'optimized in place' : 'left as they are'}`,
  ];
  if (r.html) lines.push(`html      ${r.html.images} <img> rewritten in ${r.html.changed} of ${r.html.files} file${r.html.files === 1 ? '' : 's'}`);
  lines.push(`manifest  ${r.manifest}`, `time      ${(r.durationMs / 1000).toFixed(2)} s`);
  if (r.failures.length > 0) {
    lines.push('', `${r.failures.length} image${r.failures.length === 1 ? '' : 's'} failed (the others were processed):`);
    for (const f of r.failures) lines.push(`  ${f.file}: ${f.reason} [${f.code}]`);
  }
  return lines.join('\n');
}
