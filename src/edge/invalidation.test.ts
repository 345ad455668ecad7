import { describe, expect, it } from 'vitest';
import { compileInvalidation, validateInvalidation } from './invalidation.js';

describe('invalidation paths (spec §8.1, §8.3, §11 case 28-29)', () => {
  it('/about does not cover /about/', () => {
    const m = compileInvalidation(['/about']);
    expect(m('/about')).toBe(true);
    expect(m('/about/')).toBe(false);
  });
  it('/images/* removes /images/a/b.png', () => expect(compileInvalidation(['/images/*'])('/images/a/b.png')).toBe(true));
  it('a star not at the end is a literal character', () => {
    const m = compileInvalidation(['/images/*.png']);
    expect(m('/images/a.png')).toBe(false);
    expect(m('/images/*.png')).toBe(true);
  });
  it('/p does not remove /p?a=1; /p* does', () => {
    expect(compileInvalidation(['/p'])('/p?a=1')).toBe(false);
    expect(compileInvalidation(['/p*'])('/p?a=1')).toBe(true);
  });
  it('paths are case-sensitive', () => expect(compileInvalidation(['/A.txt'])('/a.txt')).toBe(false));
  it('/* removes everything', () => expect(compileInvalidation(['/*'])('/x/y?z')).toBe(true));
  it('a path without a leading / is rejected (InvalidArgument)', () => {
    expect(() => validateInvalidation(['index.html'])).toThrow(/must start with "\/"/);
  });
  it('~ is not supported', () => expect(() => validateInvalidation(['/~user'])).toThrow(/~/));
  it('a path over 4,000 characters is rejected', () => expect(() => validateInvalidation([`/${'a'.repeat(4000)}`])).toThrow(/4000/));
  it('a 3,001st individual path or a 16th wildcard path is rejected', () => {
    expect(() => validateInvalidation(Array.from({ length: 3001 }, (_, i) => `/p${i}`))).toThrow(/TOO_MANY|3000/);
    expect(() => validateInvalidation(Array.from({ length: 3000 }, (_, i) => `/p${i}`))).not.toThrow();
    expect(() => validateInvalidation(Array.from({ length: 16 }, (_, i) => `/d${i}/*`))).toThrow(/15/);
  });
  it('an empty batch is rejected', () => expect(() => validateInvalidation([])).toThrow(/at least one/));
});
