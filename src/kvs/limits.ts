/** Limits of §7.5: key 512 bytes, value 1 KB, whole store 5 MB. */
export const KVS_LIMITS = { keyBytes: 512, valueBytes: 1_024, storeBytes: 5 * 1_024 * 1_024 } as const;

/**
 * What CloudFront's KeyValueStore would refuse in this data (spec §7.5: key 1-512 bytes, value
 * at most 1 KB, whole store 5 MB), naming the key; `undefined` when it all fits.
 */
export function kvsLimitProblem(entries: Iterable<readonly [string, string]>): string | undefined {
  let total = 0;
  for (const [key, value] of entries) {
    const keyBytes = Buffer.byteLength(key);
    const valueBytes = Buffer.byteLength(value);
    if (keyBytes === 0 || keyBytes > KVS_LIMITS.keyBytes) return `key "${key.slice(0, 40)}" is ${keyBytes} bytes; keys are 1 to ${KVS_LIMITS.keyBytes} bytes (spec §7.5)`;
    if (valueBytes > KVS_LIMITS.valueBytes) return `the value of "${key}" is ${valueBytes} bytes; values are at most ${KVS_LIMITS.valueBytes} bytes (spec §7.5)`;
    total += keyBytes + valueBytes;
  }
  if (total > KVS_LIMITS.storeBytes) return `the store holds ${total} bytes; a KeyValueStore holds at most ${KVS_LIMITS.storeBytes} (spec §7.5)`;
  return undefined;
}
