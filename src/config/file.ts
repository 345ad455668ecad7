import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError } from './errors.js';

// Finding and reading the config file, apart from its validation (load.ts): the schema library
// is a third of the CLI's start-up, and a deploy asks the store for its listing before it.

/** A plain object, as config blocks are (not null, not an array). */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const CONFIG_NAMES = ['edgeship.config.ts', 'edgeship.config.mts', 'edgeship.config.mjs', 'edgeship.config.js', 'edgeship.config.json'];

/** The config file in `dir` or the nearest folder above it, or `undefined`. */
export function findConfigFile(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(current, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Reads a config module or JSON file to its raw (unvalidated) value. TypeScript needs no build step. */
export async function readConfigFile(file: string): Promise<unknown> {
  if (file.endsWith('.json')) {
    const text = fs.readFileSync(file, 'utf8');
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ConfigError([{ path: '', message: `is not valid JSON: ${(error as Error).message}` }], file);
    }
  }
  try {
    // `import { defineConfig } from 'edgeship'` must load even where edgeship runs through npx
    // and is not installed beside the config: point it at this very package.
    const { createJiti } = await import('jiti'); // only module configs need it; JSON does not
    const jiti = createJiti(pathToFileURL(file).href, { moduleCache: false, alias: { edgeship: selfEntry() } });
    const mod = (await jiti.import(file)) as { default?: unknown };
    return mod.default ?? mod;
  } catch (error) {
    throw new ConfigError([{ path: '', message: `could not be loaded: ${(error as Error).message}` }], file);
  }
}

function selfEntry(): string {
  const js = fileURLToPath(new URL('./public.js', import.meta.url));
  return fs.existsSync(js) ? js : js.replace(/\.js$/, '.ts');
}

export interface LoadOptions {
  /** Where to look for a config; default the working folder. */
  cwd?: string;
  /** An explicit config file (`--config`). */
  configFile?: string;
}

/** A config as read, not yet validated: the file's value (`{}` without a file) and the folder paths resolve from. */
export interface RawConfig {
  raw: unknown;
  rootDir: string;
  file?: string;
}

/** Finds and reads the config (`--config` or the nearest config file); without one, an empty config. */
export async function readConfig(options: LoadOptions = {}): Promise<RawConfig> {
  const cwd = options.cwd ?? process.cwd();
  const file = options.configFile ? path.resolve(cwd, options.configFile) : findConfigFile(cwd);
  if (options.configFile && !fs.existsSync(file!)) {
    throw new ConfigError([{ path: '', message: `${file} does not exist` }], options.configFile);
  }
  if (!file) return { raw: {}, rootDir: cwd };
  return { raw: await readConfigFile(file), rootDir: path.dirname(file), file };
}
