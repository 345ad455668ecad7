/** The pointer writes of atomic deploys, into the target's KeyValueStore (src/kvs/open.ts). */
import { KVS_KEYS } from '../../kvs/keys.js';
import type { KvsUpdate, SiteKvs } from '../../kvs/site-kvs.js';

/** One write: the live pointer, or a preview host's. */
export function writePointer(kvs: SiteKvs, id: number, host?: string): Promise<KvsUpdate> {
  return kvs.update({ put: { [host === undefined ? KVS_KEYS.live : KVS_KEYS.host(host)]: String(id) } });
}
