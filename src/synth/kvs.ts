/**
 * Which CloudFront Functions call `cf.kvs()`. In CloudFront, `cf.kvs()` in a function with no
 * KeyValueStore associated throws (the viewer gets a 503), so such a function gets the stack's
 * store, and a site that configures none (`edge.kvs`) is refused at synth.
 */
import fs from 'node:fs';
import { parse } from 'acorn';
import { simple } from 'acorn-walk';
import type { ConfigIssue } from '../config/errors.js';
import type { SiteModel } from '../config/model.js';
import { siteHasKvs } from '../kvs/site.js';

/**
 * Whether the function source calls `kvs()` on the `cloudfront` module (`import cf from
 * 'cloudfront'; cf.kvs()`). A source that does not parse is left to the function checks.
 */
export function callsKvs(source: string): boolean {
  let program;
  try {
    program = parse(source, { ecmaVersion: 2021, sourceType: 'module' });
  } catch {
    return false;
  }
  const modules = new Set<string>();
  simple(program, {
    ImportDeclaration(node) {
      if (node.source.value !== 'cloudfront') return;
      for (const s of node.specifiers) modules.add(s.local.name);
    },
  });
  let found = false;
  simple(program, {
    CallExpression(node) {
      const callee = node.callee;
      if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier' || !modules.has(callee.object.name)) return;
      const name = callee.property.type === 'Identifier' && !callee.computed ? callee.property.name : callee.property.type === 'Literal' ? callee.property.value : undefined;
      if (name === 'kvs') found = true;
    },
  });
  return found;
}

/** The function files (absolute) that call `cf.kvs()`, each with the first config path naming it. */
export function kvsFunctions(site: Pick<SiteModel, 'behaviors'>): Map<string, string> {
  const files = new Map<string, string>();
  const sources = new Map<string, boolean>();
  site.behaviors.forEach((b, i) => {
    for (const event of ['viewerRequest', 'viewerResponse'] as const) {
      const file = b.functions?.[event];
      if (!file || files.has(file)) continue;
      if (!sources.has(file)) sources.set(file, fs.existsSync(file) && callsKvs(fs.readFileSync(file, 'utf8')));
      if (sources.get(file)) files.set(file, `behaviors[${i}].functions.${event}`);
    }
  });
  return files;
}

/** A function that calls `cf.kvs()` in a site with no KeyValueStore (no `edge.kvs`, not atomic, no `_redirects`): refused, naming the file. */
export function kvsIssues(site: Pick<SiteModel, 'behaviors' | 'edge' | 'redirects'> & { deploy?: Pick<SiteModel['deploy'], 'atomic'> }): ConfigIssue[] {
  if (siteHasKvs(site)) return [];
  return [...kvsFunctions(site)].map(([file, path]) => ({
    path,
    value: file,
    message: `${file} calls cf.kvs(), but no KeyValueStore is configured: in CloudFront it would throw and the viewer get a 503. Set edge.kvs to the JSON file of its keys (the local edge reads the same file)`,
  }));
}
