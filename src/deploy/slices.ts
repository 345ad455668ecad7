/** How long synchronous work runs before other work gets a turn. */
const SLICE_MS = 8;

/**
 * Cuts long synchronous loops (hashing, classifying thousands of keys) into slices of a few
 * milliseconds while the store listing runs: between slices its answers are read and the next
 * page asked for, instead of waiting for the whole loop.
 */
export class Slices {
  #end = performance.now() + SLICE_MS;

  /** True when the current slice is used up; then `await slices.yield()`. */
  due(): boolean {
    return performance.now() > this.#end;
  }

  async yield(): Promise<void> {
    await new Promise(setImmediate);
    this.#end = performance.now() + SLICE_MS;
  }
}
