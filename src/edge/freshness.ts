/**
 * Freshness of a cached object (spec/cloudfront.md §2.2-§2.4, §5.3, §9.6): whether the edge
 * serves it as is, serves it stale while refreshing, or must go to the origin, and whether an
 * expired copy may stand in for an origin failure.
 */
import { parseCacheControl } from '../behavior/ttl.js';

export interface Freshness {
  /** When the object was fetched or last revalidated (ms, from the injected clock). */
  storedAt: number;
  /** Edge TTL in seconds from the §2.2 table. */
  ttl: number;
  /** `stale-while-revalidate` seconds from the origin, 0 when absent. */
  staleWhileRevalidate: number;
  /** `stale-if-error` seconds from the origin, undefined when absent; 0 disables serving stale on errors (§2.2). */
  staleIfError: number | undefined;
  /** The behavior's MaxTTL: caps both stale windows (§2.3; counted from the fetch, the spec's recommended reading). */
  maxTtl: number;
  /** The behavior's MinTTL: with MinTTL and MaxTTL 0 nothing is kept for errors (§2.2). */
  minTtl: number;
  /** Until when (ms) an expired copy keeps being served after an origin error without asking again (§2.3, §5.3). */
  errorHoldUntil?: number;
}

export type FreshnessState =
  /** Serve from cache. */
  | 'fresh'
  /** Serve the stale copy now and refresh in the background (§2.3, §11 case 11). */
  | 'stale-while-revalidate'
  /** An origin error recently; keep serving the stale copy until the hold ends (§2.3). */
  | 'error-hold'
  /** Ask the origin (conditionally) before answering. */
  | 'expired';

/** Age in whole seconds, as the `Age` header carries it. */
export function ageSeconds(f: Pick<Freshness, 'storedAt'>, now: number): number {
  return Math.max(0, Math.floor((now - f.storedAt) / 1000));
}

export function freshnessState(f: Freshness, now: number): FreshnessState {
  const age = (now - f.storedAt) / 1000;
  if (age < f.ttl) return 'fresh';
  if (f.errorHoldUntil !== undefined && now < f.errorHoldUntil && mayServeStaleOnError(f, now)) return 'error-hold';
  if (f.staleWhileRevalidate > 0 && age < f.ttl + f.staleWhileRevalidate && age < f.maxTtl) return 'stale-while-revalidate';
  return 'expired';
}

/**
 * Whether the expired copy may answer instead of an origin 5xx / unreachable origin.
 *
 * - `stale-if-error=E`: for up to E seconds after expiry, capped by MaxTTL (§2.3, §11 case 12).
 * - `stale-if-error=0`: never (§2.2).
 * - no directive: CloudFront serves the copy it has when MinTTL or MaxTTL is above 0 (§2.2,
 *   §9.6), as long as it is within MaxTTL of the fetch (evicted objects cannot be served).
 */
export function mayServeStaleOnError(f: Freshness, now: number): boolean {
  const age = (now - f.storedAt) / 1000;
  if (f.staleIfError === 0) return false;
  if (f.staleIfError !== undefined) return age < f.ttl + f.staleIfError && age < f.maxTtl;
  return (f.minTtl > 0 || f.maxTtl > 0) && age < Math.max(f.maxTtl, f.ttl);
}

/** The stale windows an origin response asks for. */
export function staleWindows(cacheControl: string | undefined): { staleWhileRevalidate: number; staleIfError: number | undefined } {
  const cc = parseCacheControl(cacheControl);
  return { staleWhileRevalidate: cc.staleWhileRevalidate ?? 0, staleIfError: cc.staleIfError };
}
