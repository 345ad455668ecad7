/**
 * The keys edgeship itself writes into a site's KeyValueStore, beside the user's own
 * (`edge.kvs`). They share one store because a CloudFront Function can be associated with one
 * KeyValueStore only (spec §7.5); the `es:` prefix keeps them apart, so syncing `edge.kvs`
 * never touches them and a user key never shadows them. Names are short: the function that
 * reads them counts against CloudFront's 10 KB code limit.
 */
export const RESERVED_KVS_PREFIX = 'es:';

export const KVS_KEYS = {
  /** The id of the live deploy (atomic mode). */
  live: `${RESERVED_KVS_PREFIX}live`,
  /** The deploy id a preview host is mapped to: `es:host:<lower-case host>`. */
  host: (host: string) => `${RESERVED_KVS_PREFIX}host:${host.toLowerCase()}`,
  /** Prefix of the static redirect rules (`_redirects`), one key per source path. */
  redirect: `${RESERVED_KVS_PREFIX}r:`,
} as const;

/** Whether a key belongs to edgeship rather than to the user's `edge.kvs` data. */
export function isReservedKvsKey(key: string): boolean {
  return key.startsWith(RESERVED_KVS_PREFIX);
}
