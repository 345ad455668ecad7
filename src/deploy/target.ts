import type { SiteModel } from '../config/model.js';
import type { StoreConfig } from '../config/schema.js';
import type { ObjectStore } from '../store/types.js';

/** Opens the store a target names. */
export async function openTargetStore(config: StoreConfig, site: Pick<SiteModel, 'rootDir'>): Promise<ObjectStore> {
  // Replaced by the store module's openStore once it lands.
  const modulePath = '../store/open.js';
  const mod = (await import(modulePath)) as { openStore(config: StoreConfig, opts: { rootDir: string }): Promise<ObjectStore> | ObjectStore };
  return mod.openStore(config, { rootDir: site.rootDir });
}
