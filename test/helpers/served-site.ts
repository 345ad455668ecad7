/**
 * A framework build set up as `edgeship init` sets it up (its config and url-handler), with
 * extra files written into it, deployed to its local store and served by the local edge.
 */
import fs from 'node:fs';
import path from 'node:path';
import { initFiles } from '../../src/cli/init.js';
import { detectProject } from '../../src/config/detect/detect.js';
import { readProjectFacts } from '../../src/config/detect/facts.js';
import { loadConfig } from '../../src/config/load.js';
import type { SiteModel } from '../../src/config/model.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { FsStore } from '../../src/store/fs-store.js';
import { copySite, type FrameworkSite } from './framework-sites.js';

export interface ServedSite {
  dir: string;
  site: SiteModel;
  edge: RunningEdge;
  close(): Promise<void>;
}

/** `files`: paths relative to the project folder (`dist/_headers`), written after `init`. */
export async function serveInitSite(name: FrameworkSite, options: { atomic: boolean; files: Record<string, string> }): Promise<ServedSite> {
  const dir = copySite(name);
  const init = initFiles(detectProject(await readProjectFacts(dir)), 'example.com', { atomic: options.atomic });
  for (const [file, text] of Object.entries({ ...init, ...options.files })) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const site = await loadConfig({ cwd: dir });
  await deploySite(site);
  const edge = await startEdge({ site, store: new FsStore(path.join(dir, '.edgeship/store')), port: 0, announce: false });
  return {
    dir,
    site,
    edge,
    async close() {
      await edge.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
