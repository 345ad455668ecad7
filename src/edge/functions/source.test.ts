import { describe, expect, it } from 'vitest';
import { MODULE_GLOBAL, prepareSource } from './source.js';

const prep = (code: string) => prepareSource('/site/fn.js', code, 'cloudfront-js-2.0');

describe('prepareSource (spec §7.1, §7.6)', () => {
  it("rewrites import cf from 'cloudfront' in place, keeping every line where it was", () => {
    const code = `import cf from 'cloudfront';\nimport qs\n  from 'querystring';\nfunction handler(e) { return e.request; }`;
    const out = prep(code);
    expect(out.modules.sort()).toEqual(['cloudfront', 'querystring']);
    expect(out.code.split('\n')).toHaveLength(code.split('\n').length);
    expect(out.code.split('\n')[0]).toBe(`const cf = ${MODULE_GLOBAL}("cloudfront");`);
    expect(out.code.split('\n')[3]).toBe('function handler(e) { return e.request; }');
  });

  it("rewrites require('crypto') and leaves other require calls alone", () => {
    const out = prep(`var c = require('crypto'); var f = require('fs');\nfunction handler(e) { return e.request; }`);
    expect(out.code).toContain(`var c = ${MODULE_GLOBAL}("crypto");`);
    expect(out.code).toContain(`require('fs')`);
  });

  it('the word import in strings and comments is not an import', () => {
    expect(() => prep(`// import('x')\nvar s = "import('fs')";\nfunction handler(e) { return e.request; }`)).not.toThrow();
  });

  it.each([
    [`import { kvs } from 'cloudfront';`, /write the import as "import cf from 'cloudfront'"/],
    [`import 'cloudfront';`, /write the import as/],
    [`import fs from 'fs';`, /module 'fs' does not exist/],
    [`export function handler(e) { return e.request; }`, /does not export/],
    [`function handler(e) { return import /* x */ ('fs'); }`, /dynamic import\(\)/],
    [`function handler(e) { return e.request?.uri; }`, /optional chaining/],
    [`class A { x = 1 }`, /syntax error/],
    [`await 1;`, /syntax error/],
  ])('refuses %s', (code, message) => {
    expect(() => prep(code)).toThrow(message);
  });

  it('a syntax error carries its line', () => {
    expect(() => prep('var a = 1;\nvar b = ;')).toThrow(expect.objectContaining({ code: 'FUNCTION_SYNTAX', line: 2 }));
  });
});
