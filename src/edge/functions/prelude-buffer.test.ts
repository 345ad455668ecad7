/**
 * `Buffer` in cloudfront-js-2.0 answers as Node's `Buffer` does (spec §7.1, §7.6): each
 * expression runs in the function sandbox and in Node itself, and the results must be equal.
 * Also the 2 MB memory of one run (spec §7.5).
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { FunctionExecutionError } from '../contracts.js';
import { functionFrom, requestEvent, tempDir } from './test-helpers.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const EXPRESSIONS = [
  // The search methods (issue: -1, -1, false before).
  `Buffer.from('abcabc').indexOf('b')`,
  `Buffer.from('abcabc').lastIndexOf('c')`,
  `Buffer.from('abcabc').includes('ca')`,
  `Buffer.from('abcabc').indexOf(98)`,
  `Buffer.from('abcabc').indexOf(98 + 256)`,
  `Buffer.from('abcabc').indexOf('b', 2)`,
  `Buffer.from('abcabc').indexOf('b', -2)`,
  `Buffer.from('abcabc').indexOf('b', -100)`,
  `Buffer.from('abcabc').indexOf('b', 100)`,
  `Buffer.from('abcabc').indexOf('', 3)`,
  `Buffer.from('abcabc').indexOf('', 10)`,
  `Buffer.from('abcabc').indexOf('x')`,
  `Buffer.from('abcabc').indexOf(Buffer.from('bc'), 2)`,
  `Buffer.from('abcabc').indexOf(new Uint8Array([99, 97]))`,
  `Buffer.from('abcabc').indexOf('YmM=', 'base64')`,
  `Buffer.from('abcabc').indexOf('6263', 0, 'hex')`,
  `Buffer.from('abcabc').indexOf('b', null)`,
  `Buffer.from('abcabc').indexOf('b', {})`,
  `Buffer.from('abcabc').lastIndexOf('b', 3)`,
  `Buffer.from('abcabc').lastIndexOf('b', -3)`,
  `Buffer.from('abcabc').lastIndexOf('b', -100)`,
  `Buffer.from('abcabc').lastIndexOf('b', 100)`,
  `Buffer.from('abcabc').lastIndexOf('')`,
  `Buffer.from('abcabc').lastIndexOf('', 2)`,
  `Buffer.from('abcabc').lastIndexOf('abc', 10)`,
  `Buffer.from('abcabc').lastIndexOf(99)`,
  `Buffer.from('').indexOf('')`,
  `Buffer.from('').indexOf('a')`,
  `Buffer.from('héllo wörld').includes('wö')`,
  `Buffer.from('abcabc').includes('b', 5)`,
  `Buffer.from('abcabc').indexOf({})`,
  // copy and swap.
  `(() => { const a = Buffer.from('hello'); const b = Buffer.alloc(8); return [a.copy(b, 2), b.toString('hex')]; })()`,
  `(() => { const a = Buffer.from('hello'); const b = Buffer.alloc(8); return [a.copy(b, 6), b.toString('hex')]; })()`,
  `(() => { const a = Buffer.from('hello'); const b = Buffer.alloc(3); return [a.copy(b, 0, 1, 3), b.toString('hex')]; })()`,
  `(() => { const a = Buffer.from('hello'); return [a.copy(a, 1, 0, 3), a.toString()]; })()`,
  `(() => { const a = Buffer.from('hello'); return [a.copy(Buffer.alloc(4), 9), a.copy(Buffer.alloc(4), 0, 3, 2)]; })()`,
  `Buffer.from('hello').copy(Buffer.alloc(4), -1)`,
  `Buffer.from('0102030405060708', 'hex').swap16().toString('hex')`,
  `Buffer.from('0102030405060708', 'hex').swap32().toString('hex')`,
  `Buffer.from('0102030405060708', 'hex').swap64().toString('hex')`,
  `Buffer.from('010203', 'hex').swap16()`,
  // Variable-width integers.
  `Buffer.from('fffefdfcfbfa', 'hex').readUIntBE(0, 3)`,
  `Buffer.from('fffefdfcfbfa', 'hex').readUIntLE(1, 6 - 1)`,
  `Buffer.from('fffefdfcfbfa', 'hex').readIntBE(0, 6)`,
  `Buffer.from('fffefdfcfbfa', 'hex').readIntLE(2, 2)`,
  `Buffer.from('0102', 'hex').readIntBE(0, 2)`,
  `(() => { const b = Buffer.alloc(6); return [b.writeUIntBE(0x123456, 1, 3), b.toString('hex')]; })()`,
  `(() => { const b = Buffer.alloc(6); return [b.writeIntLE(-2, 0, 2), b.writeIntBE(-1, 2, 4), b.toString('hex')]; })()`,
  `Buffer.alloc(2).readUIntBE(0, 7)`,
  `Buffer.alloc(2).readUIntBE(1, 2)`,
  // Views stay Buffers; the documented statics.
  `Buffer.isBuffer(Buffer.from('ab').subarray(1))`,
  `Buffer.compare(Buffer.from('a'), Buffer.from('b'))`,
  `Buffer.concat([Buffer.from('ab'), Buffer.from('cd')], 3).toString()`,
  `Buffer.byteLength('héllo')`,
  `Buffer.from('aGk', 'base64url').toString()`,
];

/** `[ok, value]` or `[error, name]`, as JSON text, for one expression in a realm. */
const PROBE = (expr: string) => `(() => { try { return JSON.stringify(['ok', ${expr}]); } catch (e) { return JSON.stringify(['error', e.name]); } })()`;

describe('Buffer against Node (cloudfront-js-2.0)', () => {
  it.each(EXPRESSIONS)('%s', async (expr) => {
    const node = new Function('Buffer', `return ${PROBE(expr)};`)(Buffer) as string;
    const fn = await functionFrom(dir, `function handler(event) {\n  return { statusCode: 200, headers: { 'x-r': { value: ${PROBE(expr)} } } };\n}`, { lenientCompute: true });
    const run = await fn.invoke('viewer-request', requestEvent('/'));
    expect(run.error).toBeUndefined();
    const sandbox = (run.output as { response: { headers: Record<string, { value: string }> } }).response.headers['x-r']!.value;
    expect(JSON.parse(sandbox)).toEqual(JSON.parse(node));
  });
});

describe('memory of one run (spec §7.5: 2 MB)', () => {
  it('200,000 strings are over 2 MB: FunctionExecutionError naming the figure and the limit', async () => {
    const fn = await functionFrom(dir, `function handler(event) {\n  var keep = [];\n  for (var i = 0; i < 200000; i++) keep.push('item ' + i);\n  event.request.headers['x-n'] = { value: String(keep.length) };\n  return event.request;\n}`, { lenientCompute: true });
    const run = await fn.invoke('viewer-request', requestEvent('/'));
    expect(run.error).toBeInstanceOf(FunctionExecutionError);
    expect(run.error?.message).toMatch(/the run used \d+\.\d MB of memory; CloudFront allows a function 2 MB/);
  });

  it('a few thousand strings fit', async () => {
    const fn = await functionFrom(dir, `function handler(event) {\n  var keep = [];\n  for (var i = 0; i < 2000; i++) keep.push('item ' + i);\n  return event.request;\n}`, { lenientCompute: true });
    const run = await fn.invoke('viewer-request', requestEvent('/'));
    expect(run.error).toBeUndefined();
  });
});
