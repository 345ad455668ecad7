import { describe, expect, it } from 'vitest';
import { fallbackFormat, outputFormats, planOutputs, targetWidths, VARIANT_NAME } from './plan.js';
import type { SourceInfo } from './types.js';

const jpeg: SourceInfo = { format: 'jpeg', width: 2000, height: 1000, animated: false, hasAlpha: false };
const options = { widths: [640, 1080, 1920], formats: ['avif', 'webp'] as ('avif' | 'webp')[], quality: { avif: 50, webp: 75, jpeg: 80, png: 100 }, effort: { avif: 2, webp: 4 } };

describe('targetWidths: never upscale, never stop short of the source', () => {
  it.each([
    [2000, [640, 1080, 1920], [640, 1080, 1920]],
    [1920, [640, 1080, 1920], [640, 1080, 1920]],
    [1500, [640, 1080, 1920], [640, 1080, 1500]], // the source's own width tops the list
    [1080, [640, 1080, 1920], [640, 1080]],
    [640, [1920, 640, 1080], [640]],
    [300, [640, 1080, 1920], [300]], // smaller than all: the source width itself
    [800, [640, 640], [640]],
  ])('source %i wide with widths %j -> %j', (source, widths, expected) => {
    expect(targetWidths(source, widths)).toEqual(expected);
  });
});

describe('formats: configured modern formats, the source format as the fallback', () => {
  it.each<[Partial<SourceInfo>, string | undefined, string[]]>([
    [{ format: 'jpeg' }, 'jpeg', ['avif', 'webp', 'jpeg']],
    [{ format: 'png', hasAlpha: true }, 'png', ['avif', 'webp', 'png']],
    [{ format: 'webp' }, 'webp', ['avif', 'webp']], // no second webp source
    [{ format: 'avif' }, 'avif', ['webp', 'avif']],
    [{ format: 'tiff' }, 'jpeg', ['avif', 'webp', 'jpeg']], // browsers do not show TIFF
    [{ format: 'tiff', hasAlpha: true }, 'png', ['avif', 'webp', 'png']],
    [{ format: 'gif', animated: true }, undefined, ['webp']], // animated WebP plus the original, never AVIF/JPEG
    [{ format: 'webp', animated: true }, undefined, ['webp']],
  ])('%j -> fallback %s, outputs %j', (partial, fallback, outputs) => {
    const info = { ...jpeg, ...partial };
    expect(fallbackFormat(info)).toBe(fallback);
    expect(outputFormats(info, ['avif', 'webp'])).toEqual(outputs);
  });
});

describe('fallback "original": no resized copies in the source format', () => {
  it.each<[Partial<SourceInfo>, string[]]>([
    [{ format: 'jpeg' }, ['avif', 'webp']],
    [{ format: 'png', hasAlpha: true }, ['avif', 'webp']],
    [{ format: 'webp' }, ['avif', 'webp']], // WebP stays a modern source
    [{ format: 'gif', animated: true }, ['webp']],
  ])('%j -> outputs %j', (partial, outputs) => {
    const info = { ...jpeg, ...partial };
    expect(fallbackFormat(info, { fallback: 'original' })).toBeUndefined();
    expect(outputFormats(info, ['avif', 'webp'], { fallback: 'original' })).toEqual(outputs);
  });
});

describe('planOutputs', () => {
  const plan = planOutputs('hero.jpg', 'a'.repeat(64), jpeg, options, 'sharp 1 vips 1');

  it('names each variant <name>.<hash>.<width>.<ext> and keeps the original at its name', () => {
    const names = plan.map((s) => s.fileName);
    expect(names).toHaveLength(10);
    expect(names.at(-1)).toBe('hero.jpg');
    for (const s of plan.filter((p) => p.kind === 'variant')) {
      const m = VARIANT_NAME.exec(s.fileName)!;
      expect(m[1]).toBe('hero');
      expect(m[2]).toMatch(/^[0-9a-f]{8,16}$/);
      expect(Number(m[3])).toBe(s.width);
      expect(s.height).toBe(Math.round(s.width / 2));
    }
    expect(plan.map((s) => `${s.format}@${s.width}`)).toEqual(['avif@640', 'avif@1080', 'avif@1920', 'webp@640', 'webp@1080', 'webp@1920', 'jpeg@640', 'jpeg@1080', 'jpeg@1920', 'jpeg@2000']);
  });

  it('is deterministic, and a changed input changes only the names it affects', () => {
    expect(planOutputs('hero.jpg', 'a'.repeat(64), jpeg, options, 'sharp 1 vips 1')).toEqual(plan);
    const otherBytes = planOutputs('hero.jpg', 'b'.repeat(64), jpeg, options, 'sharp 1 vips 1');
    expect(otherBytes.filter((s, i) => s.key === plan[i]!.key)).toEqual([]);
    const otherEncoder = planOutputs('hero.jpg', 'a'.repeat(64), jpeg, options, 'sharp 2 vips 1');
    expect(otherEncoder.filter((s, i) => s.key === plan[i]!.key)).toEqual([]);
    const webpQuality = planOutputs('hero.jpg', 'a'.repeat(64), jpeg, { ...options, quality: { ...options.quality, webp: 60 } }, 'sharp 1 vips 1');
    const changed = webpQuality.filter((s, i) => s.key !== plan[i]!.key).map((s) => s.format);
    expect(changed).toEqual(['webp', 'webp', 'webp']);
  });

  it('keeps the source spelling of its own extension', () => {
    const names = planOutputs('Photo.JPEG', 'c'.repeat(64), jpeg, options, 'v').map((s) => s.fileName);
    expect(names.filter((n) => n.endsWith('.jpeg'))).toHaveLength(3);
    expect(names.at(-1)).toBe('Photo.JPEG');
  });

  it('with fallback "original" plans the modern variants and the optimized original only', () => {
    const specs = planOutputs('hero.jpg', 'a'.repeat(64), jpeg, { ...options, fallback: 'original' }, 'sharp 1 vips 1');
    expect(specs.map((s) => `${s.kind}:${s.format}@${s.width}`)).toEqual([
      'variant:avif@640', 'variant:avif@1080', 'variant:avif@1920', 'variant:webp@640', 'variant:webp@1080', 'variant:webp@1920', 'original:jpeg@2000',
    ]);
    // The modern variants keep their names (and cache entries) whatever the fallback.
    expect(specs.slice(0, 6)).toEqual(plan.slice(0, 6));
  });

  it('with optimizeOriginals false leaves the original out of the plan', () => {
    const specs = planOutputs('hero.jpg', 'a'.repeat(64), jpeg, { ...options, optimizeOriginals: false }, 'sharp 1 vips 1');
    expect(specs.some((s) => s.kind === 'original')).toBe(false);
    expect(specs).toEqual(plan.filter((s) => s.kind === 'variant'));
  });

  it('does not re-encode WebP, AVIF, GIF or TIFF originals in place', () => {
    for (const format of ['webp', 'avif', 'gif', 'tiff'] as const) {
      expect(planOutputs('x', 'd'.repeat(64), { ...jpeg, format }, options, 'v').some((s) => s.kind === 'original')).toBe(false);
    }
  });
});
