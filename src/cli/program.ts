import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/errors.js';
import { readConfig } from '../config/file.js';
import { EdgeshipError, EXIT } from '../errors.js';
import type { CommandContext, Register } from './context.js';
import type { Io } from './io.js';
import { registerAudit } from './audit.js';
import { registerSynth } from './synth.js';
import { registerProvision } from './provision.js';
import { registerDeploy } from './deploy.js';
import { registerInvalidate } from './invalidate.js';
import { registerServe } from './serve.js';
import { registerImages } from './images.js';
import { registerFunctions } from './functions.js';
import { registerDeploys } from './deploys.js';
import { registerRollback } from './rollback.js';
import { registerPreviews } from './previews.js';

export type { CommandContext, Register } from './context.js';

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const registerInit: Register = (program, ctx) => {
  program
    .command('init')
    .description('detect the project (Next.js, Astro, Hugo, a static folder) and write a commented edgeship.config.ts and its CloudFront Function')
    .option('--preset <name>', 'use this preset instead of detecting: nextjs-export, astro, hugo, static')
    .option('--domain <host>', 'canonical host name (default: example.com)')
    .option('--force', 'overwrite the files this call writes')
    .option('--ci <provider>', 'write a CI workflow that deploys on push (github); in a project with a config, only the workflow')
    .option('--in-place', 'deploys replace files where they are, instead of atomic deploys (each under its own prefix, switched by one KeyValueStore write)')
    .option('--preview-domain <host>', 'serve deploy --preview NAME at NAME.<host> (atomic mode)')
    .action(async (opts: { preset?: string; domain?: string; force?: boolean; ci?: string; inPlace?: boolean; previewDomain?: string }) => {
      // Loaded on use: detection brings the TOML, YAML and JavaScript parsers no other command needs.
      const { runInit } = await import('./init.js');
      ctx.exitCode = await runInit(opts, ctx.io);
    });
};

const registerExplain: Register = (program, ctx) => {
  program
    .command('explain')
    .description('show the behavior, headers and TTLs each URL path gets (the whole table without paths)')
    .argument('[paths...]', 'URL paths such as /about or /_next/static/chunks/main.js')
    .option('--host <host>', 'Host header the viewer sends (default: the config domain)')
    .option('--json', 'machine-readable output')
    .action(async (paths: string[], opts: { json?: boolean; host?: string }) => {
      // Loaded on use: explain brings the CloudFront Functions runtime.
      const { runExplain } = await import('./explain.js');
      ctx.exitCode = await runExplain(await ctx.loadSite(), paths, opts, ctx.io);
    });
};

/** Every command, in help order. A new command adds one line here. */
const COMMANDS: Register[] = [registerInit, registerExplain, registerImages, registerDeploy, registerDeploys, registerRollback, registerPreviews, registerServe, registerInvalidate, registerSynth, registerProvision, registerAudit, registerFunctions];

export function buildProgram(io: Io): { program: Command; ctx: CommandContext } {
  const program = new Command('edgeship')
    .description('Ship static sites to object storage behind a CDN, with caching right by construction.')
    .version(version(), '-v, --version')
    .option('-c, --config <file>', 'config file (default: edgeship.config.{ts,mts,mjs,js,json} found from the working folder)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  const ctx: CommandContext = {
    io,
    exitCode: EXIT.ok,
    loadSite: async (beforeValidation) => {
      const config = await readConfig({ cwd: io.cwd, configFile: program.opts<{ config?: string }>().config });
      if (!config.file) {
        // Defaults are a fine start, but a misspelled config file must not pass unnoticed.
        io.err(`note: no edgeship.config.{ts,mts,mjs,js,json} in ${io.cwd} or above: using the defaults (site 'out', every path 5 minutes at the edge, no functions); \`edgeship init\` writes one for this project`);
      }
      await beforeValidation?.(config);
      // The schema library is a third of the start-up: loaded only by commands that read the config.
      const { resolveConfig } = await import('../config/load.js');
      const site = resolveConfig(config.raw, config.rootDir, config.file);
      for (const w of site.warnings) io.err(`warning: ${w.path}: ${w.message}`);
      return site;
    },
  };
  for (const register of COMMANDS) register(program, ctx);
  program.commands.forEach((c) => c.exitOverride());
  return { program, ctx };
}

/** Runs the CLI with arguments (without `node` and the script); returns the exit status. Never exits the process. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const { program, ctx } = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    const code = reportError(error, io);
    // With --json, a failure is an object on stdout too: a script never parses an empty output.
    if (code !== EXIT.ok && wantsJson(argv)) io.out(JSON.stringify(errorJson(error, code), null, 2));
    return code;
  }
}

const wantsJson = (argv: readonly string[]) => argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length).includes('--json');

/** `{ error: { code, message, hint?, exitCode } }`: what `--json` prints when a command fails. */
export function errorJson(error: unknown, exitCode: number): { error: { code: string; message: string; hint?: string; exitCode: number } } {
  const e = error as { code?: unknown; message?: unknown; hint?: unknown };
  const code = typeof e?.code === 'string' ? e.code : error instanceof CommanderError ? 'USAGE' : 'INTERNAL';
  const hint = error instanceof EdgeshipError ? error.hint : undefined;
  return { error: { code, message: typeof e?.message === 'string' ? e.message : String(error), ...(hint ? { hint } : {}), exitCode } };
}

export function reportError(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with exit code 0.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof ConfigError) {
    io.err(`error: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof EdgeshipError) {
    io.err(`error: ${error.message}${error.hint ? `\n  fix: ${error.hint}` : ''}`);
    return error.exitCode;
  }
  io.err(`error: ${(error as Error)?.stack ?? String(error)}`);
  return EXIT.failed;
}
