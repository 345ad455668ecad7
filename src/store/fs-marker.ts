import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { STORE_ERRORS, storeError } from './errors.js';
import { errno } from './fs-errors.js';
import { tmpPath } from './fs-layout.js';
import { readdirOrEmpty } from './fs-walk.js';

/** The file that marks a folder as an fs store, with the layout version. */
export const FS_STORE_MARKER = 'edgeship-store.json';
const FORMAT = { format: 'edgeship-fs-store', version: 1 } as const;

/**
 * Makes `dir` a store: checks its marker, or writes one into an empty or new folder, and
 * creates the top folders. A non-empty folder without a marker is refused, so a store pointed
 * at the build folder by mistake never deletes the site's own files. `fail` maps a
 * file-system error of reading the marker.
 */
export async function prepareStoreDir(dir: string, location: string, fail: (err: unknown) => Error): Promise<void> {
  const markerPath = path.join(dir, FS_STORE_MARKER);
  let marker: string | undefined;
  try {
    marker = await readFile(markerPath, 'utf8');
  } catch (err) {
    if (errno(err) !== 'ENOENT') throw fail(err);
  }
  if (marker !== undefined) checkMarker(marker, markerPath, location);
  else if ((await readdirOrEmpty(dir)).length > 0) {
    throw storeError(
      STORE_ERRORS.fsInvalid,
      `${location} is a non-empty folder that is not an edgeship store (no ${FS_STORE_MARKER})`,
      'set targets.<name>.store.dir to an empty or new folder such as ".edgeship/store", never the build folder',
    );
  }
  for (const sub of ['tmp', 'meta', 'blobs']) await mkdir(path.join(dir, sub), { recursive: true });
  if (marker === undefined) {
    const tmp = tmpPath(dir, `${randomUUID()}.marker`);
    const handle = await open(tmp, 'wx');
    await handle.writeFile(`${JSON.stringify(FORMAT)}\n`);
    await handle.close();
    await rename(tmp, markerPath);
  }
}

function checkMarker(marker: string, markerPath: string, location: string): void {
  let parsed: { format?: unknown; version?: unknown } = {};
  try {
    parsed = JSON.parse(marker) as typeof parsed;
  } catch {
    // reported below
  }
  if (parsed.format !== FORMAT.format || parsed.version !== FORMAT.version) {
    throw storeError(STORE_ERRORS.fsInvalid, `${location}: ${markerPath} is not an edgeship fs store of version ${FORMAT.version}`, 'point the fs store at an empty folder, or remove this folder to start over');
  }
}
