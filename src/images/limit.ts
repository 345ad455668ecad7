/**
 * Admits work by count and by weight (estimated bytes of memory): at most `slots` tasks and
 * `budget` weight in flight. A task heavier than the whole budget still runs, alone, so a
 * huge source is slow rather than impossible. First come, first served.
 */
export class Budget {
  private slotsInUse = 0;
  private weightInUse = 0;
  private readonly queue: { weight: number; start: () => void }[] = [];

  constructor(
    readonly slots: number,
    readonly budget: number,
  ) {}

  async run<T>(weight: number, task: () => Promise<T>): Promise<T> {
    await this.acquire(weight);
    try {
      return await task();
    } finally {
      this.release(weight);
    }
  }

  private fits(weight: number): boolean {
    if (this.slotsInUse >= this.slots) return false;
    return this.slotsInUse === 0 || this.weightInUse + weight <= this.budget;
  }

  private acquire(weight: number): Promise<void> {
    if (this.queue.length === 0 && this.fits(weight)) {
      this.take(weight);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push({ weight, start: resolve }));
  }

  private take(weight: number): void {
    this.slotsInUse += 1;
    this.weightInUse += weight;
  }

  private release(weight: number): void {
    this.slotsInUse -= 1;
    this.weightInUse -= weight;
    while (this.queue.length > 0 && this.fits(this.queue[0]!.weight)) {
      const next = this.queue.shift()!;
      this.take(next.weight);
      next.start();
    }
  }
}
