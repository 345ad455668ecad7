import { open, rm, stat } from 'node:fs/promises';
import { STORE_ERRORS, storeError } from './errors.js';
import { errno } from './fs-errors.js';
import { hashKey, tmpPath } from './fs-layout.js';

/** A conditional put's cross-process guard file older than this was left by a killed process. */
const GUARD_STALE_MS = 10_000;
/** Waits of 5 ms for another process's conditional put to the same key (about 10 s). */
const GUARD_ATTEMPTS = 2_000;

/**
 * Runs `fn` while holding `tmp/<sha256(key)>.cas`, created exclusively: a conditional put to
 * the same key in another process waits for it, so the condition checked inside `fn` still
 * holds when `fn` renames its record into place. A guard older than GUARD_STALE_MS was left by
 * a killed process and is taken over. `fail` maps a file-system error of taking the guard.
 */
export async function whileHoldingKey<T>(where: { dir: string; location: string; now: () => Date; fail: (err: unknown) => Error }, key: string, fn: () => Promise<T>): Promise<T> {
  const guard = tmpPath(where.dir, `${hashKey(key)}.cas`);
  for (let attempt = 0; ; attempt++) {
    try {
      await (await open(guard, 'wx')).close();
      break;
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw where.fail(err);
      const age = await stat(guard).then((st) => where.now().getTime() - st.mtimeMs, () => 0);
      if (age > GUARD_STALE_MS) await rm(guard, { force: true });
      else if (attempt >= GUARD_ATTEMPTS) throw storeError(STORE_ERRORS.requestFailed, `${where.location} put ${JSON.stringify(key)}: ${guard} stayed in place`, 'another process is writing this key; run again');
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(guard, { force: true });
  }
}
