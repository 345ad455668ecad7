import { invalidKeyError } from './keys.js';
import type { DeleteError, DeleteResult } from './types.js';

/** DeleteObjects takes at most 1000 keys per request. */
const DELETE_BATCH = 1000;

/**
 * Deletes `keys` in batches of 1000, all batches sent at once (the store's semaphore caps the
 * requests in flight). Every key ends up deleted or in `errors`, never dropped: an invalid key,
 * a key the answer names as failed, and every key of a request that failed as a whole.
 *
 * `send` deletes one batch and answers its per-key failures by key; `batchFailed` maps the
 * error of a request that failed as a whole.
 */
export async function deleteInBatches(
  keys: readonly string[],
  send: (batch: string[]) => Promise<Map<string, DeleteError>>,
  batchFailed: (err: unknown) => { code: string; message: string },
): Promise<DeleteResult> {
  const result: DeleteResult = { deleted: [], errors: [] };
  const valid: string[] = [];
  for (const key of keys) {
    const invalid = invalidKeyError(key);
    if (invalid === undefined) valid.push(key);
    else result.errors.push(invalid);
  }
  const batches: string[][] = [];
  for (let i = 0; i < valid.length; i += DELETE_BATCH) batches.push(valid.slice(i, i + DELETE_BATCH));
  await Promise.all(
    batches.map(async (batch) => {
      try {
        const failed = await send(batch);
        for (const key of batch) {
          const f = failed.get(key);
          if (f === undefined) result.deleted.push(key);
          else result.errors.push(f);
        }
      } catch (err) {
        const e = batchFailed(err);
        for (const key of batch) result.errors.push({ key, code: e.code, message: e.message });
      }
    }),
  );
  return result;
}
