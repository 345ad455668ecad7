/**
 * Syntax outside CloudFront's JavaScript runtime feature lists, refused at load with the
 * feature's name. One table, checked on acorn's syntax tree.
 *
 * Source: "JavaScript runtime 2.0 features for CloudFront Functions"
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-javascript-runtime-20.html)
 * and its 1.0 page (functions-javascript-runtime-10.html). The 2.0 page "lists all supported
 * features": ES 5.1, `**`, `const`/`let`, `async`/`await` ("await can be used inside async
 * functions only. async arguments and closures are not supported"), template literals, arrow
 * functions and rest parameters, and named built-ins; 1.0 has no `const`/`let`/`async`.
 * Anything else the code parses into (ES 2015+ syntax V8 runs but the lists leave out) fails in
 * CloudFront: when the function is created, or as a FunctionExecutionError at run time.
 *
 * `for…of`, shorthand properties and methods, `??`, numeric separators and the other
 * expression-level additions are not refused: the page does not list them either way and
 * refusing working code is worse than letting a doubtful form through.
 */
import type { Node } from 'acorn';
/** The CloudFront Functions runtimes (the feature list is per runtime). */
export type FunctionRuntime = 'cloudfront-js-1.0' | 'cloudfront-js-2.0';

type AnyNode = Node & Record<string, unknown>;

export interface RefusedFeature {
  /** The feature's name, as a user searches for it. */
  name: string;
  /** What to write instead. */
  hint: string;
  /** Whether `node` (with its parent) uses the feature under `runtime`. */
  matches(node: AnyNode, parent: AnyNode | undefined, runtime: FunctionRuntime): boolean;
}

const isFunction = (n: AnyNode) => n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';

/** An identifier read as a variable (not a property name or key). */
function isReference(node: AnyNode, parent: AnyNode | undefined): boolean {
  if (node.type !== 'Identifier' || !parent) return node.type === 'Identifier';
  if (parent.type === 'MemberExpression' && parent.property === node && parent.computed !== true) return false;
  if ((parent.type === 'Property' || parent.type === 'MethodDefinition') && parent.key === node && parent.computed !== true) return parent.shorthand === true;
  return true;
}

export const REFUSED_FEATURES: readonly RefusedFeature[] = [
  { name: 'class', hint: 'use a function and plain objects', matches: (n) => n.type === 'ClassDeclaration' || n.type === 'ClassExpression' },
  {
    name: 'destructuring',
    hint: 'read the properties one by one: var uri = request.uri',
    matches: (n) => n.type === 'ObjectPattern' || n.type === 'ArrayPattern',
  },
  {
    name: 'spread (...)',
    hint: 'use Object.assign({}, a) or a.concat(b); rest parameters (function f(...args)) are supported',
    matches: (n) => n.type === 'SpreadElement',
  },
  { name: 'default parameter', hint: 'set the default in the body: if (x === undefined) x = 1', matches: (n) => n.type === 'AssignmentPattern' },
  { name: 'generator', hint: 'return an array instead', matches: (n) => (isFunction(n) && n.generator === true) || n.type === 'YieldExpression' },
  {
    name: 'async arrow function',
    hint: 'declare an async function at the top level and call it',
    matches: (n, _p, runtime) => runtime === 'cloudfront-js-2.0' && n.type === 'ArrowFunctionExpression' && n.async === true,
  },
  {
    name: 'async closure',
    hint: 'async functions are supported as top-level declarations only (async arguments and closures are not)',
    matches: (n, parent, runtime) =>
      runtime === 'cloudfront-js-2.0' && n.async === true && (n.type === 'FunctionExpression' || (n.type === 'FunctionDeclaration' && parent?.type !== 'Program')),
  },
  { name: 'for await…of', hint: 'await each promise in a plain loop', matches: (n) => n.type === 'ForOfStatement' && n.await === true },
  { name: 'BigInt', hint: 'use numbers, or strings for large integers', matches: (n, p) => (n.type === 'Literal' && 'bigint' in n) || (isReference(n, p) && n.name === 'BigInt') },
  { name: 'Intl', hint: 'format by hand; Intl is not a CloudFront Functions global', matches: (n, p) => isReference(n, p) && n.name === 'Intl' },
  {
    name: 'optional chaining (?.)',
    hint: 'use an explicit check such as "a && a.b" (reported to fail at run time in CloudFront, spec §7.1)',
    matches: (n) => n.type === 'ChainExpression',
  },
];

/** The first refused feature `node` uses, if any. */
export function refusedFeature(node: AnyNode, parent: AnyNode | undefined, runtime: FunctionRuntime): RefusedFeature | undefined {
  return REFUSED_FEATURES.find((f) => f.matches(node, parent, runtime));
}
