import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EdgeshipError, EXIT } from '../errors.js';
import { NEXTJS_CSP, PRESETS, type PresetName } from '../config/presets.js';
import type { Io } from './io.js';

export interface InitOptions {
  preset?: string;
  domain?: string;
  force?: boolean;
  /** `--ci github`: also write .github/workflows/deploy.yml. */
  ci?: string;
}

/** Folder of the files `init` writes (shipped in the package). */
export function templatesDir(): string {
  return fileURLToPath(new URL('../../templates/', import.meta.url));
}

/** The files `init` writes for a preset: relative path -> contents. */
export function presetFiles(preset: PresetName, domain: string): Record<string, string> {
  const dir = templatesDir();
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  const config = read(`${preset}.config.ts`).replaceAll('__DOMAIN__', domain).replace('__CSP__', NEXTJS_CSP);
  const handler = read('url-handler.js').replaceAll('__DOMAIN__', domain);
  return { 'edgeship.config.ts': config, 'edge/url-handler.js': handler };
}

/** `edgeship init`: writes a commented config and its CloudFront Function; never overwrites without --force. */
export async function runInit(options: InitOptions, io: Io): Promise<number> {
  const preset = (options.preset ?? 'nextjs-export') as PresetName;
  if (!(preset in PRESETS)) {
    throw new EdgeshipError('UNKNOWN_PRESET', `unknown preset "${options.preset}"`, {
      exitCode: EXIT.usage,
      hint: `available: ${Object.keys(PRESETS).join(', ')}`,
    });
  }
  const domain = options.domain ?? 'example.com';
  if (!/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i.test(domain)) {
    throw new EdgeshipError('BAD_DOMAIN', `"${domain}" is not a host name`, { exitCode: EXIT.usage, hint: 'pass --domain example.com' });
  }
  if (options.ci !== undefined && options.ci !== 'github') {
    throw new EdgeshipError('UNKNOWN_CI', `unknown CI provider "${options.ci}"`, { exitCode: EXIT.usage, hint: 'available: github' });
  }
  const files = presetFiles(preset, domain.toLowerCase());
  if (options.ci === 'github') {
    // Loaded on use (it brings yaml): every other command starts without it.
    const { githubWorkflow } = await import('../synth/workflow.js');
    files['.github/workflows/deploy.yml'] = githubWorkflow({ domain: domain.toLowerCase() });
  }
  const existing = Object.keys(files).filter((f) => fs.existsSync(path.join(io.cwd, f)));
  if (existing.length > 0 && !options.force) {
    throw new EdgeshipError('INIT_EXISTS', `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written`, {
      exitCode: EXIT.usage,
      hint: 'pass --force to overwrite',
    });
  }
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(io.cwd, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    io.out(`${existing.includes(rel) ? 'overwrote' : 'wrote'} ${rel}`);
  }
  io.out(`\nNext: edgeship explain / /about /_next/static/chunks/main.js`);
  if (options.ci === 'github') io.out('CI: set the repository variable AWS_DEPLOY_ROLE_ARN (an OIDC role); see docs/synth.md');
  return EXIT.ok;
}
