import fs from 'node:fs';
import path from 'node:path';
import { detectProject, type Detection } from '../config/detect/detect.js';
import { readProjectFacts } from '../config/detect/facts.js';
import { CONFIG_NAMES, isRecord, readConfigFile } from '../config/file.js';
import { PRESET_NAMES, presetSpec, type PresetName, type UrlLayout } from '../config/presets/index.js';
import { renderConfig } from '../config/presets/render.js';
import { renderUrlHandler } from '../config/presets/url-handler.js';
import { deploySchema } from '../config/deploy-schema.js';
import { EdgeshipError, EXIT } from '../errors.js';
import type { Io } from './io.js';


export interface InitOptions {
  /** Force a preset; without it the project is detected. */
  preset?: string;
  domain?: string;
  /** Overwrite the files this call writes (never others). */
  force?: boolean;
  /** `--ci github`: also write .github/workflows/deploy.yml (only it, in a project that has a config). */
  ci?: string;
  /** `--in-place`: deploys replace files where they are, instead of atomic deploys (the default for a new project). */
  inPlace?: boolean;
  /** `--preview-domain HOST`: previews at `<name>.HOST`, written into the config and the url-handler alike. */
  previewDomain?: string;
}

const WORKFLOW = '.github/workflows/deploy.yml';
const HANDLER = 'edge/url-handler.js';

/** The files `init` writes for a detection: relative path -> contents. */
export function initFiles(detection: Detection, domain: string, mode: { atomic?: boolean; previewDomain?: string } = {}): Record<string, string> {
  const spec = presetSpec(detection.preset, { domain, site: detection.site, url: detection.url, notFoundPage: detection.notFoundPage, urlHandler: HANDLER, atomic: mode.atomic, previewDomain: mode.previewDomain });
  return {
    'edgeship.config.ts': renderConfig(spec, detection.facts),
    [HANDLER]: renderUrlHandler(domain, [`www.${domain}`], spec.url, { atomic: spec.atomic, previewDomain: spec.previewDomain }),
  };
}

/** The files for a preset with its default layout (what `init --preset NAME` writes in an empty folder). */
export function presetFiles(preset: PresetName, domain: string, url?: Partial<UrlLayout>, mode: { atomic?: boolean } = {}): Record<string, string> {
  const spec = presetSpec(preset, { domain, url });
  return initFiles({ preset, site: spec.site, url: spec.url, notFoundPage: spec.notFoundPage, facts: [], notes: [] }, domain, mode);
}

/** `edgeship init`: detects the project and writes a commented config and its CloudFront Function; never overwrites without --force. */
export async function runInit(options: InitOptions, io: Io): Promise<number> {
  const preset = checkPreset(options.preset);
  const domain = checkDomain(options.domain ?? 'example.com');
  if (options.ci !== undefined && options.ci !== 'github') {
    throw new EdgeshipError('UNKNOWN_CI', `unknown CI provider "${options.ci}"`, { exitCode: EXIT.usage, hint: 'available: github' });
  }
  const existingConfig = CONFIG_NAMES.find((name) => fs.existsSync(path.join(io.cwd, name)));
  if (options.ci && existingConfig && !preset) {
    // A project that has its config already: the workflow is the one file asked for.
    const raw = await readConfigFile(path.join(io.cwd, existingConfig));
    const configured = isRecord(raw) && typeof raw.domain === 'string' ? raw.domain : undefined;
    const files = { [WORKFLOW]: await workflowText(options.domain ? domain : (configured ?? domain)) };
    write(files, options.force, io);
    io.out(`kept ${existingConfig} and ${HANDLER} as they are`);
    io.out('CI: set the repository variable AWS_DEPLOY_ROLE_ARN (an OIDC role); see docs/synth.md');
    return EXIT.ok;
  }

  const detection = detectProject(await readProjectFacts(io.cwd), preset);
  for (const fact of detection.facts) io.out(`found: ${fact}`);
  for (const note of detection.notes) io.err(`note: ${note}`);
  io.out(`preset: ${detection.preset}; site: ${detection.site}/; pages at ${detection.url.trailingSlash ? '/page/' : '/page'} (${detection.url.layout === 'file' ? 'page.html' : 'page/index.html'}), the other form redirected with ${detection.url.redirectStatus}\n`);
  if (options.previewDomain !== undefined && options.inPlace) {
    throw new EdgeshipError('INIT_BAD_OPTION', '--preview-domain needs atomic deploys, and --in-place turns them off', { exitCode: EXIT.usage, hint: 'drop one of the two options' });
  }
  const previewDomain = options.previewDomain?.toLowerCase();
  const bad = previewDomain === undefined ? undefined : deploySchema.shape.previewDomain.safeParse(previewDomain).error;
  if (bad) throw new EdgeshipError('INIT_BAD_OPTION', `--preview-domain ${previewDomain} ${bad.issues[0]?.message ?? 'is not valid'}`, { exitCode: EXIT.usage, hint: 'previews are served at NAME.<host>: pass a host you can point a wildcard record at' });
  const files = initFiles(detection, domain, { atomic: !options.inPlace, previewDomain });
  if (options.ci) files[WORKFLOW] = await workflowText(domain);
  write(files, options.force, io);
  io.out(`\nNext: edgeship explain ${detection.url.basePath}/ ${detection.url.basePath}/about${detection.url.trailingSlash ? '/' : ''}   (what each URL gets, before anything is deployed)`);
  io.out('To AWS: edgeship provision creates the bucket and distribution and fills in targets.production (docs/synth.md)');
  if (options.ci) io.out('CI: set the repository variable AWS_DEPLOY_ROLE_ARN (an OIDC role); see docs/synth.md');
  return EXIT.ok;
}

function checkPreset(name: string | undefined): PresetName | undefined {
  if (name === undefined) return undefined;
  if ((PRESET_NAMES as readonly string[]).includes(name)) return name as PresetName;
  throw new EdgeshipError('UNKNOWN_PRESET', `unknown preset "${name}"`, { exitCode: EXIT.usage, hint: `available: ${PRESET_NAMES.join(', ')}` });
}

function checkDomain(domain: string): string {
  if (!/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i.test(domain)) {
    throw new EdgeshipError('BAD_DOMAIN', `"${domain}" is not a host name`, { exitCode: EXIT.usage, hint: 'pass --domain example.com' });
  }
  return domain.toLowerCase();
}

async function workflowText(domain: string): Promise<string> {
  // Loaded on use (it brings yaml): every other command starts without it.
  const { githubWorkflow } = await import('../synth/workflow.js');
  return githubWorkflow({ domain });
}

/** Writes all files or none: an existing one stops the whole call unless --force. */
function write(files: Record<string, string>, force: boolean | undefined, io: Io): void {
  const existing = Object.keys(files).filter((f) => fs.existsSync(path.join(io.cwd, f)));
  if (existing.length > 0 && !force) {
    throw new EdgeshipError('INIT_EXISTS', `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written`, {
      exitCode: EXIT.usage,
      hint: `pass --force to overwrite ${existing.length === 1 ? 'it' : 'them'}`,
    });
  }
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(io.cwd, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    io.out(`${existing.includes(rel) ? 'overwrote' : 'wrote'} ${rel}`);
  }
}
