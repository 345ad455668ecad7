/**
 * The cloudfront-js-2.0 feature list (functions-javascript-runtime-20.html), one case per
 * feature: what the list has loads, what it leaves out is refused at load with the file, line,
 * column and the feature's name.
 */
import { describe, expect, it } from 'vitest';
import { FunctionLoadError } from './errors.js';
import { REFUSED_FEATURES } from './features.js';
import { prepareSource } from './source.js';

const prep = (code: string) => prepareSource('/site/fn.js', `function handler(event) { return event.request; }\n${code}`, 'cloudfront-js-2.0');

describe('features the 2.0 list has load', () => {
  it.each([
    ['ES 5.1 statements: label, for-in, do-while, switch, try/finally', `outer: for (var k in {a: 1}) { do { switch (k) { case 'a': break outer; } } while (false); }\ntry { throw 1; } catch (e) {} finally {}`],
    ['the ** operator', `var p = 2 ** 10;`],
    ['const and let', `const a = 1; let b = a;`],
    ['async function declarations with await inside', `async function load(k) { const v = await Promise.resolve(k); return v; }`],
    ['template literals, nested', 'var t = `a ${`b ${1}`}\nc`;'],
    ['arrow functions', `var f = (x) => x * 2; var g = x => { return x; };`],
    ['rest parameters', `function f(first, ...rest) { return rest.length; }`],
    ['Unicode escapes', `var s = "\\u00e9\\u{1F600}";`],
    ['named capture groups', `var m = /(?<y>\\d{4})/.exec('2024');`],
    ['numeric separators', `var n = 1_000_000;`],
    ['getters and setters (ES 5.1)', `var o = { get a() { return 1; }, set a(v) {} };`],
    ['Promise combinators', `Promise.all([]); Promise.allSettled([]); Promise.any([Promise.resolve(1)]); Promise.race([]);`],
    ['Intl or BigInt as property names only', `var o = { Intl: 1, BigInt: 2 }; var v = o.Intl + o.BigInt;`],
  ])('%s', (_name, code) => {
    expect(() => prep(code)).not.toThrow();
  });
});

describe('features outside the 2.0 list are refused with file:line:column and the name', () => {
  it.each([
    ['class', `var x = 1;\n  class A {}`, '/site/fn.js:3:3'],
    ['class', `var A = class {};`, '/site/fn.js:2:9'],
    ['destructuring', `var { uri } = { uri: '/' };`, '/site/fn.js:2:5'],
    ['destructuring', `var [a, b] = [1, 2];`, '/site/fn.js:2:5'],
    ['destructuring', `function f({ a }) { return a; }`, '/site/fn.js:2:12'],
    ['spread (...)', `var a = [...[1, 2]];`, '/site/fn.js:2:10'],
    ['spread (...)', `var o = { ...{ a: 1 } };`, '/site/fn.js:2:11'],
    ['spread (...)', `Math.max(...[1, 2]);`, '/site/fn.js:2:10'],
    ['default parameter', `function f(a = 1) { return a; }`, '/site/fn.js:2:12'],
    ['generator', `function* g() { yield 1; }`, '/site/fn.js:2:1'],
    ['async arrow function', `var f = async (x) => x;`, '/site/fn.js:2:9'],
    ['async closure', `var f = async function () {};`, '/site/fn.js:2:9'],
    ['async closure', `function outer() { async function inner() {} return inner; }`, '/site/fn.js:2:20'],
    ['async closure', `var o = { async m() {} };`, '/site/fn.js:2:18'],
    ['for await…of', `async function f(list) { for await (const x of list) {} }`, '/site/fn.js:2:26'],
    ['BigInt', `var n = 10n;`, '/site/fn.js:2:9'],
    ['BigInt', `var n = BigInt(10);`, '/site/fn.js:2:9'],
    ['Intl', `var f = new Intl.NumberFormat('en');`, '/site/fn.js:2:13'],
    ['optional chaining (?.)', `var u = {}.a?.b;`, '/site/fn.js:2:9'],
  ])('%s: %s', (name, code, where) => {
    let error: unknown;
    try {
      prep(code);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FunctionLoadError);
    expect(error).toMatchObject({ code: 'FUNCTION_UNSUPPORTED', line: Number(where.split(':')[1]) });
    expect((error as Error).message).toBe(`${where}: ${name} is not in the cloudfront-js-2.0 feature list (functions-javascript-runtime-20.html)`);
  });

  it('every refused feature of the table has a case above', () => {
    // Keeps the table and its tests together: a feature added to one is added to the other.
    expect(REFUSED_FEATURES.map((f) => f.name)).toEqual([
      'class',
      'destructuring',
      'spread (...)',
      'default parameter',
      'generator',
      'async arrow function',
      'async closure',
      'for await…of',
      'BigInt',
      'Intl',
      'optional chaining (?.)',
    ]);
  });
});
