import { isHtml } from '../behavior/headers.js';
import type { BehaviorTable } from '../behavior/table.js';
import type { Phase } from './types.js';

/** Below this edge TTL an object counts as short-lived: it is uploaded late and invalidated when it changes. */
export const SHORT_TTL_SECONDS = 86_400;


export interface KeyClass {
  cacheControl: string;
  contentType: string;
  immutable: boolean;
  html: boolean;
  /** Cached at the edge for less than a day (or not at all): the objects a viewer reaches first. */
  shortTtl: boolean;
}

/** The headers a key gets and where it falls in the ordered apply. */
export function classify(table: BehaviorTable, key: string): KeyClass {
  const { cacheControl, contentType, behavior, immutable } = table.objectHeaders(key);
  const html = isHtml(contentType);
  const shortTtl = !immutable && (behavior.cache === 'no-store' || behavior.policy.defaultTtl < SHORT_TTL_SECONDS || (typeof behavior.cache === 'object' && behavior.cache.edge < SHORT_TTL_SECONDS));
  return { cacheControl, contentType, immutable, html, shortTtl };
}

/**
 * The phase an upload runs in. Order (phases.ts): immutable assets first, then other
 * long-lived non-HTML objects, metadata updates, short-lived non-HTML objects (CSS or JSON
 * under the default behavior that HTML may reference) and HTML last.
 */
export function uploadPhase(c: KeyClass): Phase {
  if (c.immutable) return 'immutable';
  if (c.html) return 'html';
  return c.shortTtl ? 'short' : 'assets';
}
