/**
 * The site served by edgeship's local edge, set up as `edgeship init` sets up a folder of
 * static files (its config and url-handler), deployed into a store on disk.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initFiles } from '../../src/cli/init.js';
import { detectProject } from '../../src/config/detect/detect.js';
import { readProjectFacts } from '../../src/config/detect/facts.js';
import { readConfig } from '../../src/config/file.js';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { FsStore } from '../../src/store/fs-store.js';
import type { RedirectDialect } from '../../src/redirects/types.js';
import { writeSite } from './site.js';

export interface EdgeshipSite {
  dir: string;
  edge: RunningEdge;
  close(): Promise<void>;
}

/** Writes the site, runs init's files, deploys and serves it; the viewer is placed in `country`. */
export async function serveWithEdgeship(dialect: RedirectDialect, redirects: string, headers: string, country: string): Promise<EdgeshipSite> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `edgeship-peers-${dialect}-`));
  writeSite(dir, redirects, headers);
  for (const [name, text] of Object.entries(initFiles(detectProject(await readProjectFacts(dir)), 'example.com', { atomic: false }))) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const { raw } = await readConfig({ cwd: dir });
  const config = raw as { behaviors: { headers?: string }[] } & Record<string, unknown>;
  // The init config's security policy sets the headers the `_headers` file sets too, which
  // edgeship refuses (one writer per header): the file is what is compared here.
  for (const behavior of config.behaviors) delete behavior.headers;
  const site = resolveConfig({ ...config, platformFiles: { dialect }, edge: { viewer: { country } } }, dir);
  await deploySite(site);
  const edge = await startEdge({ site, store: new FsStore(path.join(dir, '.edgeship/store')), port: 0, announce: false });
  return {
    dir,
    edge,
    close: async () => {
      await edge.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
