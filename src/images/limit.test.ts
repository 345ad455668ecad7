import { describe, expect, it } from 'vitest';
import { Budget } from './limit.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Budget', () => {
  it('runs at most `slots` tasks at once', async () => {
    const budget = new Budget(2, 1000);
    const gates = [deferred(), deferred(), deferred()];
    let running = 0;
    let most = 0;
    const all = gates.map((g) =>
      budget.run(1, async () => {
        running += 1;
        most = Math.max(most, running);
        await g.promise;
        running -= 1;
      }),
    );
    await tick();
    expect(running).toBe(2);
    gates.forEach((g) => g.resolve());
    await Promise.all(all);
    expect(most).toBe(2);
  });

  it('holds back a task whose weight does not fit, and runs an oversized one alone', async () => {
    const budget = new Budget(4, 100);
    const a = deferred();
    const started: string[] = [];
    const first = budget.run(60, async () => {
      started.push('a');
      await a.promise;
    });
    const second = budget.run(60, async () => {
      started.push('b');
    });
    const huge = budget.run(500, async () => {
      started.push('huge');
    });
    await tick();
    expect(started).toEqual(['a']);
    a.resolve();
    await Promise.all([first, second, huge]);
    expect(started).toEqual(['a', 'b', 'huge']);
  });

  it('releases its slot when a task throws', async () => {
    const budget = new Budget(1, 10);
    await expect(budget.run(1, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(budget.run(1, async () => 'ok')).resolves.toBe('ok');
  });
});
