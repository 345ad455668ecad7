/**
 * Where an atomic deploy puts its files. Pages and every other file the url-handler rewrites
 * live under `_deploys/<id>/`; content-hashed assets keep their natural keys, shared by every
 * deploy. The url-handler (templates/url-handler.js) builds the same prefix from the id it reads.
 */
import { EdgeshipError, EXIT } from '../../errors.js';

export const DEPLOYS_PREFIX = '_deploys/';

export function deployPrefix(id: number): string {
  return `${DEPLOYS_PREFIX}${id}/`;
}

/** The deploy a stored key belongs to (`_deploys/7/about/index.html` -> 7); undefined for a shared key. */
export function deployIdOfKey(key: string): number | undefined {
  if (!key.startsWith(DEPLOYS_PREFIX)) return undefined;
  const m = /^(\d+)\//.exec(key.slice(DEPLOYS_PREFIX.length));
  return m ? Number(m[1]) : undefined;
}

/** A preview name becomes the first label of a host name: a DNS label, lower case. */
export function previewHost(name: string, previewDomain: string | undefined): string {
  if (!previewDomain) {
    throw new EdgeshipError('NO_PREVIEW_DOMAIN', `deploy --preview ${name}: no deploy.previewDomain is configured`, {
      exitCode: EXIT.usage,
      hint: "set deploy.previewDomain in the config (e.g. 'preview.example.com'): a preview is served at <name>.<previewDomain>",
    });
  }
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) {
    throw new EdgeshipError('BAD_PREVIEW_NAME', `"${name}" is not a preview name: it becomes the host label of ${name}.${previewDomain}`, {
      exitCode: EXIT.usage,
      hint: 'use lower-case letters, digits and inner hyphens, at most 63 characters (e.g. a branch name with / replaced by -)',
    });
  }
  return `${name}.${previewDomain}`;
}

/**
 * The stored keys as the URLs of one deploy would reach them: shared keys as they are, the
 * keys of deploy `live` without their prefix, other deploys' keys left out. Without a known
 * live id, the newest deploy in the keys stands for it. Keys of a store that holds no deploy
 * prefix come back unchanged.
 */
export function keysOfDeploy(keys: readonly string[], live?: number): string[] {
  const ids = keys.map(deployIdOfKey).filter((id): id is number => id !== undefined);
  if (ids.length === 0) return [...keys];
  const id = live ?? Math.max(...ids);
  const prefix = deployPrefix(id);
  const out = new Set<string>();
  for (const k of keys) {
    if (deployIdOfKey(k) === undefined) out.add(k);
    else if (k.startsWith(prefix)) out.add(k.slice(prefix.length));
  }
  return [...out].sort();
}
