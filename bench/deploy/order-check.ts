/**
 * Whether a deploy, as the proxy saw it, kept the order that keeps viewers safe: every non-HTML
 * object of the site stored (answered) before the first HTML write was sent, and every delete
 * of a site key sent after the last write was answered. Read from the wire, not from the tool's
 * own account. Keys under `.edgeship/` (manifest, lock, probe) are the tool's bookkeeping.
 */
import type { LoggedRequest } from './counting-proxy.js';

export interface OrderVerdict {
  kept: boolean;
  /** What broke the order, with the keys and times; empty when it was kept. */
  problems: string[];
}

const isSiteKey = (key: string) => key !== '' && !key.startsWith('.edgeship/');
const isHtml = (key: string) => key.endsWith('.html');
/** PutObject, CopyObject, UploadPart, and the POSTs of a multipart upload (not DeleteObjects). */
const isWrite = (r: LoggedRequest) => (r.method === 'PUT' || (r.method === 'POST' && r.deleteKeys === undefined)) && isSiteKey(r.key);
const isDelete = (r: LoggedRequest) => (r.method === 'DELETE' && isSiteKey(r.key)) || (r.deleteKeys ?? []).some(isSiteKey);

function latest(list: LoggedRequest[]): LoggedRequest | undefined {
  return list.reduce<LoggedRequest | undefined>((a, r) => (a === undefined || r.end > a.end ? r : a), undefined);
}

function earliest(list: LoggedRequest[]): LoggedRequest | undefined {
  return list.reduce<LoggedRequest | undefined>((a, r) => (a === undefined || r.start < a.start ? r : a), undefined);
}

const at = (ms: number) => `${ms.toFixed(0)} ms`;
const named = (r: LoggedRequest) => (r.key !== '' ? r.key : (r.deleteKeys ?? []).find(isSiteKey) ?? '?');

export function checkOrder(log: readonly LoggedRequest[]): OrderVerdict {
  const writes = log.filter(isWrite);
  const problems: string[] = [];
  const lastAsset = latest(writes.filter((r) => !isHtml(r.key)));
  const firstHtml = earliest(writes.filter((r) => isHtml(r.key)));
  if (lastAsset && firstHtml && firstHtml.start < lastAsset.end) {
    problems.push(`HTML ${firstHtml.key} was sent at ${at(firstHtml.start)}, before ${lastAsset.key} was stored at ${at(lastAsset.end)}`);
  }
  const lastWrite = latest(writes);
  const firstDelete = earliest(log.filter(isDelete));
  if (lastWrite && firstDelete && firstDelete.start < lastWrite.end) {
    problems.push(`a delete of ${named(firstDelete)} was sent at ${at(firstDelete.start)}, before ${lastWrite.key} was stored at ${at(lastWrite.end)}`);
  }
  return { kept: problems.length === 0, problems };
}
