/**
 * Which built files an atomic deploy puts under its prefix: exactly those whose behavior runs a
 * viewer-request function (the url-handler), because that function is what rewrites a request
 * into the prefix; a behavior without one (`_next/static/*`) is fetched at the natural key. So
 * what is stored and what the edge asks for agree by construction. Pure.
 */
import type { BehaviorTable } from '../../behavior/table.js';
import type { KeyClass } from '../classify.js';
import type { LocalFile } from '../types.js';
import { DEPLOY_ERRORS, badInput } from '../errors.js';
import { DEPLOYS_PREFIX, deployPrefix } from './keys.js';

export interface AtomicLayout {
  /** The build with the keys it is stored under. */
  files: LocalFile[];
  /** The class of every stored key (a prefixed key has the class of the file it came from). */
  classes: Map<string, KeyClass>;
  /** Stored keys outside the prefix: shared with other deploys, kept while one of them is kept. */
  shared: string[];
}

/** Whether requests for this build key are rewritten into a deploy prefix by the edge. */
export function isPrefixed(table: BehaviorTable, key: string): boolean {
  return table.objectHeaders(key).behavior.functions.viewerRequest !== undefined;
}

/**
 * Maps the build onto deploy `id`. `errorPages` (the custom error responses' pages, as keys)
 * are also stored at their natural keys when `live`: CloudFront fetches an error page without
 * running the viewer-request function (spec §5.3), so it must be there unprefixed.
 */
export function atomicLayout(files: readonly LocalFile[], classes: ReadonlyMap<string, KeyClass>, table: BehaviorTable, id: number, errorPages: readonly string[], live: boolean): AtomicLayout {
  const prefix = deployPrefix(id);
  const out: LocalFile[] = [];
  const outClasses = new Map<string, KeyClass>();
  const shared: string[] = [];
  for (const file of files) {
    if (file.key.startsWith(DEPLOYS_PREFIX)) {
      throw badInput(DEPLOY_ERRORS.reservedKey, `${file.absPath}: the key "${file.key}" is under ${DEPLOYS_PREFIX}, where atomic deploys keep their files`, `rename the folder ${DEPLOYS_PREFIX} in the build, or add it to deploy.exclude`);
    }
    const c = classes.get(file.key)!;
    const prefixed = isPrefixed(table, file.key);
    if (prefixed) {
      out.push({ ...file, key: prefix + file.key });
      outClasses.set(prefix + file.key, c);
    }
    if (!prefixed || (live && errorPages.includes(file.key))) {
      out.push(file);
      outClasses.set(file.key, c);
      shared.push(file.key);
    }
  }
  return { files: out, classes: outClasses, shared };
}
