/**
 * Checks and rewrites a CloudFront Functions source before it is compiled (spec §7.1, §7.6).
 *
 * The code is parsed once with acorn so that every check is on the syntax tree, not on text:
 * - `import cf from 'cloudfront'` (and `crypto`, `querystring`, `buffer`) become
 *   `const cf = __edgeship_module("cloudfront");` on the same line: `node:vm` scripts cannot
 *   `import`, and a global stand-in keeps line numbers in error messages true.
 * - `require('crypto')` / `require('querystring')` (both runtimes; `buffer` in 2.0) become the same call; the
 *   global `require` itself stays undefined, so `require('fs')` fails as in CloudFront.
 * - dynamic `import()` is refused: in `node:vm` it rejects with an error object of the host
 *   realm, which would hand the function a way out of the sandbox.
 * - optional chaining `?.` is refused: it is reported to fail at run time in CloudFront
 *   (§7.1 [obs]), so it is better to fail here than in production.
 */
import { parse, type Node } from 'acorn';
import { FunctionLoadError } from './errors.js';
import { refusedFeature, type FunctionRuntime } from './features.js';

export type { FunctionRuntime } from './features.js';

/** Function code size quota (§7.5): 10 KB, not adjustable. */
export const MAX_CODE_BYTES = 10_240;

/** Modules a function can import or require, per runtime (§7.6). */
const MODULES: Record<FunctionRuntime, { import: readonly string[]; require: readonly string[] }> = {
  'cloudfront-js-1.0': { import: [], require: ['crypto', 'querystring'] },
  'cloudfront-js-2.0': { import: ['cloudfront', 'crypto', 'querystring', 'buffer'], require: ['crypto', 'querystring', 'buffer'] },
};

export const MODULE_GLOBAL = '__edgeship_module';

export interface PreparedSource {
  /** Script text to compile: same lines as the file, imports rewritten. */
  code: string;
  /** Modules the code imports or requires. */
  modules: string[];
}

type AnyNode = Node & Record<string, unknown>;

function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc') continue;
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof v === 'object' && typeof (v as AnyNode).type === 'string') out.push(v as AnyNode);
    } else if (value && typeof value === 'object' && typeof (value as AnyNode).type === 'string') {
      out.push(value as AnyNode);
    }
  }
  return out;
}

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/** Parses, checks and rewrites `source` read from `file`. Throws `FunctionLoadError`. */
export function prepareSource(file: string, source: string, runtime: FunctionRuntime): PreparedSource {
  const bytes = Buffer.byteLength(source);
  if (bytes > MAX_CODE_BYTES) {
    throw new FunctionLoadError('FUNCTION_TOO_LARGE', file, `function code is ${bytes} bytes; CloudFront allows ${MAX_CODE_BYTES} (spec §7.5)`, {
      hint: 'move data into a KeyValueStore or shorten the code',
    });
  }
  let program: AnyNode;
  try {
    // ES2021 is the newest edition whose features cloudfront-js-2.0 lists (ES 12, §7.1).
    // Parsed as a module: strict mode like CloudFront, and `import` statements are legal.
    program = parse(source, { ecmaVersion: 2021, sourceType: 'module', locations: true }) as unknown as AnyNode;
  } catch (error) {
    const loc = (error as { loc?: { line: number } }).loc;
    const message = (error as Error).message.replace(/ \(\d+:\d+\)$/, '');
    throw new FunctionLoadError('FUNCTION_SYNTAX', file, `syntax error: ${message}`, { line: loc?.line, cause: error });
  }

  const allowed = MODULES[runtime];
  const edits: { start: number; end: number; text: string }[] = [];
  const modules = new Set<string>();
  const refuse = (node: AnyNode, message: string, hint?: string): never => {
    throw new FunctionLoadError('FUNCTION_UNSUPPORTED', file, message, {
      line: node.loc?.start.line ?? lineOf(source, node.start),
      column: node.loc ? node.loc.start.column + 1 : undefined,
      hint,
    });
  };

  const visit = (node: AnyNode, parent: AnyNode | undefined): void => {
    const feature = refusedFeature(node, parent, runtime);
    if (feature) refuse(node, `${feature.name} is not in the ${runtime} feature list (functions-javascript-runtime-${runtime.endsWith('2.0') ? '20' : '10'}.html)`, feature.hint);
    switch (node.type) {
      case 'ImportDeclaration': {
        const from = (node.source as { value: string }).value;
        const specifiers = node.specifiers as AnyNode[];
        const only = specifiers.length === 1 ? specifiers[0] : undefined;
        if (!allowed.import.includes(from)) {
          refuse(
            node,
            runtime === 'cloudfront-js-1.0' ? `import of '${from}' needs runtime cloudfront-js-2.0 (spec §7.1)` : `module '${from}' does not exist in CloudFront Functions`,
            `importable modules: ${MODULES['cloudfront-js-2.0'].import.join(', ')}`,
          );
        }
        if (!only || (only.type !== 'ImportDefaultSpecifier' && only.type !== 'ImportNamespaceSpecifier')) {
          refuse(node, `write the import as "import ${from === 'cloudfront' ? 'cf' : from} from '${from}'"`);
        }
        const local = ((only as AnyNode).local as { name: string }).name;
        const newlines = source.slice(node.start, node.end).split('\n').length - 1;
        edits.push({ start: node.start, end: node.end, text: `const ${local} = ${MODULE_GLOBAL}(${JSON.stringify(from)});${'\n'.repeat(newlines)}` });
        modules.add(from);
        return;
      }
      case 'ExportNamedDeclaration':
      case 'ExportDefaultDeclaration':
      case 'ExportAllDeclaration':
        return refuse(node, 'CloudFront Functions code does not export; declare "function handler(event)" at the top level');
      case 'ImportExpression':
        return refuse(node, 'dynamic import() is not available in CloudFront Functions');
      case 'MetaProperty':
        return refuse(node, `${(node.meta as { name: string }).name}.${(node.property as { name: string }).name} is not available in CloudFront Functions`);
      case 'CallExpression': {
        const callee = node.callee as AnyNode;
        const args = node.arguments as AnyNode[];
        const arg = args[0];
        if (callee.type === 'Identifier' && callee.name === 'require' && args.length === 1 && arg?.type === 'Literal' && typeof arg.value === 'string') {
          if (allowed.require.includes(arg.value)) {
            edits.push({ start: node.start, end: node.end, text: `${MODULE_GLOBAL}(${JSON.stringify(arg.value)})` });
            modules.add(arg.value);
            return;
          }
        }
        break;
      }
      case 'VariableDeclaration':
        if (runtime === 'cloudfront-js-1.0' && node.kind !== 'var') refuse(node, `${String(node.kind)} needs runtime cloudfront-js-2.0 (spec §7.1)`);
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (runtime === 'cloudfront-js-1.0' && node.async === true) refuse(node, 'async functions need runtime cloudfront-js-2.0 (spec §7.1)');
        break;
    }
    for (const child of children(node)) visit(child, node);
  };
  visit(program, undefined);

  let code = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) code = code.slice(0, edit.start) + edit.text + code.slice(edit.end);
  return { code, modules: [...modules] };
}
