/**
 * Compute utilization (spec §7.5; TestResult.ComputeUtilization): the function's own run time
 * against the time CloudFront allows, a run over 100 failing as FunctionExecutionError.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { FunctionExecutionError } from '../contracts.js';
import { computeMeter, DEFAULT_COMPUTE_BUDGET_US, type ComputeMeter, type ComputeSample } from './compute.js';
import { functionFrom as loadIn, requestEvent, tempDir } from './test-helpers.js';
import type { LoadEdgeFunctionOptions } from './runtime.js';

const dir = tempDir();
/** Functions with the default budget: these tests are about it. */
const functionFrom = (at: string, code: string, options: LoadEdgeFunctionOptions = {}) => loadIn(at, code, { computeBudgetUs: DEFAULT_COMPUTE_BUDGET_US, ...options });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const LOOP = `function handler(event) {
  var n = Number(event.request.querystring.n.value), s = 0;
  for (var i = 0; i < n; i++) s = (s + i * 7) % 1000003;
  console.log('sum ' + s);
  return event.request;
}`;

/** A meter that reports the given samples in turn (the last one repeats), counting the runs. */
function scriptedMeter(samples: Partial<ComputeSample>[]): ComputeMeter & { runs: number } {
  const meter = {
    runs: 0,
    exact: true,
    measure<T>(run: () => T) {
      const sample = { wallNs: 0, ownNs: 0, interrupted: false, allocatedBytes: 0, ...samples[Math.min(meter.runs, samples.length - 1)] };
      meter.runs++;
      try {
        return { value: run(), sample };
      } catch (error) {
        return { error, sample };
      }
    },
  };
  return meter;
}

const MS = 1_000_000;

describe('compute utilization measured on the function run (spec §7.5)', () => {
  it('grows with the work: 100, 100,000 and 3,000,000 iterations give rising figures', async () => {
    const fn = await functionFrom(dir, LOOP, { lenientCompute: true });
    // The lowest of eleven runs: a busy host only ever adds time.
    const lowest = async (n: number) => {
      const figures: number[] = [];
      for (let i = 0; i < 11; i++) figures.push((await fn.invoke('viewer-request', requestEvent(`/?n=${n}`))).computeUtilization);
      return Math.min(...figures);
    };
    await lowest(10);
    const small = await lowest(100);
    const middle = await lowest(100_000);
    const large = await lowest(3_000_000);
    expect(small).toBeLessThan(middle);
    expect(middle).toBeLessThan(large);
    expect(large).toBeGreaterThan(100);
  });

  it('a heavy loop is over 100 and fails as FunctionExecutionError (503) with the figure in the message', async () => {
    const fn = await functionFrom(dir, LOOP);
    const run = await fn.invoke('viewer-request', requestEvent('/?n=3000000'));
    expect(run.error).toBeInstanceOf(FunctionExecutionError);
    expect(run.error?.status).toBe(503);
    expect(run.computeUtilization).toBeGreaterThan(100);
    expect(run.error?.computeUtilization).toBe(run.computeUtilization);
    expect(run.error?.message).toContain(`compute utilization ${run.computeUtilization} is over 100`);
    // Runs measured again are not logged again: the logs are those of one run.
    expect(run.logs).toHaveLength(1);
    await expect(fn.runViewerRequest(requestEvent('/?n=3000000'))).rejects.toThrow(/is over 100/);
  });

  it('--lenient-compute reports the figure over 100 and lets the run succeed', async () => {
    const fn = await functionFrom(dir, LOOP, { lenientCompute: true });
    const run = await fn.invoke('viewer-request', requestEvent('/?n=3000000'));
    expect(run.error).toBeUndefined();
    expect(run.output && 'request' in run.output).toBe(true);
    expect(run.computeUtilization).toBeGreaterThan(100);
  });

  it('the figure is the own time against the budget: 0.25 ms of a 1 ms budget is 25', async () => {
    const meter = scriptedMeter([{ wallNs: 9 * MS, ownNs: 0.25 * MS }]);
    const fn = await functionFrom(dir, LOOP, { computeMeter: meter });
    const run = await fn.invoke('viewer-request', requestEvent('/?n=1'));
    expect(run).toMatchObject({ computeUtilization: 25, logs: ['sum 0'] });
    expect(run.error).toBeUndefined();
    expect(meter.runs).toBe(1);
  });

  it('a run over the budget is run again; a second run within it is the result (lazy compilation, one GC pause)', async () => {
    const meter = scriptedMeter([{ ownNs: 1.5 * MS }, { ownNs: 0.2 * MS }]);
    const fn = await functionFrom(dir, LOOP, { computeMeter: meter });
    const run = await fn.invoke('viewer-request', requestEvent('/?n=1'));
    expect(run.error).toBeUndefined();
    expect(run.computeUtilization).toBe(20);
    expect(meter.runs).toBe(2);
  });

  it('three uninterrupted runs over the budget fail with the lowest figure', async () => {
    const meter = scriptedMeter([{ ownNs: 1.6 * MS }, { ownNs: 1.3 * MS }, { ownNs: 1.9 * MS }]);
    const fn = await functionFrom(dir, LOOP, { computeMeter: meter });
    const run = await fn.invoke('viewer-request', requestEvent('/?n=1'));
    expect(run.error?.message).toContain('compute utilization 130 is over 100');
    expect(meter.runs).toBe(3);
  });

  it('runs the host interrupted are not judged: a starved function is never failed for the host load', async () => {
    const meter = scriptedMeter([{ ownNs: 4 * MS, interrupted: true }, { ownNs: 3 * MS, interrupted: true }]);
    const fn = await functionFrom(dir, LOOP, { computeMeter: meter });
    const run = await fn.invoke('viewer-request', requestEvent('/?n=1'));
    expect(run.error).toBeUndefined();
    expect(run.computeUtilization).toBe(300);
    expect(meter.runs).toBe(10);
  });

  it('an interrupted run far over the budget (10x) is judged all the same', async () => {
    const meter = scriptedMeter([{ ownNs: 12 * MS, interrupted: true }]);
    const fn = await functionFrom(dir, LOOP, { computeMeter: meter });
    const run = await fn.invoke('viewer-request', requestEvent('/?n=1'));
    expect(run.error?.message).toContain('compute utilization 1200 is over 100');
    expect(meter.runs).toBe(3);
  });

  it('a function that throws reports its own error, not the budget', async () => {
    const meter = scriptedMeter([{ ownNs: 5 * MS }]);
    const fn = await functionFrom(dir, `function handler(event) { throw new TypeError('nope'); }`, { computeMeter: meter });
    const run = await fn.invoke('viewer-request', requestEvent('/'));
    expect(run.error?.message).toContain('TypeError: nope');
    expect(run.computeUtilization).toBe(500);
    expect(meter.runs).toBe(1);
  });

  it('on Linux the meter subtracts CPU waits: own time never exceeds wall time', () => {
    const meter = computeMeter();
    const measured = meter.measure(() => {
      let s = 0;
      for (let i = 0; i < 100_000; i++) s = (s + i) % 1_000_003;
      return s;
    }, false);
    expect('value' in measured && measured.value).toBe(4_999_950_000 % 1_000_003);
    expect(measured.sample.ownNs).toBeGreaterThan(0);
    expect(measured.sample.ownNs).toBeLessThanOrEqual(measured.sample.wallNs);
    if (process.platform === 'linux') expect(meter.exact).toBe(true);
  });
});
