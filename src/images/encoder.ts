import sharp from 'sharp';
import { rgbaToThumbHash, thumbHashToDataURL } from 'thumbhash';
import { classifySharpError, ImageError } from './errors.js';
import type { EncodeOptions, SourceFormat, SourceInfo, VariantSpec } from './types.js';

/**
 * Decoded sources larger than this are not held as raw pixels: each output is then decoded
 * from the file (libvips streams it and shrinks JPEGs on load), trading CPU for bounded memory.
 * 128 MiB is a 42 MP RGB or 32 MP RGBA photo.
 */
export const RAW_LIMIT_BYTES = 128 * 1024 * 1024;

/** Bumped whenever how this file encodes changes (kernels, encoder settings), so caches re-encode. */
const ENCODING_REVISION = 3;

/** The sharp and libvips versions and the encoding revision: part of every cache key, so an upgrade re-encodes. */
export const ENCODER_VERSION = `edgeship-images ${ENCODING_REVISION} sharp ${sharp.versions.sharp} vips ${sharp.versions.vips}`;

/** One encoded output as written. */
export interface Encoded {
  data: Buffer;
  width: number;
  height: number;
}

/** A source opened for encoding: decoded once, encoded to any number of outputs. */
export interface OpenedSource {
  encode(spec: VariantSpec): Promise<Encoded>;
  placeholder(): Promise<string>;
  /** Bytes of decoded pixels held (0 when each output decodes from the file). */
  readonly heldBytes: number;
}

/** The image encoder boundary: what the pipeline needs from sharp. */
export interface ImageEncoder {
  readonly version: string;
  /** Reads the header only: format, displayed size, frames. Throws an ImageError. */
  probe(file: string, input: Buffer, maxPixels: number): Promise<SourceInfo>;
  /** Decodes the pixels (once) and returns an encoder for the source's outputs. Throws an ImageError. */
  open(file: string, input: Buffer, info: SourceInfo, options: EncodeOptions & { maxPixels: number }): Promise<OpenedSource>;
}

const READ_FORMATS: Record<string, SourceFormat> = { jpeg: 'jpeg', png: 'png', webp: 'webp', gif: 'gif', tiff: 'tiff' };

/** Estimated bytes of decoded pixels for a source. */
export function rawBytes(info: SourceInfo): number {
  return info.width * info.height * (info.hasAlpha ? 4 : 3);
}

export const sharpEncoder: ImageEncoder = {
  version: ENCODER_VERSION,

  async probe(file, input, maxPixels) {
    const meta = await run(file, () => sharp(input, { limitInputPixels: false }).metadata());
    const format = meta.format === 'heif' && meta.compression === 'av1' ? 'avif' : READ_FORMATS[meta.format ?? ''];
    if (!format) {
      throw new ImageError('IMAGE_UNSUPPORTED', file, `${meta.format ?? 'unknown'} images are not supported (the pipeline reads JPEG, PNG, WebP, AVIF, GIF and TIFF)`, 'convert it to one of those formats or move it out of the images folder');
    }
    const pages = meta.pages ?? 1;
    const animated = pages > 1 && (format === 'gif' || format === 'webp');
    const frameHeight = animated ? (meta.pageHeight ?? meta.height ?? 0) : (meta.height ?? 0);
    const oriented = meta.autoOrient ?? { width: meta.width ?? 0, height: frameHeight };
    const width = animated ? (meta.width ?? 0) : oriented.width;
    const height = animated ? frameHeight : oriented.height;
    if (!width || !height) throw new ImageError('IMAGE_CORRUPT', file, 'the header gives no dimensions', 'replace the file with an intact copy');
    if (width * height > maxPixels) {
      throw new ImageError('IMAGE_TOO_LARGE', file, `${width}x${height} is ${(width * height).toLocaleString('en-US')} pixels, over images.maxPixels (${maxPixels.toLocaleString('en-US')}); refused as a possible decompression bomb`, 'shrink the source or raise images.maxPixels');
    }
    return { format, width, height, animated, hasAlpha: Boolean(meta.hasAlpha) };
  },

  async open(file, input, info, options) {
    const load = (): sharp.SharpOptions => ({
      failOn: 'error',
      limitInputPixels: info.animated ? false : options.maxPixels,
      animated: info.animated,
    });
    if (info.animated || rawBytes(info) > RAW_LIMIT_BYTES) {
      // Decoding per output: animations keep their frames and timing; huge sources keep memory bounded.
      const fromFile = (spec?: VariantSpec) => {
        const s = sharp(input, load());
        const oriented = info.animated ? s : s.autoOrient();
        return (spec ? oriented.resize(size(spec)) : oriented).toColourspace('srgb');
      };
      return {
        heldBytes: 0,
        encode: (spec) => run(file, () => encodeTo(fromFile(spec.kind === 'original' ? undefined : spec), spec, options)),
        // The first frame of an animation stands for it.
        placeholder: () => run(file, () => placeholderOf((info.animated ? sharp(input, { failOn: 'error', pages: 1 }) : fromFile()).toColourspace('srgb'))),
      };
    }
    // Decode once to raw sRGB pixels: orientation applied, metadata gone, alpha kept.
    // (sharp's clone() would decode the source again for every output.)
    const decoded = await run(file, () =>
      sharp(input, load()).autoOrient().toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }),
    );
    const full: RawImage = { data: decoded.data, width: decoded.info.width, height: decoded.info.height, channels: decoded.info.channels };
    // Widths of at most half the source are resampled from a half-size copy (a 2x2 average, as
    // the JPEG loader's shrink-on-load does): less work, and no more bytes than a per-output decode.
    let half: Promise<RawImage> | undefined;
    const halfSize = () =>
      (half ??= rawPipeline(full)
        .resize({ width: Math.round(full.width / 2), height: Math.round(full.height / 2), fit: 'fill', kernel: 'linear' })
        .raw()
        .toBuffer({ resolveWithObject: true })
        .then(({ data, info }) => ({ data, width: info.width, height: info.height, channels: info.channels })));
    const fromRaw = async (spec?: VariantSpec) => {
      if (!spec || (spec.width === full.width && spec.height === full.height)) return rawPipeline(full);
      const base = spec.width * 2 <= full.width ? await halfSize() : full;
      return rawPipeline(base).resize(size(spec));
    };
    return {
      heldBytes: full.data.length * 1.25,
      encode: (spec) => run(file, async () => encodeTo(await fromRaw(spec.kind === 'original' ? undefined : spec), spec, options)),
      placeholder: () => run(file, async () => placeholderOf(await fromRaw())),
    };
  },
};

interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

function rawPipeline(image: RawImage): sharp.Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
}

/** The exact planned size (the plan rounds the height once, so the manifest and the file agree). */
function size(spec: VariantSpec): sharp.ResizeOptions {
  return { width: spec.width, height: spec.height, fit: 'fill' };
}

/**
 * libvips keeps its error text per thread; with several decodes at once it sometimes reaches
 * sharp as a bare "Unknown error" (seen on a truncated JPEG). One more try of the same work gets
 * the file's real reason (or its result), so a damaged file is reported as damaged.
 */
const LOST_REASON = /^unknown error$/i;

async function run<T>(file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!LOST_REASON.test(((error as Error)?.message ?? '').trim())) throw classifySharpError(file, error);
    try {
      return await work();
    } catch (again) {
      throw classifySharpError(file, again);
    }
  }
}

async function encodeTo(pipeline: sharp.Sharp, spec: VariantSpec, options: EncodeOptions): Promise<Encoded> {
  const { quality, effort } = options;
  switch (spec.format) {
    case 'avif':
      // 4:2:0 like JPEG: photos lose nothing visible, and the encoder does less work.
      pipeline = pipeline.avif({ quality: quality.avif, effort: effort.avif, chromaSubsampling: '4:2:0' });
      break;
    case 'webp':
      pipeline = pipeline.webp({ quality: quality.webp, effort: effort.webp });
      break;
    case 'jpeg':
      // libjpeg-turbo with optimized Huffman tables. mozjpeg's trellis makes 25% fewer bytes at
      // 4-7x the CPU: not worth it for the fallback, which only browsers without WebP fetch.
      pipeline = pipeline.jpeg({ quality: quality.jpeg, optimiseCoding: true });
      break;
    case 'png':
      // zlib level 6 with adaptive filtering: on photos 31% fewer bytes than level 9 without it, for
      // 33% more CPU (level 9 with adaptive filtering: 3x the CPU for 7% fewer bytes still).
      pipeline = quality.png >= 100 ? pipeline.png({ compressionLevel: 6, adaptiveFiltering: true }) : pipeline.png({ palette: true, quality: quality.png, effort: 4 });
      break;
    case 'gif':
      pipeline = pipeline.gif();
      break;
  }
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.pageHeight ?? info.height };
}

/** A ThumbHash of the image, rendered back to a tiny PNG data URL that any browser shows. */
async function placeholderOf(pipeline: sharp.Sharp): Promise<string> {
  const { data, info } = await pipeline
    .resize({ width: 100, height: 100, fit: 'inside' })
    .ensureAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return thumbHashToDataURL(rgbaToThumbHash(info.width, info.height, data));
}
