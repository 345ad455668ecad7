/**
 * Whether a key's name carries a content hash. One definition for all of edgeship (deploy's
 * retention and un-hashed-immutable warning, audit's immutable rules): `src/behavior/hashed-name.ts`.
 */
export { hasContentHash } from '../behavior/hashed-name.js';
