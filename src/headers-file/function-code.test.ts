import { describe, expect, it } from 'vitest';
import { responseFunctionCode } from '../response-function/code.js';
import { headersFunctionEntries } from './function-code.js';
import type { HeaderRule } from './parse.js';
import { parseHeaders } from './parse.js';

const headersFunctionCode = (rules: HeaderRule[], names: string[]) => responseFunctionCode({ headers: { file: '_headers', entries: headersFunctionEntries(rules, names) } });

describe('_headers viewer-response function code', () => {
  it('carries, in file order, only the headers it was given, with each path as the matcher reads it', () => {
    const { rules } = parseHeaders('/*\n  X-A: 1\n  X-Policy: 1\n/blog/:slug\n  X-A: 2\n  ! X-Gone\n/about\n  X-Policy: 2\n', 'cloudflare');
    const { code, fits } = headersFunctionCode(rules, ['x-a', 'x-gone']);
    expect(fits).toBe(true);
    const table = JSON.parse(/var HF = (\[[\s\S]*?\n\]);/.exec(code)![1]!);
    expect(table).toEqual([
      [1, '^/(.*)$', [['x-a', '1']], []],
      [4, '^/blog/([^/]+)$', [['x-a', '2']], ['x-gone']],
    ]);
    // Comments are not shipped: they count against the 10 KB.
    expect(code).not.toMatch(/^\s*\/\//m);
  });

  it('says when the code passes CloudFront\'s 10 KB', () => {
    const text = Array.from({ length: 300 }, (_, i) => `/section-${i}/:slug\n  X-Section: ${i}\n`).join('');
    const { bytes, fits } = headersFunctionCode(parseHeaders(text, 'netlify').rules, ['x-section']);
    expect(bytes).toBeGreaterThan(10_240);
    expect(fits).toBe(false);
  });
});
