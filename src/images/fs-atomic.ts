import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import path from 'node:path';

/**
 * Writes a file so that readers see the old bytes or the new ones, never a part: a temporary
 * file in the same folder, then a rename over the target.
 */
export async function writeFileAtomic(file: string, data: Buffer | string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

/** Copies a file atomically (temporary copy, then rename); uses a copy-on-write clone where the file system has one. */
export async function copyFileAtomic(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  const tmp = `${to}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.copyFile(from, tmp, fs.constants.COPYFILE_FICLONE);
    await fs.rename(tmp, to);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Size of a file, or undefined when there is none. Synchronous: a warm run checks hundreds of
 * outputs, and a sync stat costs microseconds where an async one waits for the thread pool.
 */
export function fileSize(file: string): number | undefined {
  const stat = fsSync.statSync(file, { throwIfNoEntry: false });
  return stat?.isFile() ? stat.size : undefined;
}
