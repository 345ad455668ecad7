/** Raster formats the pipeline reads (by sharp's detected format, not the file extension). */
export type SourceFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff';
/** Formats the pipeline writes. */
export type OutputFormat = 'avif' | 'webp' | 'jpeg' | 'png' | 'gif';

/** What the pipeline knows about a source after reading its header (no pixels decoded). */
export interface SourceInfo {
  format: SourceFormat;
  /** Displayed size: after the EXIF orientation is applied. */
  width: number;
  height: number;
  /** More than one frame (GIF or WebP animation). */
  animated: boolean;
  hasAlpha: boolean;
}

/** How each output is encoded: the options that change its bytes (and so its name). */
export interface EncodeOptions {
  quality: { avif: number; webp: number; jpeg: number; png: number };
  effort: { avif: number; webp: number };
}

/** One output file planned for a source. */
export interface VariantSpec {
  /** `'original'` is the source itself, optimized in place. */
  kind: 'variant' | 'original';
  format: OutputFormat;
  width: number;
  height: number;
  /** File name in the source's folder, e.g. `hero.3f9a2c1b0d4e.640.avif`, or the source's own name. */
  fileName: string;
  /** Cache key: a hash of the source bytes, the encode options and the encoder version. */
  key: string;
}

/** `manifest.json` in the images folder: source URL -> what was made of it. */
export interface ImageManifest {
  version: 1;
  images: Record<string, ManifestEntry>;
}

export interface ManifestEntry {
  width: number;
  height: number;
  format: SourceFormat;
  animated: boolean;
  /** Bytes of the original after optimization in place. */
  bytes: number;
  /** Ordered: configured formats first (in config order), the fallback last; widths ascending. */
  variants: ManifestVariant[];
  /** The format of the `<img>` fallback srcset; absent when the original itself is the fallback (animations). */
  fallback?: OutputFormat;
  /** A ThumbHash-rendered PNG data URL, when `placeholder` is on. */
  placeholder?: string;
}

export interface ManifestVariant {
  /** Root-relative URL path, percent-encoded. */
  url: string;
  width: number;
  height: number;
  format: OutputFormat;
  bytes: number;
}

export const MIME: Record<OutputFormat, string> = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
};
