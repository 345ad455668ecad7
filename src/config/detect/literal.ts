import { parse, type Node } from 'acorn';

/**
 * Reads the literal values of a framework's JavaScript/TypeScript config file without running it:
 * `init` must not execute a project's code (it may import plugins that are not installed yet),
 * and the values that decide the layout (`output`, `trailingSlash`, `basePath`, `build.format`)
 * are literals in practice.
 *
 * Understood shapes: `export default {...}`, `export default defineConfig({...})` (any wrapper
 * call: the first object argument), `module.exports = ...`, an identifier bound to one of those
 * at the top level, and a function returning an object. A value that is not a literal reads as
 * `UNREAD`, so callers can say they could not read it rather than guess.
 */
export const UNREAD = Symbol('unread');
export type Literal = string | number | boolean | null | typeof UNREAD | LiteralObject;
export interface LiteralObject {
  [key: string]: Literal;
}

type AnyNode = Node & Record<string, unknown>;

/** The exported config object's literal values, or `undefined` when no exported object is found. */
export function readConfigLiteral(source: string): LiteralObject | undefined {
  let program: AnyNode;
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true }) as unknown as AnyNode;
  } catch {
    return undefined;
  }
  const body = program.body as AnyNode[];
  const bindings = new Map<string, AnyNode>();
  for (const statement of body) {
    const decl = statement.type === 'ExportNamedDeclaration' ? (statement.declaration as AnyNode | null) : statement;
    if (decl?.type !== 'VariableDeclaration') continue;
    for (const d of decl.declarations as AnyNode[]) {
      const id = d.id as AnyNode;
      if (id.type === 'Identifier' && d.init) bindings.set(id.name as string, d.init as AnyNode);
    }
  }
  for (const statement of body) {
    const exported = exportedExpression(statement);
    // `exports.default = void 0` comes first in transpiled code: keep looking for the object.
    const object = exported && findObject(exported, bindings, 0);
    if (object) return toLiteral(object) as LiteralObject;
  }
  return undefined;
}

function exportedExpression(statement: AnyNode): AnyNode | undefined {
  if (statement.type === 'ExportDefaultDeclaration') return statement.declaration as AnyNode;
  // `module.exports = X`, and `exports.default = X` as TypeScript configs read once their types are stripped.
  const assignments =
    statement.type === 'ExpressionStatement'
      ? [statement.expression as AnyNode]
      : statement.type === 'VariableDeclaration'
        ? (statement.declarations as AnyNode[]).map((d) => d.init as AnyNode | null).filter((e): e is AnyNode => !!e)
        : [];
  for (const expr of assignments) {
    if (expr.type === 'AssignmentExpression' && isExportTarget(expr.left as AnyNode)) return expr.right as AnyNode;
  }
  return undefined;
}

function isExportTarget(left: AnyNode): boolean {
  if (left.type !== 'MemberExpression') return false;
  const object = left.object as AnyNode;
  const property = (left.property as AnyNode).name;
  return object.type === 'Identifier' && ((object.name === 'module' && property === 'exports') || (object.name === 'exports' && property === 'default'));
}

/** The object literal an export stands for, following wrappers, bindings and returned values. */
function findObject(node: AnyNode, bindings: Map<string, AnyNode>, depth: number): AnyNode | undefined {
  if (depth > 8) return undefined;
  switch (node.type) {
    case 'ObjectExpression':
      return node;
    case 'Identifier': {
      const bound = bindings.get(node.name as string);
      return bound ? findObject(bound, bindings, depth + 1) : undefined;
    }
    case 'CallExpression':
      for (const arg of node.arguments as AnyNode[]) {
        const found = findObject(arg, bindings, depth + 1);
        if (found) return found;
      }
      return undefined;
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'FunctionDeclaration': {
      const body = node.body as AnyNode;
      if (body.type !== 'BlockStatement') return findObject(body, bindings, depth + 1);
      const ret = (body.body as AnyNode[]).find((s) => s.type === 'ReturnStatement');
      return ret?.argument ? findObject(ret.argument as AnyNode, bindings, depth + 1) : undefined;
    }
    case 'ParenthesizedExpression':
    case 'AwaitExpression':
      return findObject((node.expression ?? node.argument) as AnyNode, bindings, depth + 1);
    default:
      return undefined;
  }
}

function toLiteral(node: AnyNode): Literal {
  switch (node.type) {
    case 'Literal':
      return typeof node.value === 'string' || typeof node.value === 'number' || typeof node.value === 'boolean' || node.value === null ? node.value : UNREAD;
    case 'TemplateLiteral': {
      const quasis = node.quasis as AnyNode[];
      return (node.expressions as AnyNode[]).length === 0 ? ((quasis[0]!.value as { cooked: string }).cooked ?? UNREAD) : UNREAD;
    }
    case 'ObjectExpression': {
      const out: LiteralObject = {};
      for (const p of node.properties as AnyNode[]) {
        if (p.type !== 'Property' || p.computed) continue;
        const key = p.key as AnyNode;
        const name = key.type === 'Identifier' ? (key.name as string) : typeof key.value === 'string' ? key.value : undefined;
        if (name !== undefined) out[name] = toLiteral(p.value as AnyNode);
      }
      return out;
    }
    default:
      return UNREAD;
  }
}
