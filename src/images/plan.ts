import { createHash } from 'node:crypto';
import type { EncodeOptions, OutputFormat, SourceFormat, SourceInfo, VariantSpec } from './types.js';

/** Hex characters of the content hash in a variant name (48 bits). */
export const NAME_HASH_LENGTH = 12;

/** `<name>.<hash>.<width>.<ext>`: what the pipeline writes beside a source. */
export const VARIANT_NAME = /^(.+)\.([0-9a-f]{8,16})\.(\d+)\.(avif|webp|jpe?g|png|gif)$/;

/**
 * Widths to make for a source: every configured width not larger than the source, plus the
 * source's own width when a configured width is larger (a 1600 px photo shown 1200 px wide
 * would otherwise get at most its 1080 variant, softer than the original it replaces). Never
 * upscales.
 */
export function targetWidths(sourceWidth: number, widths: readonly number[]): number[] {
  const unique = [...new Set(widths)];
  const fit = unique.filter((w) => w <= sourceWidth).sort((a, b) => a - b);
  return unique.some((w) => w > sourceWidth) && !fit.includes(sourceWidth) ? [...fit, sourceWidth] : fit;
}

/** What is made besides the modern formats (`images.fallback`, `images.optimizeOriginals`). */
export interface OutputChoice {
  /** `'original'`: browsers without the modern formats get the original itself, no resized copies. */
  fallback?: 'variants' | 'original';
  /** false: originals stay byte for byte as the build wrote them. */
  optimizeOriginals?: boolean;
}

/**
 * The format of the `<img>` fallback srcset: the source's own, except TIFF (which browsers do
 * not show: JPEG, or PNG when it has alpha). Animations have none: the original is the fallback,
 * because AVIF and JPEG encoders would turn the frames into a vertical filmstrip. None either
 * when the config chose the original as the fallback.
 */
export function fallbackFormat(info: SourceInfo, choice: OutputChoice = {}): OutputFormat | undefined {
  if (info.animated || choice.fallback === 'original') return undefined;
  if (info.format === 'tiff') return info.hasAlpha ? 'png' : 'jpeg';
  return info.format;
}

/** Output formats in the order the browser should consider them, the fallback last. */
export function outputFormats(info: SourceInfo, formats: readonly ('avif' | 'webp')[], choice: OutputChoice = {}): OutputFormat[] {
  if (info.animated) return formats.includes('webp') ? ['webp'] : [];
  const fallback = fallbackFormat(info, choice);
  const modern = [...new Set(formats)].filter((f) => f !== fallback);
  return fallback === undefined ? modern : [...modern, fallback];
}

/** Formats whose originals are re-encoded in place: lossless PNG, and JPEG kept only when smaller. */
export function optimizesOriginal(format: SourceFormat): boolean {
  return format === 'jpeg' || format === 'png';
}

const EXTENSION: Record<OutputFormat, string> = { avif: 'avif', webp: 'webp', jpeg: 'jpg', png: 'png', gif: 'gif' };

/** `hero.JPG` -> `{ stem: 'hero', ext: 'JPG' }`. */
export function splitName(fileName: string): { stem: string; ext: string } {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? { stem: fileName, ext: '' } : { stem: fileName.slice(0, dot), ext: fileName.slice(dot + 1) };
}

/** The extension of a variant: the source's own spelling for the source's format (`.jpeg` stays `.jpeg`). */
export function variantExtension(format: OutputFormat, sourceFormat: SourceFormat, sourceExt: string): string {
  const lower = sourceExt.toLowerCase();
  if (format === sourceFormat && VARIANT_NAME.test(`x.00000000.1.${lower}`)) return lower;
  return EXTENSION[format];
}

/** The settings that change an output's bytes, as one string (part of its cache key). */
export function encodeSettings(format: OutputFormat, options: EncodeOptions): string {
  switch (format) {
    case 'avif':
      return `q${options.quality.avif}e${options.effort.avif}`;
    case 'webp':
      return `q${options.quality.webp}e${options.effort.webp}`;
    case 'jpeg':
      return `q${options.quality.jpeg}`;
    case 'png':
      return `q${options.quality.png}`;
    case 'gif':
      return '';
  }
}

/** The cache key of one output: a hash of the source bytes' hash, what is made, how, and by which encoder. */
export function outputKey(sourceHash: string, kind: VariantSpec['kind'], format: OutputFormat, width: number, settings: string, encoderVersion: string): string {
  return createHash('sha256').update(['edgeship-images/1', sourceHash, kind, format, width, settings, encoderVersion].join('\0')).digest('hex');
}

/**
 * Every output of a source: the variants (configured formats, then the fallback; widths
 * ascending) and the optimized original. Pure: the same inputs always give the same names.
 */
export function planOutputs(fileName: string, sourceHash: string, info: SourceInfo, options: EncodeOptions & OutputChoice & { widths: readonly number[]; formats: readonly ('avif' | 'webp')[] }, encoderVersion: string): VariantSpec[] {
  const { stem, ext } = splitName(fileName);
  const widths = targetWidths(info.width, options.widths);
  const specs: VariantSpec[] = [];
  for (const format of outputFormats(info, options.formats, options)) {
    const settings = encodeSettings(format, options);
    for (const width of widths) {
      const key = outputKey(sourceHash, 'variant', format, width, settings, encoderVersion);
      specs.push({
        kind: 'variant',
        format,
        width,
        height: Math.max(1, Math.round((width * info.height) / info.width)),
        fileName: `${stem}.${key.slice(0, NAME_HASH_LENGTH)}.${width}.${variantExtension(format, info.format, ext)}`,
        key,
      });
    }
  }
  if (options.optimizeOriginals !== false && optimizesOriginal(info.format)) {
    const format = info.format as OutputFormat;
    specs.push({
      kind: 'original',
      format,
      width: info.width,
      height: info.height,
      fileName,
      key: outputKey(sourceHash, 'original', format, info.width, encodeSettings(format, options), encoderVersion),
    });
  }
  return specs;
}
