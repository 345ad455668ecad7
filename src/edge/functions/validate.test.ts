import { describe, expect, it } from 'vitest';
import type { CfValue } from '../contracts.js';
import { InvalidResult, isDisallowedHeader, normalizeResponse, parseQuery, serializeQuery, writeBack } from './validate.js';

const none = () => undefined;
const accept: Record<string, CfValue> = { accept: { value: 'a', multiValue: [{ value: 'a' }, { value: 'b' }] } };

describe('multiValue write-back (spec §7.3, §11 case 25)', () => {
  it.each([
    ['untouched', { accept: { value: 'a', multiValue: [{ value: 'a' }, { value: 'b' }] } }, ['a', 'b']],
    ['value changed only', { accept: { value: 'c', multiValue: [{ value: 'a' }, { value: 'b' }] } }, ['c', 'b']],
    ['multiValue changed only', { accept: { value: 'a', multiValue: [{ value: 'x' }] } }, ['x']],
    ['both changed: multiValue wins', { accept: { value: 'ignored', multiValue: [{ value: 'x' }, { value: 'y' }] } }, ['x', 'y']],
    ['multiValue deleted, value unchanged', { accept: { value: 'a' } }, ['a', 'b']],
    ['multiValue deleted, value changed', { accept: { value: 'c' } }, ['c', 'b']],
    ['multiValue emptied', { accept: { value: 'a', multiValue: [] } }, []],
  ])('%s', (_label, returned, values) => {
    const out = writeBack('request.headers', accept, returned, none);
    const got = out.accept ? (out.accept.multiValue ?? [out.accept]).map((v) => v.value) : [];
    expect(got).toEqual(values);
    if (out.accept) expect(out.accept.value).toBe(values[0]);
  });

  it('a new name with one value has no multiValue', () => {
    expect(writeBack('h', {}, { 'x-new': { value: '1' } }, none)).toEqual({ 'x-new': { value: '1' } });
  });

  it('a removed name is gone', () => {
    expect(writeBack('h', accept, {}, none)).toEqual({});
  });

  it.each([
    [{ a: 'text' }, /h\.a must be an object/],
    [{ a: { value: 1 } }, /h\.a\.value must be a string, got number/],
    [{ a: { value: null } }, /got null/],
    [{ a: { multiValue: [{ value: 2 }] } }, /multiValue must be an array of \{ value: string \}/],
    [[], /h must be an object/],
  ])('refuses %j', (returned, message) => {
    expect(() => writeBack('h', {}, returned, none)).toThrow(message);
  });
});

describe('query strings', () => {
  it.each([
    ['a=1&b=2', { a: { value: '1' }, b: { value: '2' } }],
    ['a=1&a=2', { a: { value: '1', multiValue: [{ value: '1' }, { value: '2' }] } }],
    ['flag&x=', { flag: { value: '' }, x: { value: '' } }],
    ['e=%20&&k=v=w', { e: { value: '%20' }, k: { value: 'v=w' } }],
    ['', {}],
  ])('parseQuery(%j)', (raw, expected) => {
    expect(parseQuery(raw)).toEqual(expected);
  });

  it('serializeQuery writes every occurrence', () => {
    expect(serializeQuery({ a: { value: '1', multiValue: [{ value: '1' }, { value: '2' }] }, b: { value: '' } })).toBe('a=1&a=2&b=');
  });
});

describe('headers a function may not see or add (§7.4)', () => {
  it.each(['connection', 'x-cache', 'x-amz-cf-id', 'x-amz-cf-pop', 'x-edge-location', 'x-forwarded-proto', 'upgrade'])('%s is disallowed', (name) => {
    expect(isDisallowedHeader(name)).toBe(true);
  });
  it.each(['host', 'accept', 'x-amz-date', 'x-custom', 'cache-control'])('%s is allowed', (name) => {
    expect(isDisallowedHeader(name)).toBe(false);
  });
});

describe('normalizeResponse', () => {
  it('accepts a minimal generated response and fills headers and cookies', () => {
    expect(normalizeResponse('viewer-request', undefined, { statusCode: 204 })).toEqual({ statusCode: 204, headers: {}, cookies: {} });
  });

  it.each([
    [{ statusCode: 200.5 }, /integer/],
    [{ statusCode: 600 }, /integer/],
    [{ statusCode: 200, statusDescription: 'a\nb' }, /one-line/],
    [{ statusCode: 200, headers: { 'x-a': { value: 'a\r\nb' } } }, /control characters/],
    [{ statusCode: 200, headers: { 'x-a': { value: '€' } } }, /above U\+00FF/],
    [{ statusCode: 200, cookies: { s: { value: 1 } } }, /cookies\.s\.value must be a string/],
    [{ statusCode: 200, body: { encoding: 'hex', data: '00' } }, /encoding must be "text" or "base64"/],
    [{ statusCode: 200, body: 5 }, /body must be a string/],
  ])('refuses %j', (returned, message) => {
    expect(() => normalizeResponse('viewer-request', undefined, returned)).toThrow(InvalidResult);
    expect(() => normalizeResponse('viewer-request', undefined, returned)).toThrow(message);
  });

  it('keeps Set-Cookie multiValue as returned', () => {
    const cookies = { s: { value: '1', multiValue: [{ value: '1', attributes: 'Path=/' }, { value: '2' }] } };
    expect(normalizeResponse('viewer-request', undefined, { statusCode: 200, cookies }).cookies).toEqual({
      s: { value: '1', attributes: 'Path=/', multiValue: [{ value: '1', attributes: 'Path=/' }, { value: '2' }] },
    });
  });
});
