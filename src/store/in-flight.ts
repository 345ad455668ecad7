/**
 * Requests sent and not answered yet, each with when it was sent: what a progress line shows
 * while a remote store stalls (`ObjectStore.waiting`).
 */
export class InFlight {
  readonly #sentAt = new Set<number>();

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // Distinct start times: two requests sent in the same microsecond still count twice.
    let t = performance.now();
    while (this.#sentAt.has(t)) t += 1e-6;
    this.#sentAt.add(t);
    try {
      return await fn();
    } finally {
      this.#sentAt.delete(t);
    }
  }

  /** How many requests wait, and how long the oldest has waited. */
  waiting(now = performance.now()): { requests: number; oldestMs: number } {
    let oldest = now;
    for (const t of this.#sentAt) oldest = Math.min(oldest, t);
    return { requests: this.#sentAt.size, oldestMs: Math.round(now - oldest) };
  }
}
