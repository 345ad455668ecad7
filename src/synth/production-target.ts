/**
 * The `targets.production` stub `edgeship init` writes and `edgeship provision` fills in.
 *
 * The stub is a valid target whose bucket and distribution say what to run: every local command
 * reads the config as usual, and `deploy --target production` refuses it (exit 2) before
 * touching AWS. Provision rewrites only the values of this one target in the user's file, so
 * comments, order and formatting stay as the user left them.
 */
import type { TargetConfig } from '../config/schema.js';
import { EdgeshipError, EXIT } from '../errors.js';

/** The bucket and distribution of a stub: not a valid S3 bucket name, so it can never name a real one. */
export const PENDING = '<run edgeship provision>';

/**
 * The stub as `init` embeds it inside `targets: { ... }`: lines indented by `indent` (the
 * indentation of the `targets` key plus one level), each ending with a newline.
 */
export function productionTargetStub(indent = '    '): string {
  return [
    '// AWS S3 + CloudFront. `edgeship provision` creates them (one CloudFormation stack) and',
    '// writes the stack, bucket, region and distributionId here; by hand instead, copy the',
    "// stack's outputs BucketName and DistributionId. Until then deploy --target production stops.",
    'production: {',
    `  store: { type: 's3', bucket: '${PENDING}' },`,
    `  distributionId: '${PENDING}',`,
    '},',
  ]
    .map((line) => `${indent}${line}\n`)
    .join('');
}

/** Whether a target is still the unfilled stub. */
export function isPendingTarget(target: Pick<TargetConfig, 'store' | 'distributionId'> | undefined): boolean {
  return !!target && ((target.store.type === 's3' && target.store.bucket === PENDING) || target.distributionId === PENDING);
}

/** The same check on a config as read, before validation (`targets.<name>` of any shape). */
export function isPendingRaw(raw: unknown, name: string): boolean {
  const targets = (raw as { targets?: Record<string, unknown> } | undefined)?.targets;
  const target = targets && Object.hasOwn(targets, name) ? (targets[name] as { store?: { bucket?: unknown }; distributionId?: unknown } | undefined) : undefined;
  return target?.store?.bucket === PENDING || target?.distributionId === PENDING;
}

/** Throws `TARGET_NOT_PROVISIONED` (exit 2) for the unfilled stub. */
export function assertProvisioned(target: Pick<TargetConfig, 'store' | 'distributionId'> | undefined, name: string, configFile?: string): void {
  if (!isPendingTarget(target)) return;
  throw new EdgeshipError('TARGET_NOT_PROVISIONED', `target "${name}" in ${configFile ?? 'the config'} has no bucket and distribution yet`, {
    exitCode: EXIT.usage,
    hint: `run edgeship provision (creates the S3 bucket and CloudFront distribution and fills them in), or set targets.${name}.store.bucket, .store.region and .distributionId from the stack outputs BucketName and DistributionId`,
  });
}

/** What provision writes into the target. */
export interface ProductionValues {
  stack: string;
  bucket: string;
  region: string;
  distributionId: string;
  /** The stack's KeyValueStore (output KeyValueStoreArn), where deploys write pointers and redirect rules. */
  keyValueStoreArn?: string;
}

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}
interface Property extends Node {
  key: Node & { name?: string; value?: string };
  value: Node;
}
interface Edit {
  start: number;
  end: number;
  text: string;
}

const notEditable = (file: string, why: string, values: ProductionValues, name: string) =>
  new EdgeshipError('CONFIG_NOT_EDITABLE', `cannot update targets.${name} in ${file}: ${why}`, {
    exitCode: EXIT.usage,
    hint: `set it by hand: ${name}: { stack: '${values.stack}', store: { type: 's3', bucket: '${values.bucket}', region: '${values.region}' }, distributionId: '${values.distributionId}' }`,
  });

/** The object literal a config module exports: `export default defineConfig({...})`, `export default {...}`, or a const it names. */
function exportedObject(program: { body: Node[] }): Node | undefined {
  const unwrap = (node: Node | undefined): Node | undefined => {
    if (!node) return undefined;
    if (node.type === 'CallExpression') return unwrap((node.arguments as Node[])[0]);
    if (node.type === 'TSAsExpression' || node.type === 'TSSatisfiesExpression' || node.type === 'ParenthesizedExpression') return unwrap(node.expression as Node);
    if (node.type === 'Identifier') {
      for (const statement of program.body) {
        const declaration = statement.type === 'ExportNamedDeclaration' ? (statement.declaration as Node | null) : statement;
        if (declaration?.type !== 'VariableDeclaration') continue;
        const found = (declaration.declarations as Node[]).find((d) => (d.id as { name?: string }).name === node.name);
        if (found) return unwrap(found.init as Node);
      }
      return undefined;
    }
    return node;
  };
  const exported = program.body.find((s) => s.type === 'ExportDefaultDeclaration');
  return unwrap(exported?.declaration as Node | undefined);
}

/**
 * Writes the values into `targets.<name>` of a config file's source (TypeScript, JavaScript or
 * JSON), creating the target or `targets` when missing. Only the values change: comments,
 * key order, quotes and indentation stay as they were.
 */
export async function fillProductionTarget(source: string, file: string, values: ProductionValues, name = 'production'): Promise<string> {
  // The parser loads here only: deploy, which checks for the stub, starts without it.
  const { parse, parseExpression } = await import('@babel/parser');
  const json = file.endsWith('.json');
  let config: Node | undefined;
  try {
    config = json
      ? (parseExpression(source) as unknown as Node)
      : exportedObject(parse(source, { sourceType: 'module', plugins: ['typescript'] }).program as unknown as { body: Node[] });
  } catch (error) {
    throw notEditable(file, `it does not parse (${(error as Error).message})`, values, name);
  }
  if (config?.type !== 'ObjectExpression') throw notEditable(file, 'its default export is not an object literal', values, name);

  const quote = json ? '"' : quoteOf(source, config);
  const lit = (v: string) => (quote === '"' ? JSON.stringify(v) : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
  const key = (k: string) => (json ? JSON.stringify(k) : /^[A-Za-z_$][\w$]*$/.test(k) ? k : lit(k));
  const store = `{ ${key('type')}: ${lit('s3')}, ${key('bucket')}: ${lit(values.bucket)}, ${key('region')}: ${lit(values.region)} }`;
  const arn = values.keyValueStoreArn === undefined ? '' : `, ${key('keyValueStoreArn')}: ${lit(values.keyValueStoreArn)}`;
  const target = `{ ${key('stack')}: ${lit(values.stack)}, ${key('store')}: ${store}, ${key('distributionId')}: ${lit(values.distributionId)}${arn} }`;
  const edits: Edit[] = [];

  const targets = property(config, 'targets');
  if (!targets) edits.push(insertion(source, config, `${key('targets')}: { ${key(name)}: ${target} }`));
  else if (targets.value.type !== 'ObjectExpression') throw notEditable(file, 'targets is not an object literal', values, name);
  else {
    const existing = property(targets.value, name);
    if (!existing) edits.push(insertion(source, targets.value, `${key(name)}: ${target}`));
    else if (existing.value.type !== 'ObjectExpression') edits.push({ start: existing.value.start, end: existing.value.end, text: target });
    else {
      const t = existing.value;
      edits.push(set(source, t, 'stack', lit(values.stack), key), set(source, t, 'distributionId', lit(values.distributionId), key));
      if (values.keyValueStoreArn !== undefined) edits.push(set(source, t, 'keyValueStoreArn', lit(values.keyValueStoreArn), key));
      const s = property(t, 'store');
      const isS3 = s?.value.type === 'ObjectExpression' && (property(s.value, 'type')?.value as { value?: unknown } | undefined)?.value === 's3';
      if (!s) edits.push(insertion(source, t, `${key('store')}: ${store}`));
      else if (!isS3) edits.push({ start: s.value.start, end: s.value.end, text: store });
      else edits.push(set(source, s.value, 'bucket', lit(values.bucket), key), set(source, s.value, 'region', lit(values.region), key));
    }
  }
  return applyEdits(source, edits);
}

/** The quote of the config's first string literal (the user's style), else a single quote. */
function quoteOf(source: string, node: Node): string {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.shift();
    if (!n || typeof n !== 'object') continue;
    if ((n as Node).type === 'StringLiteral') return source[(n as Node).start] ?? "'";
    stack.push(...Object.values(n as Record<string, unknown>).filter((v) => v && typeof v === 'object'));
  }
  return "'";
}

function property(object: Node, name: string): Property | undefined {
  return (object.properties as Node[]).find((p): p is Property => {
    if (p.type !== 'ObjectProperty' && p.type !== 'Property') return false;
    const k = (p as Property).key;
    return (k.type === 'Identifier' && k.name === name) || (k.type === 'StringLiteral' && k.value === name);
  });
}

/** Replaces a property's value, or adds the property when the object has none of that name. */
function set(source: string, object: Node, name: string, text: string, key: (k: string) => string): Edit {
  const p = property(object, name);
  return p ? { start: p.value.start, end: p.value.end, text } : insertion(source, object, `${key(name)}: ${text}`);
}

/** Adds `text` as the object's last property, on its own line (indented like its siblings) when the object spans lines. */
function insertion(source: string, object: Node, text: string): Edit {
  const props = object.properties as Node[];
  const last = props[props.length - 1];
  const inner = source.slice(object.start, object.end);
  if (!last) return { start: object.start, end: object.end, text: inner.includes('\n') ? `{\n${indentOf(source, object.start)}  ${text},\n${indentOf(source, object.start)}}` : `{ ${text} }` };
  const after = source.slice(last.end, object.end - 1);
  const comma = /^\s*,/.exec(after);
  if (!inner.includes('\n')) return { start: last.end, end: last.end, text: `, ${text}` };
  const at = comma ? last.end + comma[0].length : last.end;
  return { start: at, end: at, text: `${comma ? '' : ','}\n${indentOf(source, last.start)}${text}${comma ? ',' : ''}` };
}

function indentOf(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))![0];
}

function applyEdits(source: string, edits: Edit[]): string {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
