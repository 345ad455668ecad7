/**
 * A local stand-in for a CloudFront KeyValueStore (spec §7.5, §7.6), read from a JSON file.
 *
 * Accepted file shapes:
 * - the import format CloudFront takes from S3: `{ "data": [ { "key": "k", "value": "v" } ] }`
 * - a plain object: `{ "k": "v" }`
 * Values are strings (a JSON value is stored as its text, as `get(k, { format: 'json' })` parses it).
 */
import fs from 'node:fs';
import { kvsLimitProblem } from '../../kvs/limits.js';
import { FunctionLoadError } from './errors.js';

export { KVS_LIMITS } from '../../kvs/limits.js';

/**
 * Where a function's KeyValueStore data comes from. `version` changes whenever the data does,
 * so a function sees a deploy's pointer write on its next request, as CloudFront's functions
 * see a KeyValueStore update once it has propagated.
 */
export interface KvsSource {
  version(): number;
  snapshot(): KvsSnapshot;
}

/** A source that never changes (`functions test --kvs`, `explain`, tests). */
export function fixedKvsSource(snapshot: KvsSnapshot): KvsSource {
  return { version: () => 0, snapshot: () => snapshot };
}

export interface KvsSnapshot {
  entries: Record<string, string>;
  meta: { creationDateTime: string; lastUpdatedDateTime: string; keyCount: number };
}

function pairsOf(file: string, parsed: unknown): [string, string][] {
  const bad = (message: string) => new FunctionLoadError('KVS_INVALID', file, message, { hint: 'use {"data":[{"key":"k","value":"v"}]} or {"k":"v"}' });
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Array.isArray((parsed as { data?: unknown }).data)) {
    return ((parsed as { data: unknown[] }).data).map((item, i) => {
      const { key, value } = (item ?? {}) as { key?: unknown; value?: unknown };
      if (typeof key !== 'string' || typeof value !== 'string') throw bad(`data[${i}] needs a string "key" and a string "value"`);
      return [key, value];
    });
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    return Object.entries(parsed).map(([key, value]) => {
      if (typeof value !== 'string') throw bad(`the value of "${key}" is not a string`);
      return [key, value];
    });
  }
  throw bad('expected a JSON object');
}

/** Reads and checks a KeyValueStore file. Throws `FunctionLoadError` (code KVS_INVALID). */
export function readKvsFile(file: string): KvsSnapshot {
  let text: string;
  let stat: fs.Stats;
  try {
    text = fs.readFileSync(file, 'utf8');
    stat = fs.statSync(file);
  } catch (error) {
    throw new FunctionLoadError('KVS_INVALID', file, `cannot read the KeyValueStore file: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FunctionLoadError('KVS_INVALID', file, `not JSON: ${(error as Error).message}`, { cause: error });
  }
  const pairs = pairsOf(file, parsed);
  const problem = kvsLimitProblem(pairs);
  if (problem) throw new FunctionLoadError('KVS_INVALID', file, problem);
  const entries: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of pairs) entries[key] = value;
  const created = stat.birthtimeMs > 0 ? stat.birthtime : stat.mtime;
  return {
    entries,
    meta: { creationDateTime: created.toISOString(), lastUpdatedDateTime: stat.mtime.toISOString(), keyCount: Object.keys(entries).length },
  };
}
