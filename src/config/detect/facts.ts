import fs from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { readConfigLiteral, type LiteralObject } from './literal.js';

// What project detection reads from disk; detect.ts decides from it without touching the disk.

/** A framework config file found in the project, with the values that could be read from it. */
export interface ConfigFileFacts {
  /** Path relative to the project, e.g. `next.config.mjs`. */
  file: string;
  /** Its literal values; `undefined` when none could be read (then `problem` says why). */
  values?: LiteralObject;
  problem?: string;
}

export interface ProjectFacts {
  /** Names at the project's root (files and folders). */
  entries: string[];
  /** Dependency names from package.json (dependencies and devDependencies). */
  dependencies: string[];
  next?: ConfigFileFacts;
  astro?: ConfigFileFacts;
  hugo?: ConfigFileFacts;
  /** Each existing candidate build folder: the HTML files in it (paths relative to it, at most LISTING_LIMIT). */
  builds: Record<string, string[]>;
}

export const BUILD_FOLDERS = ['out', 'dist', 'build', 'public', '_site'];
const NEXT_CONFIGS = ['next.config.js', 'next.config.mjs', 'next.config.cjs', 'next.config.ts', 'next.config.mts'];
const ASTRO_CONFIGS = ['astro.config.mjs', 'astro.config.js', 'astro.config.ts', 'astro.config.mts', 'astro.config.cjs'];
const HUGO_CONFIGS = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json', 'config.toml', 'config.yaml', 'config.yml', 'config.json']
  .flatMap((name) => [name, `config/_default/${name}`]);
const LISTING_LIMIT = 5_000;

/** Reads what detection needs from a project folder: its configs and the layout of any build in it. */
export async function readProjectFacts(dir: string, extraBuildFolders: string[] = []): Promise<ProjectFacts> {
  const entries = safe(() => fs.readdirSync(dir), []);
  const exists = (rel: string) => fs.existsSync(path.join(dir, rel));
  const facts: ProjectFacts = { entries, dependencies: packageDependencies(dir), builds: {} };
  const nextFile = NEXT_CONFIGS.find(exists);
  if (nextFile) facts.next = await readScriptConfig(dir, nextFile);
  const astroFile = ASTRO_CONFIGS.find(exists);
  if (astroFile) facts.astro = await readScriptConfig(dir, astroFile);
  const hugoFile = HUGO_CONFIGS.find(exists);
  // `config.toml` alone is not Hugo's: it counts beside Hugo's own folders only.
  if (hugoFile && (hugoFile.includes('hugo.') || ['content', 'layouts', 'themes', 'archetypes'].some(exists))) facts.hugo = readDataConfig(dir, hugoFile);
  for (const folder of new Set([...BUILD_FOLDERS, ...extraBuildFolders])) {
    const abs = path.resolve(dir, folder);
    if (abs.startsWith(path.resolve(dir)) && safe(() => fs.statSync(abs).isDirectory(), false)) facts.builds[folder] = listHtml(abs);
  }
  return facts;
}

function packageDependencies(dir: string): string[] {
  const pkg = safe(() => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>, {});
  const names = (v: unknown) => (v && typeof v === 'object' ? Object.keys(v) : []);
  return [...names(pkg.dependencies), ...names(pkg.devDependencies)];
}

async function readScriptConfig(dir: string, file: string): Promise<ConfigFileFacts> {
  let source = fs.readFileSync(path.join(dir, file), 'utf8');
  if (/\.m?ts$/.test(file)) {
    // Types stripped by the same loader that reads edgeship's own TypeScript configs; nothing is run.
    const { createJiti } = await import('jiti');
    try {
      source = createJiti(path.join(dir, file)).transform({ source, filename: file, ts: true });
    } catch (error) {
      return { file, problem: `could not be parsed: ${(error as Error).message.split('\n')[0]}` };
    }
  }
  const values = readConfigLiteral(source);
  return values ? { file, values } : { file, problem: 'exports no object edgeship can read without running it' };
}

function readDataConfig(dir: string, file: string): ConfigFileFacts {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  try {
    const data = file.endsWith('.toml') ? parseToml(text) : file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    return { file, values: lowerKeys(data) as LiteralObject };
  } catch (error) {
    return { file, problem: `could not be parsed: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Hugo's config keys are case-insensitive (`uglyURLs`, `uglyurls`). */
function lowerKeys(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), lowerKeys(v)]));
}

/** HTML files under a build folder, relative to it, in a stable order; bounded, a listing is evidence, not an inventory. */
function listHtml(root: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const entry of safe(() => fs.readdirSync(abs, { withFileTypes: true }), []).sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= LISTING_LIMIT) return;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(abs, entry.name), childRel);
      else if (entry.isFile() && entry.name.endsWith('.html')) out.push(childRel);
    }
  };
  walk(root, '');
  return out;
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
