import { describe, expect, it } from 'vitest';
import { chooseSizes, DEFAULT_SIZES } from './sizes.js';

describe('sizes of a rewritten image', () => {
  it.each<[string, { sizes?: string; width?: string }, boolean, string, string]>([
    ["the author's (or framework's) sizes, as written", { sizes: '(max-width: 767px) 100vw, 33vw', width: '600' }, false, '(max-width: 767px) 100vw, 33vw', 'author'],
    ["the author's sizes are kept on a lazy image too", { sizes: '50vw' }, true, '50vw', 'author'],
    ['a width attribute is the most the image is shown at', { width: '600' }, false, '(max-width: 600px) 100vw, 600px', 'width'],
    ['a width attribute with spaces', { width: ' 320 ' }, false, '(max-width: 320px) 100vw, 320px', 'width'],
    ['a percentage width says nothing', { width: '50%' }, false, DEFAULT_SIZES, 'default'],
    ['a zero width says nothing', { width: '0' }, false, DEFAULT_SIZES, 'default'],
    ['nothing said: the default', {}, false, '100vw', 'default'],
    ['lazy, nothing said: the layout width where supported, else the default', {}, true, 'auto, 100vw', 'default'],
    ['lazy with a width', { width: '600' }, true, 'auto, (max-width: 600px) 100vw, 600px', 'width'],
  ])('%s', (_name, attrs, lazy, sizes, source) => {
    expect(chooseSizes(attrs, lazy)).toEqual({ sizes, source });
  });
});
