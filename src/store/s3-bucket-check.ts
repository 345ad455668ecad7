import { toStoreError, type S3Where } from './s3-errors.js';
import { httpStatusOf } from './retry.js';

/**
 * Whether the bucket exists, asked at most once per store and only when an object is not
 * found: HeadObject answers a bare 404 for a missing bucket too. Other requests name
 * NoSuchBucket in their answer, so the check never delays them.
 */
export class BucketCheck {
  #checked: Promise<void> | undefined;
  readonly #headBucket: () => Promise<unknown>;
  readonly #where: S3Where;

  /** `headBucket` sends one HeadBucket request, with the store's retries. */
  constructor(headBucket: () => Promise<unknown>, where: S3Where) {
    this.#headBucket = headBucket;
    this.#where = where;
  }

  /**
   * A listing that is answered proves the bucket exists: a key not found meanwhile (a first
   * deploy's manifest) needs no HeadBucket of its own.
   */
  knownFrom(first: Promise<unknown>): void {
    if (this.#checked !== undefined) return;
    const known: Promise<void> = first.then(
      () => undefined,
      () => {
        if (this.#checked === known) this.#checked = undefined;
        return this.check();
      },
    );
    known.catch(() => undefined); // awaited only by a key found missing meanwhile
    this.#checked = known;
  }

  /** Resolves when the bucket exists (or cannot be asked about); throws a typed error when it is missing. */
  check(): Promise<void> {
    this.#checked ??= this.#headBucket()
      .then(() => undefined)
      .catch((err: unknown) => {
        const status = httpStatusOf(err);
        if (status === 404 || (err as Error).name === 'NotFound' || (err as Error).name === 'NoSuchBucket') {
          this.#checked = undefined;
          throw toStoreError(Object.assign(new Error('NoSuchBucket'), { name: 'NoSuchBucket' }), 'reaching', this.#where);
        }
        // HeadBucket needs s3:ListBucket; credentials that may only read or write objects (an
        // edge reading through the store) get 403 here. Let each operation answer for itself.
        if (status === 403) return;
        this.#checked = undefined;
        throw toStoreError(err, 'reaching', this.#where);
      });
    return this.#checked;
  }
}
