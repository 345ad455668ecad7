import fs from 'node:fs';
import path from 'node:path';

/** Writes files under `root`, making their folders: `{ 'out/index.html': 'home' }`. */
export function writeTree(root: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
}
