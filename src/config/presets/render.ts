import { productionTargetStub } from '../../synth/production-target.js';
import { presetConfig, type PresetSpec } from './index.js';

/**
 * The `edgeship.config.ts` text `init` writes for a preset: the same values as `presetConfig`
 * (a test loads one and compares it with the other), laid out and commented for a person to edit.
 */
export function renderConfig(spec: PresetSpec, facts: string[] = []): string {
  const config = presetConfig(spec);
  const lines = [
    `// edgeship config for ${spec.title} (preset: ${spec.name}).`,
    ...(facts.length ? ['// What `edgeship init` found:', ...facts.map((f) => `//   ${f}`)] : []),
    '// One table drives everything: the headers stored on each object at deploy, the local edge',
    '// (`edgeship serve`), the CloudFront stack (`edgeship synth`) and `edgeship audit`.',
    '// Ask what any URL gets with `edgeship explain /some/path`.',
    "import { defineConfig } from 'edgeship';",
    '',
    'export default defineConfig({',
    `  // ${spec.siteComment}`,
    `  site: ${js(config.site)},`,
    '  // Canonical host; the aliases are redirected to it by edge/url-handler.js.',
    `  domain: ${js(config.domain)},`,
    `  aliases: ${js(config.aliases)},`,
    '  redirectToDomain: true,',
    ...(config.basePath ? ['  // The URL path the site is served under; the objects are stored under it too.', `  basePath: ${js(config.basePath)},`] : []),
    '',
    '  // Ordered cache behaviors: the first pattern that matches a URL path wins.',
    '  // `*` crosses `/` and `?` is exactly one character, as in CloudFront.',
    '  behaviors: [',
    ...spec.rules.flatMap((r) => [`    // ${r.comment.replaceAll('\n// ', '\n    // ')}`, `    ${js(r.behavior, 4)},`]),
    '  ],',
    '',
    "  // Response-headers policies, by name (CloudFront's fields and override semantics).",
    `  headersPolicies: ${js(config.headersPolicies, 2)},`,
    '',
    ...(config.errors
      ? [
          "  // Custom error responses: a missing page answers 404 with the site's own 404 page",
          '  // (S3 behind Origin Access Control answers 403 for a missing key).',
          `  errors: ${js(config.errors, 2)},`,
          '',
        ]
      : ['  // No 404 page was found in the build: add one and an `errors` entry for it (see the README).', '']),
    '  // The image manifest is for build tools, not for viewers.',
    ...(spec.atomic
      ? [
          '  // atomic: each deploy goes live at once with one KeyValueStore write (edgeship deploys, edgeship',
          spec.previewDomain
            ? `  // rollback); deploy --preview NAME serves at NAME.${spec.previewDomain} (PREVIEW_DOMAIN in edge/url-handler.js too).`
            : '  // rollback); set previewDomain (and PREVIEW_DOMAIN in edge/url-handler.js) for deploy --preview.',
        ]
      : []),
    `  deploy: ${js(config.deploy)},`,
    '',
    "  // Where `edgeship deploy --target NAME` puts the site. `local` (an embedded store under",
    '  // .edgeship/) always exists. Credentials come from the standard AWS environment only.',
    `  targets: {\n${productionTargetStub('    ')}  },`,
    '});',
    '',
  ];
  return lines.join('\n');
}

const WIDTH = 100;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A value as JavaScript source: bare keys, on one line when it fits; `column` is where it starts. */
export function js(value: unknown, indent = 0, column = indent): string {
  const flat = inline(value);
  if (column + flat.length <= WIDTH || typeof value !== 'object' || value === null) return flat;
  const pad = ' '.repeat(indent + 2);
  const close = ' '.repeat(indent);
  if (Array.isArray(value)) return `[\n${value.map((v) => `${pad}${js(v, indent + 2)},`).join('\n')}\n${close}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const body = entries.map(([k, v]) => `${pad}${key(k)}: ${js(v, indent + 2, indent + 4 + key(k).length)},`);
  return `{\n${body.join('\n')}\n${close}}`;
}

function inline(value: unknown): string {
  if (typeof value === 'string') return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (typeof value !== 'object' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${key(k)}: ${inline(v)}`).join(', ')} }`;
}

function key(k: string): string {
  return IDENTIFIER.test(k) ? k : `'${k}'`;
}
