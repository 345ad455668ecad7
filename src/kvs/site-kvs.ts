/**
 * The one boundary for writing a site's KeyValueStore data: the CloudFront KeyValueStore API
 * for a provisioned site (`cloudfront-kvs.ts`), an object in the site's store for the local
 * edge (`local-kvs.ts`). Both run one contract suite (`site-kvs.contract.ts`).
 */
export interface KvsChange {
  /** Keys to set. */
  put?: Readonly<Record<string, string>>;
  /** Keys to remove; a key that is not there counts as removed. */
  delete?: readonly string[];
}

export interface SiteKvs {
  /** For messages: the store's ARN or `<store location> .edgeship/kvs.json`. */
  readonly location: string;
  /** Every key and value, the user's and edgeship's. */
  read(): Promise<Record<string, string>>;
  /**
   * Applies the change guarded by the data's version (an ETag): a writer that changed the data
   * in between makes the change start over from a fresh read, so two writers never lose each
   * other's keys. Puts land before deletes, so a reader mid-change never misses a key it still
   * needs. A change of one key is one write (an atomic pointer switch).
   */
  update(change: KvsChange | KvsChangeFor): Promise<KvsUpdate>;
}

/** A change computed from the data as read (run again on every fresh read after a conflict). */
export type KvsChangeFor = (current: Readonly<Record<string, string>>) => KvsChange;

export interface KvsUpdate {
  put: number;
  deleted: number;
  unchanged: number;
  /** Reads that had to start over because the data changed under the update. */
  conflicts: number;
}

/** Replaces every key under `prefix` by `entries` (each key of which starts with `prefix`); other keys untouched. */
export function replacePrefix(prefix: string, entries: Readonly<Record<string, string>>): KvsChangeFor {
  return (current) => ({ put: entries, delete: Object.keys(current).filter((k) => k.startsWith(prefix) && !Object.hasOwn(entries, k)) });
}

/** Keys that `change` sets or removes relative to `current` (unchanged keys left out). */
export function effectiveChange(current: Readonly<Record<string, string>>, changeOrFor: KvsChange | KvsChangeFor): { put: [string, string][]; delete: string[]; unchanged: number } {
  const change = typeof changeOrFor === 'function' ? changeOrFor(current) : changeOrFor;
  const put = Object.entries(change.put ?? {}).filter(([k, v]) => current[k] !== v);
  const del = (change.delete ?? []).filter((k) => Object.hasOwn(current, k) && !Object.hasOwn(change.put ?? {}, k));
  return { put, delete: del, unchanged: Object.keys(change.put ?? {}).length - put.length };
}
