import fs from 'node:fs';
import type { z } from 'zod';
import { ConfigError, showValue, type ConfigIssue } from './errors.js';
import { isRecord, readConfig, type LoadOptions } from './file.js';
import { buildModel, type SiteModel } from './model.js';
import { configSchema, type ParsedConfig } from './schema.js';
import { validateConfig } from './validate.js';
import { applyHeadersFile } from '../headers-file/site.js';
import { applyRedirects } from '../redirects/site.js';
import { writeResponseFunction } from '../response-function/site.js';

export { CONFIG_NAMES, findConfigFile, readConfigFile, type LoadOptions } from './file.js';

/** Finds, reads, validates and resolves the config. Without a config file, the defaults are used. */
export async function loadConfig(options: LoadOptions = {}): Promise<SiteModel> {
  const { raw, rootDir, file } = await readConfig(options);
  return resolveConfig(raw, rootDir, file);
}

/** Validates a raw config value (from a file or from code) into the site model; throws ConfigError with every issue. */
export function resolveConfig(raw: unknown, rootDir: string, file?: string): SiteModel {
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  // Cross-field checks run even when the schema failed, so that every problem is reported at once.
  const { issues, warnings } = validateConfig(parsed.success ? parsed.data : lenient(raw), { rootDir, fileSize });
  const all = [...(parsed.success ? [] : parsed.error.issues.flatMap(toConfigIssues)), ...issues];
  if (!parsed.success || all.length > 0) throw new ConfigError(dedupe(all), file);
  // _headers first: its behaviors copy the functions the redirects are then compiled into. Both
  // may ask for the one viewer-response function a behavior can run: written once, last.
  return writeResponseFunction(applyRedirects(applyHeadersFile(buildModel(parsed.data, rootDir, warnings, file))));
}


/**
 * The parts of a config that failed the schema which the cross-field checks can still read.
 * Entries keep their positions (so reported indexes stay right); unreadable ones are emptied.
 */
function lenient(raw: unknown): ParsedConfig {
  const r = isRecord(raw) ? raw : {};
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  const record = (v: unknown) => (isRecord(v) ? v : {});
  return {
    behaviors: list(r.behaviors).map((b) => (isRecord(b) && typeof b.path === 'string' ? b : { path: undefined })),
    headersPolicies: Object.fromEntries(Object.entries(record(r.headersPolicies)).map(([k, v]) => [k, { removeHeaders: [], ...record(v) }])),
    errors: list(r.errors).map((e) => (isRecord(e) && typeof e.status === 'number' ? e : {})),
    targets: {},
    redirectToDomain: r.redirectToDomain === true,
    domain: typeof r.domain === 'string' ? r.domain : undefined,
  } as unknown as ParsedConfig;
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\0${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function fileSize(abs: string): number | undefined {
  try {
    const stat = fs.statSync(abs);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

/** Renders a schema issue as `path: message`, naming the bad value and what is accepted. */
export function toConfigIssues(issue: z.core.$ZodIssue): ConfigIssue[] {
  const at = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const known = knownKeys(issue);
        const near = closest(key, known);
        return {
          path: at ? `${at}.${key}` : key,
          message: `unknown key${near ? `; did you mean "${near}"?` : ''}${known.length ? ` (accepted: ${known.join(', ')})` : ''}`,
        };
      });
    case 'invalid_union': {
      // An object given where one union member is an object: that member's own issues say more
      // (`cache.edge: "5 minutes" is not a duration`) than "matches no form".
      const deeper = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
      if (deeper && typeof issue.input === 'object' && issue.input !== null) {
        return deeper.flatMap((i) => toConfigIssues({ ...i, path: [...issue.path, ...i.path] }));
      }
      return [{ path: at, value: issue.input, message: `${showValue(issue.input)} is not accepted; ${unionHint(issue.path)}` }];
    }
    case 'invalid_value':
      return [{ path: at, value: issue.input, message: `${showValue(issue.input)} is not accepted; use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
    case 'invalid_type':
      if (issue.input === undefined) return [{ path: at, message: `is required (${issue.expected})` }];
      return [{ path: at, value: issue.input, message: `${showValue(issue.input)} is not accepted; expected ${issue.expected}` }];
    case 'custom':
      return [{ path: at, value: issue.input, message: issue.message }];
    default:
      return [{ path: at, value: issue.input, message: issue.input === undefined ? issue.message : `${showValue(issue.input)}: ${issue.message}` }];
  }
}

function unionHint(issuePath: PropertyKey[]): string {
  const last = issuePath[issuePath.length - 1];
  if (last === 'cache') return `use 'immutable', 'no-store', or { edge, browser, staleWhileRevalidate?, staleIfError? } with durations such as '5m'`;
  if (last === 'queryStrings' || last === 'cookies') return `use 'none', 'all' or a list of names`;
  return 'see the config reference in the README';
}

/** Key names the schema accepts at an issue's location, found by walking the schema along the issue's path. */
function knownKeys(issue: z.core.$ZodIssueUnrecognizedKeys): string[] {
  return objectKeysAt(configSchema as unknown as SchemaNode, issue.path);
}

interface SchemaNode {
  _zod: { def: { type: string; innerType?: SchemaNode; in?: SchemaNode; element?: SchemaNode; valueType?: SchemaNode; shape?: Record<string, SchemaNode>; options?: SchemaNode[] } };
}

function unwrap(node: SchemaNode): SchemaNode {
  let n = node;
  for (;;) {
    const def = n._zod.def;
    if (def.innerType) n = def.innerType;
    else if (def.type === 'pipe' && def.in) n = def.in;
    else return n;
  }
}

function objectKeysAt(root: SchemaNode, issuePath: PropertyKey[]): string[] {
  let nodes = [root];
  for (const seg of issuePath) {
    nodes = nodes.flatMap((n) => expandUnions(unwrap(n))).flatMap((n) => {
      const def = n._zod.def;
      if (def.type === 'array' && def.element) return [def.element];
      if (def.type === 'record' && def.valueType) return [def.valueType];
      if (def.type === 'object' && def.shape && typeof seg === 'string' && def.shape[seg]) return [def.shape[seg]];
      return [];
    });
  }
  const keys = nodes.flatMap((n) => expandUnions(unwrap(n))).flatMap((n) => Object.keys(n._zod.def.shape ?? {}));
  return [...new Set(keys)];
}

function expandUnions(node: SchemaNode): SchemaNode[] {
  const options = node._zod.def.type === 'union' ? node._zod.def.options : undefined;
  return options ? options.map(unwrap) : [node];
}

function formatPath(p: PropertyKey[]): string {
  return p.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
