/**
 * The one definition of "this file name carries a content hash", shared by deploy (retention of
 * removed assets, the warning on a changed un-hashed immutable file) and audit (which files may
 * be `immutable`).
 *
 * A content hash is a run of at least 8 characters between separators (`/`, `.`, `-`, `_`, `~`)
 * that is either hex (either case) with at least one digit and one letter
 * (`main-3f9a2c1b4d5e6f70.js`, `css/ab12cd34ef56.css`, `hero.3f9a2c1b.640.avif`), or base64url
 * with a digit and both letter cases (a Next.js build id such as `kUy2qLzSXyDkVqS4S7Adz`, a Vite
 * hash such as `index-B_x-2kq9.js`, whose own alphabet includes `-` and `_`).
 *
 * Requiring a digit keeps words (`components`, `favicon`, `deadbeef`) and dates written with
 * digits only (`20240101`) out; requiring mixed case keeps `html5shiv` out. The price: a
 * base64url hash that happens to contain no digit (about one in five 8-character Vite hashes)
 * is not recognized, so such a file is treated as un-hashed (the safe side: never `immutable`).
 */
const MIN_LENGTH = 8;
const HEX = /^[0-9a-f]+$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The content-hash run found in `key` (an object key or URL path), or `undefined`. */
export function contentHashOf(key: string): string | undefined {
  const segments = key.split(/[/.~]/);
  for (const segment of segments) {
    for (const candidate of candidates(segment)) {
      if (looksLikeHash(candidate)) return candidate;
    }
  }
  return undefined;
}

export function hasContentHash(key: string): boolean {
  return contentHashOf(key) !== undefined;
}

/** Each piece between `-`/`_`, each suffix after a `-`/`_` (base64url hashes contain those), then the whole segment. */
function candidates(segment: string): string[] {
  const out = segment.split(/[-_]/);
  for (let i = 0; i < segment.length; i++) {
    if (segment[i] === '-' || segment[i] === '_') out.push(segment.slice(i + 1));
  }
  out.push(segment);
  return out;
}

function looksLikeHash(run: string): boolean {
  if (run.length < MIN_LENGTH || !/[0-9]/.test(run)) return false;
  if (HEX.test(run)) return /[a-f]/i.test(run);
  return BASE64URL.test(run) && /[A-Z]/.test(run) && /[a-z]/.test(run) && /^[A-Za-z0-9]/.test(run);
}
