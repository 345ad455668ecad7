import { describe, expect, it } from 'vitest';
import { freshnessState, mayServeStaleOnError, type Freshness } from './freshness.js';

const T0 = 1_000_000;
const at = (s: number) => T0 + s * 1000;
const entry = (f: Partial<Freshness>): Freshness => ({ storedAt: T0, ttl: 60, staleWhileRevalidate: 0, staleIfError: undefined, maxTtl: 31_536_000, minTtl: 0, ...f });

describe('stale-while-revalidate (spec §2.3, §11 case 11)', () => {
  const e = entry({ staleWhileRevalidate: 30 });
  it('fresh until max-age', () => expect(freshnessState(e, at(59))).toBe('fresh'));
  it('at t = 70 s the stale copy is served while refreshing', () => expect(freshnessState(e, at(70))).toBe('stale-while-revalidate'));
  it('at t = 100 s (past 60 + 30) the origin is asked synchronously', () => expect(freshnessState(e, at(100))).toBe('expired'));
  it('the window is capped by MaxTTL', () => expect(freshnessState({ ...e, maxTtl: 65 }, at(70))).toBe('expired'));
});

describe('stale-if-error (spec §2.3, §11 case 12)', () => {
  const e = entry({ staleIfError: 600 });
  it('origin 503 at t = 120 s -> the stale copy may answer', () => expect(mayServeStaleOnError(e, at(120))).toBe(true));
  it('at t = 700 s (past 60 + 600) -> no stale copy', () => expect(mayServeStaleOnError(e, at(700))).toBe(false));
  it('with MaxTTL 300 no stale copy once the object is 300 s old', () => {
    expect(mayServeStaleOnError({ ...e, maxTtl: 300 }, at(299))).toBe(true);
    expect(mayServeStaleOnError({ ...e, maxTtl: 300 }, at(300))).toBe(false);
  });
  it('stale-if-error=0 disables serving stale (§2.2)', () => expect(mayServeStaleOnError(entry({ staleIfError: 0 }), at(61))).toBe(false));
  it('without the directive, a copy within MaxTTL may answer (§2.2, §9.6)', () => {
    expect(mayServeStaleOnError(entry({ maxTtl: 3600 }), at(600))).toBe(true);
    expect(mayServeStaleOnError(entry({ maxTtl: 3600 }), at(3600))).toBe(false);
  });
  it('CachingDisabled-like TTLs keep nothing for errors', () => {
    expect(mayServeStaleOnError(entry({ ttl: 0, maxTtl: 0, minTtl: 0 }), at(1))).toBe(false);
  });
  it('after an error, the stale copy is held for the error caching TTL (§2.3)', () => {
    const held = entry({ maxTtl: 3600, errorHoldUntil: at(130) });
    expect(freshnessState(held, at(125))).toBe('error-hold');
    expect(freshnessState(held, at(131))).toBe('expired');
  });
});
