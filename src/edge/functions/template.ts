/**
 * Function code edgeship generates from a file in templates/ (shipped in the package). Full-line
 * comments and indentation are dropped: they count against CloudFront's 10 KB limit (spec §7.5)
 * in every deployed copy and say nothing at run time. The templates hold no multi-line strings,
 * so dropping indentation changes no value.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export function compactTemplate(name: string): string {
  const text = fs.readFileSync(fileURLToPath(new URL(`../../../templates/${name}`, import.meta.url)), 'utf8');
  return text
    .split('\n')
    .filter((line) => !/^\s*\/\//.test(line))
    .map((line) => line.trimStart())
    .join('\n');
}
