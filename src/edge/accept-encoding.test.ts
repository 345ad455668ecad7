import { describe, expect, it } from 'vitest';
import { normalizeAcceptEncoding, preferredCoding } from './accept-encoding.js';

const both = { gzip: true, brotli: true };
const gzipOnly = { gzip: true, brotli: false };
const brOnly = { gzip: false, brotli: true };
const neither = { gzip: false, brotli: false };

describe('Accept-Encoding normalization (spec §2.6)', () => {
  it.each([
    ['both enabled, viewer gzip, deflate, br -> br,gzip (§11 case 19)', 'gzip, deflate, br', both, 'br,gzip', 'br,gzip'],
    ['both enabled, only gzip', 'gzip', both, 'gzip', 'gzip'],
    ['both enabled, only br', 'br', both, 'br', 'br'],
    ['both enabled, neither -> nothing keyed, origin gets identity', 'deflate', both, '', 'identity'],
    ['gzip only, gzip and br -> gzip', 'br, gzip', gzipOnly, 'gzip', 'gzip'],
    ['gzip only, no gzip -> identity', 'br', gzipOnly, '', 'identity'],
    ['brotli only mirrors gzip only', 'gzip, br', brOnly, 'br', 'br'],
    ['brotli only, no br', 'gzip', brOnly, '', 'identity'],
    ['neither enabled: ordinary header, not keyed, not forwarded', 'gzip, br', neither, '', undefined],
    ['tokens are case-insensitive (gap, recommended)', 'GZIP, BR', both, 'br,gzip', 'br,gzip'],
    ['q=0 means not accepted (gap, recommended)', 'gzip;q=0, br', both, 'br', 'br'],
    ['other q-values are ignored', 'gzip;q=0.5, br;q=0.1', both, 'br,gzip', 'br,gzip'],
    ['* is not read as a coding', '*', both, '', 'identity'],
  ] as const)('%s', (_name, header, policy, key, forward) => {
    expect(normalizeAcceptEncoding(header, policy)).toEqual({ key, forward });
  });

  it('without the header nothing is added to the key and nothing forwarded', () => {
    expect(normalizeAcceptEncoding(undefined, both)).toEqual({ key: '', forward: undefined });
  });

  it('HTTP/1.0 requests lose Accept-Encoding', () => {
    expect(normalizeAcceptEncoding('gzip, br', both, '1.0')).toEqual({ key: '', forward: undefined });
  });

  it('Brotli is preferred when the key allows both (§3.1)', () => {
    expect(preferredCoding('br,gzip')).toBe('br');
    expect(preferredCoding('gzip')).toBe('gzip');
    expect(preferredCoding('')).toBeUndefined();
  });
});
