import { EdgeshipError, EXIT } from '../errors.js';

/** Why one image could not be processed. Stable codes for `--json` and scripts. */
export type ImageErrorCode =
  | 'IMAGE_UNSUPPORTED' // not an image sharp reads, or a format the pipeline does not handle
  | 'IMAGE_CORRUPT' // a damaged or truncated file
  | 'IMAGE_TOO_LARGE' // more pixels than `images.maxPixels` (a decompression bomb)
  | 'IMAGE_FAILED'; // anything else the encoder or the file system reported

/** One file that failed; the rest of the run goes on. */
export class ImageError extends EdgeshipError {
  constructor(
    code: ImageErrorCode,
    /** Path of the file relative to the config's folder. */
    readonly file: string,
    readonly reason: string,
    hint?: string,
  ) {
    super(code, `${file}: ${reason}`, { exitCode: EXIT.failed, hint });
    this.name = 'ImageError';
  }
}

/** Maps an error thrown by sharp/libvips while reading `file` to a typed image error. */
export function classifySharpError(file: string, error: unknown): ImageError {
  if (error instanceof ImageError) return error;
  const message = (error as Error)?.message ?? String(error);
  if (/unsupported image format/i.test(message)) {
    return new ImageError('IMAGE_UNSUPPORTED', file, 'not a supported image (the content is not JPEG, PNG, WebP, AVIF, GIF or TIFF)', 'remove the file or convert it');
  }
  if (/pixel limit/i.test(message)) {
    return new ImageError('IMAGE_TOO_LARGE', file, `more pixels than images.maxPixels allows`, 'shrink the source or raise images.maxPixels');
  }
  if (/premature end|truncated|corrupt|invalid|bad |not a |unexpected end|read error|damaged|out of order|decode|VipsJpeg|VipsPng|pngload|gifload|webpload|heifload|tiffload/i.test(message)) {
    return new ImageError('IMAGE_CORRUPT', file, `damaged or truncated: ${firstLine(message)}`, 'replace the file with an intact copy');
  }
  return new ImageError('IMAGE_FAILED', file, firstLine(message));
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
