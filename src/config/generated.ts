/**
 * Where edgeship writes the function code it generates from the site's files (the url-handler
 * with `_redirects` compiled in, the viewer-response function): beside the store, so the local
 * edge, `synth`, `explain` and `functions test` all run the same code.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Where compiled functions are written, under the project's `.edgeship/`. */
export function compiledFunctionsDir(rootDir: string): string {
  return path.join(rootDir, '.edgeship', 'functions');
}

/** Writes a compiled function only when its code changed, atomically: a running edge watching it never reads half a file. */
export function writeIfChanged(file: string, code: string): void {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === code) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, file);
}
