/** The deploy history's object in the store (beside the manifest, under the reserved prefix the edge never serves). */
import zlib from 'node:zlib';
import { RESERVED_PREFIX } from '../../edge/contracts.js';
import { EdgeshipError, EXIT } from '../../errors.js';
import type { ObjectStore } from '../../store/types.js';
import { emptyHistory, type DeployHistory } from './history.js';

export const HISTORY_KEY = `${RESERVED_PREFIX}deploys.json.br`;

export async function readHistory(store: ObjectStore): Promise<DeployHistory> {
  const got = await store.get(HISTORY_KEY);
  if (!got) return emptyHistory();
  const chunks: Buffer[] = [];
  for await (const chunk of got.body as AsyncIterable<Buffer>) chunks.push(chunk);
  let parsed: DeployHistory;
  try {
    parsed = JSON.parse(zlib.brotliDecompressSync(Buffer.concat(chunks)).toString('utf8')) as DeployHistory;
  } catch (error) {
    throw corrupt(store, (error as Error).message);
  }
  if (parsed?.version !== 1 || !Array.isArray(parsed.deploys) || !parsed.deploys.every((d) => Number.isInteger(d?.id) && Array.isArray(d.shared))) {
    throw corrupt(store, 'it does not have the expected shape');
  }
  return parsed;
}

export async function writeHistory(store: ObjectStore, history: DeployHistory): Promise<void> {
  // Quality 5: the shared-key lists repeat from one deploy to the next, which brotli finds from quality 5 on.
  const body = zlib.brotliCompressSync(Buffer.from(JSON.stringify(history)), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
  await store.put(HISTORY_KEY, body, { contentType: 'application/x-brotli', cacheControl: 'no-store' });
}

function corrupt(store: ObjectStore, why: string): EdgeshipError {
  return new EdgeshipError('HISTORY_CORRUPT', `${store.location} ${HISTORY_KEY}: the deploy history cannot be read: ${why}`, {
    exitCode: EXIT.failed,
    hint: `delete ${HISTORY_KEY} from the store and deploy again: the live pointer stays, older deploys are then pruned by the next deploys`,
  });
}
