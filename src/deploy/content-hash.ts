/**
 * Whether a key's name carries a content hash: the file name changes whenever its bytes do,
 * so it is safe to mark immutable. Build tools write such names as a hex run
 * (`main.3f2a9c1b.js`, `index-5b1f7c0c9a2e3d4f.js`) or a random id folder
 * (Next.js `_next/static/<buildId>/`, 21 characters of `[A-Za-z0-9_-]`).
 */
export function hasContentHash(key: string): boolean {
  for (const segment of key.split('/')) {
    for (const part of segment.split('.')) {
      if (isIdToken(part)) return true;
      for (const token of part.split(/[-_~]/)) {
        if (isHexToken(token)) return true;
      }
    }
  }
  return false;
}

/** 8+ hex characters with at least one digit and one letter (not a date, not a word). */
function isHexToken(token: string): boolean {
  return token.length >= 8 && /^[0-9a-f]+$/i.test(token) && /\d/.test(token) && /[a-f]/i.test(token);
}

/** 16+ url-safe characters mixing digits, lower and upper case: a random id, never a word. */
function isIdToken(token: string): boolean {
  return token.length >= 16 && /^[A-Za-z0-9_-]+$/.test(token) && /\d/.test(token) && /[a-z]/.test(token) && /[A-Z]/.test(token);
}
