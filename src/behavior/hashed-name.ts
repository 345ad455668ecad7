/**
 * The one definition of "this file name carries a content hash", shared by deploy (retention of
 * removed assets, the warning on a changed un-hashed immutable file) and audit (which files may
 * be `immutable`).
 *
 * A content hash is a run of at least 8 characters between separators (`/`, `.`, `-`, `_`, `~`;
 * the file extension never counts) that is one of:
 * - hex (either case) with at least one digit and one letter: `main-3f9a2c1b4d5e6f70.js`,
 *   `css/ab12cd34ef56.css`, `hero.3f9a2c1b.640.avif`;
 * - base64url with a digit and both letter cases: a Next.js build id
 *   (`_next/static/kUy2qLzSXyDkVqS4S7Adz/…`), a Vite hash (`index-B_x-2kq9.js`, whose alphabet
 *   includes `-` and `_`);
 * - digits only, beside a name in the same file name, and not a `YYYYMMDD` date: a hex hash
 *   that happens to have no letter (`c274-4582728594498292.js`, `hero.12345678.640.avif`;
 *   about 1 in 43 8-character hex hashes, 1 in 1,800 16-character ones, so a large build has
 *   some). A name that is digits only (`images/12345678.png`, `products/12345678/`) is an id.
 *
 * - lowercase base36 (with `-`/`_` inside, as Turbopack writes: `0cz1d0mv5g_q7.js`,
 *   `1bnq32--_k4f0.js`) with at least two digits, two letters and three changes between letters
 *   and digits: words with a version number (`es2015`, `html5shiv`, `ie11polyfill`) change once
 *   or twice. Hugo's processed images (`hero_hu8a8f60bc…_1200x0_resize_q80_h2_box.webp`) are
 *   found by this rule too.
 *
 * Besides names, some folders are content-addressed by a framework's own contract: every file
 * Next.js writes under `_next/static/` and Astro under `_astro/` is named by its content (a
 * build id folder included), whatever a name looks like.
 *
 * Requiring a digit keeps words (`components`, `favicon`, `deadbeef`) out; requiring mixed case
 * keeps `html5shiv` out. The price: a base64url hash with no digit (about one in five
 * 8-character Vite hashes) is not recognized, so that file counts as un-hashed (the safe side:
 * never `immutable`).
 */
const MIN_LENGTH = 8;
const HEX = /^[0-9a-f]+$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const DIGITS = /^[0-9]+$/;
const LOWER_ALNUM = /^[a-z0-9]+$/;

/** The content-hash run found in `key` (an object key or URL path), or `undefined`. */
export function contentHashOf(key: string): string | undefined {
  for (const segment of key.split('/')) {
    const dot = segment.lastIndexOf('.');
    const stem = dot > 0 ? segment.slice(0, dot) : segment;
    for (const token of stem.split(/[.~]/)) {
      for (const candidate of candidates(token)) {
        if (looksLikeHash(candidate, stem)) return candidate;
      }
    }
  }
  return undefined;
}

/** Folders a framework fills with content-addressed files only (its documented build output). */
export const FRAMEWORK_HASHED_FOLDERS = ['_next/static/', '_astro/'] as const;

/** Whether `key`'s bytes can never change under the same name: a hashed name, or a framework's hashed folder. */
export function hasContentHash(key: string): boolean {
  const bare = key.replace(/^\/+/, '');
  if (FRAMEWORK_HASHED_FOLDERS.some((folder) => bare.startsWith(folder) || bare.includes(`/${folder}`))) return true;
  return contentHashOf(key) !== undefined;
}

/**
 * Each piece between `-`/`_`, each suffix after a `-`/`_` (base64url hashes contain those), the
 * whole token, and the token without its `-`/`_` (a lowercase hash that contains them).
 */
function candidates(token: string): string[] {
  const out = token.split(/[-_]/);
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '-' || token[i] === '_') out.push(token.slice(i + 1));
  }
  out.push(token);
  const joined = token.replace(/[-_]/g, '');
  if (joined !== token && LOWER_ALNUM.test(joined)) out.push(joined);
  return out;
}

function looksLikeHash(run: string, stem: string): boolean {
  if (run.length < MIN_LENGTH || !/[0-9]/.test(run)) return false;
  if (DIGITS.test(run)) return !isDate(run) && /[A-Za-z]/.test(stem.replace(run, ''));
  if (HEX.test(run)) return /[a-f]/i.test(run);
  if (LOWER_ALNUM.test(run)) return looksLikeBase36(run);
  return BASE64URL.test(run) && /[A-Z]/.test(run) && /[a-z]/.test(run) && /^[A-Za-z0-9]/.test(run);
}

/** `YYYYMMDD` between 1900 and 2099. */
function isDate(run: string): boolean {
  if (run.length !== 8) return false;
  const year = Number(run.slice(0, 4));
  const month = Number(run.slice(4, 6));
  const day = Number(run.slice(6, 8));
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** A lowercase base36 run that reads as random: two digits, two letters, three letter/digit changes. */
function looksLikeBase36(run: string): boolean {
  let digits = 0;
  let changes = 0;
  for (let i = 0; i < run.length; i++) {
    const digit = run.charCodeAt(i) <= 57;
    if (digit) digits++;
    if (i > 0 && digit !== run.charCodeAt(i - 1) <= 57) changes++;
  }
  return digits >= 2 && run.length - digits >= 2 && changes >= 3;
}
