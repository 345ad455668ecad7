/**
 * The deploy's `_redirects` step: the exact-path rules (and Netlify's markers of files that
 * shadow a pattern) into the target's KeyValueStore data, replacing every key under `es:r:`,
 * so a rule removed from the file stops answering. Written after the site's files, so a rule
 * never points at a page that is not there yet.
 */
import type { SiteModel } from '../config/model.js';
import { EdgeshipError, EXIT } from '../errors.js';
import { KVS_KEYS } from '../kvs/keys.js';
import { replacePrefix, type SiteKvs } from '../kvs/site-kvs.js';
import { compileRedirects } from './compile.js';

export interface RedirectKeysOutcome {
  /** Keys the rules need under `es:r:`. */
  keys: number;
  put: number;
  deleted: number;
  /** Where they were written (or would be, on a dry run). */
  location: string;
}

/** The `es:r:` entries of the site's rules, for the deployed files (keys as stored). Throws EdgeshipError (exit 2) past a KeyValueStore limit. */
export function redirectEntries(site: Pick<SiteModel, 'redirects'>, fileKeys: readonly string[]): Record<string, string> | undefined {
  const redirects = site.redirects;
  if (!redirects) return undefined;
  const compiled = compileRedirects(redirects.rules, redirects.dialect, fileKeys);
  if (compiled.limitProblem) {
    throw new EdgeshipError('REDIRECTS_KVS_LIMIT', `${redirects.file}: ${compiled.limitProblem}`, { exitCode: EXIT.usage, hint: 'shorten the rule, or turn exact rules into fewer splat rules' });
  }
  return compiled.kvs;
}

/** Writes the entries into each KeyValueStore the target has; on a dry run, only counts them. */
export async function writeRedirectKeys(site: Pick<SiteModel, 'redirects'>, fileKeys: readonly string[], kvs: SiteKvs, dryRun = false): Promise<RedirectKeysOutcome | undefined> {
  const entries = redirectEntries(site, fileKeys);
  if (!entries) return undefined;
  const keys = Object.keys(entries).length;
  if (dryRun) return { keys, put: 0, deleted: 0, location: kvs.location };
  const update = await kvs.update(replacePrefix(KVS_KEYS.redirect, entries));
  return { keys, put: update.put, deleted: update.deleted, location: kvs.location };
}
