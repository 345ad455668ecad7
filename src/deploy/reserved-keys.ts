import { RESERVED_PREFIX } from '../edge/contracts.js';

// The deploy's own objects, beside the site under the reserved prefix. Kept apart from the code
// that parses them (and its schema library) so that a deploy asks for them in its first
// requests, before that code has loaded.

/**
 * The deploy manifest's key in the store. It is written once per deploy that changes
 * something, so it is kept small: headers are listed once and referenced by index, the ETag
 * is stored only where it differs from the MD5, and the JSON is brotli-compressed (about
 * 35 bytes per key for a Next.js export).
 */
export const MANIFEST_KEY = `${RESERVED_PREFIX}deploy-manifest.json.br`;

/**
 * The deploy journal: what a deploy has written so far, beside the manifest. A deploy killed
 * before its manifest leaves it behind, and the re-run plans with it, so objects already
 * written are skipped instead of uploaded or copied again. It speaks only for the manifest it
 * was started on (its ETag is kept as the journal's `base` metadata).
 */
export const JOURNAL_KEY = `${RESERVED_PREFIX}deploy-journal.json.br`;
