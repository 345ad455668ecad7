import type { Rule } from '../types.js';
import { cacheControlDrift, hashedImmutable, htmlCache, unhashedImmutable, validators } from './caching.js';
import { compression, contentType, securityHeaders } from './headers.js';
import { cacheHits } from './cache-hits.js';
import { modernImages } from './images.js';
import { brokenLinks, redirectChain, redirectOffsite, redirectWww } from './links.js';
import { redirectRules, redirectShadowed } from './redirect-rules.js';
import { headersRule, headersUnmatched } from './headers-file.js';

/** Every rule, in report order. */
export const RULES: readonly Rule[] = [
  htmlCache,
  hashedImmutable,
  unhashedImmutable,
  securityHeaders,
  compression,
  contentType,
  brokenLinks,
  redirectWww,
  redirectChain,
  redirectOffsite,
  redirectRules,
  redirectShadowed,
  headersRule,
  headersUnmatched,
  validators,
  modernImages,
  cacheControlDrift,
  cacheHits,
];

export { allowedHosts } from './links.js';
export { isHit } from './cache-hits.js';
