import { describe, expect, it } from 'vitest';
import { KeyedMutex, mapLimit, Semaphore } from './concurrency.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Semaphore', () => {
  it('never lets more than `limit` holders run at once, and releases on failure', async () => {
    const sem = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const job = (fail: boolean) =>
      sem.run(async () => {
        peak = Math.max(peak, ++running);
        await tick();
        running--;
        if (fail) throw new Error('job failed');
      });
    const results = await Promise.allSettled([job(false), job(true), job(false), job(true), job(false)]);
    expect(peak).toBe(2);
    expect(results.filter((r) => r.status === 'rejected').length).toBe(2);
    await expect(sem.run(async () => 'still usable')).resolves.toBe('still usable');
  });
});

describe('KeyedMutex', () => {
  it('runs work on one key in order and work on different keys side by side', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const step = (key: string, name: string) =>
      mutex.run(key, async () => {
        events.push(`${name}:start`);
        await tick();
        events.push(`${name}:end`);
      });
    await Promise.all([step('a', 'a1'), step('a', 'a2'), step('b', 'b1')]);
    expect(events.indexOf('a1:end')).toBeLessThan(events.indexOf('a2:start'));
    expect(events.indexOf('b1:start')).toBeLessThan(events.indexOf('a1:end'));
  });
});

describe('mapLimit', () => {
  it('keeps input order and the limit', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 4, 3, 2, 1], 2, async (x) => {
      peak = Math.max(peak, ++running);
      await tick();
      running--;
      return x * 10;
    });
    expect(out).toEqual([50, 40, 30, 20, 10]);
    expect(peak).toBe(2);
  });

  it('the first failure stops new calls and is thrown once the running ones settle', async () => {
    const started: number[] = [];
    let settled = 0;
    const run = mapLimit([1, 2, 3, 4, 5, 6], 2, async (x) => {
      started.push(x);
      await Promise.resolve();
      settled++;
      if (x === 2) throw new Error('item 2 failed');
      return x;
    });
    await expect(run).rejects.toThrow('item 2 failed');
    // 1 and 2 ran together; 2 failed, 3 had started beside it; nothing after.
    expect(started).toEqual([1, 2, 3]);
    expect(settled).toBe(3);
  });
});
