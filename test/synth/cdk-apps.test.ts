/**
 * edgeship as a user's project installs it: the package built from this checkout (dist/,
 * package.json, templates/) in a node_modules with the user's own aws-cdk-lib, the newest and
 * the lowest supported. An ES module and a CommonJS CDK app (test/synth/cdk-apps) type-check
 * with tsc and synthesize with node; a project without aws-cdk-lib still runs every local
 * command, and `synth` exits 2 with the install command.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'acorn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CDK_INSTALL } from '../../src/synth/peers.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const modules = path.join(root, 'node_modules');
const tsc = path.join(modules, 'typescript', 'bin', 'tsc');
const APPS = ['esm', 'cjs'] as const;
/** The devDependencies: `aws-cdk-lib` (newest) and `aws-cdk-lib-lowest` (npm:aws-cdk-lib@ the lowest peer version). */
const CDK = { newest: 'aws-cdk-lib', lowest: 'aws-cdk-lib-lowest' } as const;
let tmp: string;
let pkg: string;

/** A project folder whose node_modules holds this edgeship and, unless `cdk` is undefined, that aws-cdk-lib. */
function project(name: string, cdk: string | undefined): string {
  const dir = path.join(tmp, name);
  const nm = path.join(dir, 'node_modules');
  fs.mkdirSync(nm, { recursive: true });
  const own = new Set(['.bin', '.package-lock.json', 'edgeship', ...Object.values(CDK), 'constructs']);
  for (const entry of fs.readdirSync(modules)) if (!own.has(entry)) fs.symlinkSync(path.join(modules, entry), path.join(nm, entry));
  if (cdk) {
    fs.symlinkSync(path.join(modules, cdk), path.join(nm, 'aws-cdk-lib'));
    fs.symlinkSync(path.join(modules, 'constructs'), path.join(nm, 'constructs'));
  }
  // A copy, not a link: edgeship resolves aws-cdk-lib from where it is installed, as in a real project.
  fs.cpSync(pkg, path.join(nm, 'edgeship'), { recursive: true });
  return dir;
}

/** The newest modification time of the files under a folder (`missing` when it does not exist). */
function newestMtime(dir: string, missing = Infinity): number {
  if (!fs.existsSync(dir)) return missing;
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).reduce((max, e) => (e.isFile() ? Math.max(max, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs) : max), 0);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-cdk-apps-'));
  pkg = path.join(tmp, 'package');
  // `npm ci` builds dist/ (the prepare script); it is rebuilt here only when src/ is newer.
  const built = path.join(root, 'dist');
  if (newestMtime(path.join(root, 'src')) < newestMtime(built, 0)) fs.cpSync(built, path.join(pkg, 'dist'), { recursive: true });
  else await run(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', path.join(pkg, 'dist'), '--sourceMap', 'false']);
  fs.copyFileSync(path.join(root, 'package.json'), path.join(pkg, 'package.json'));
  fs.cpSync(path.join(root, 'templates'), path.join(pkg, 'templates'), { recursive: true });
}, 180_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

interface Synthesized {
  version: string;
  templates: Record<(typeof APPS)[number], Template>;
  trees: Record<(typeof APPS)[number], string>;
}

/** One tsc program checks both apps (aws-cdk-lib's types load once); node then runs each. */
async function typeCheckAndSynth(dir: string): Promise<Synthesized> {
  // tsc fails (exit 2) on any type error: the grants, the construct's props, require() of ESM.
  await run(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { cwd: dir });
  const result = { templates: {}, trees: {} } as Synthesized;
  for (const kind of APPS) {
    const out = path.join(dir, `cdk.out.${kind}`);
    await run(process.execPath, [path.join(dir, `app.${kind === 'esm' ? 'mjs' : 'cjs'}`), out], { cwd: dir });
    result.templates[kind] = JSON.parse(fs.readFileSync(path.join(out, 'Web.template.json'), 'utf8')) as Template;
    result.trees[kind] = fs.readFileSync(path.join(out, 'tree.json'), 'utf8');
  }
  result.version = (JSON.parse(fs.readFileSync(path.join(dir, '..', 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')) as { version: string }).version;
  return result;
}

/** The versions of aws-cdk-lib whose constructs make up an app's tree. */
function cdkVersionsInTree(tree: string): Set<string> {
  const versions = new Set<string>();
  const visit = (node: { constructInfo?: { fqn: string; version: string }; children?: Record<string, unknown> }) => {
    if (node.constructInfo?.fqn.startsWith('aws-cdk-lib.')) versions.add(node.constructInfo.version);
    for (const child of Object.values(node.children ?? {})) visit(child as typeof node);
  };
  visit((JSON.parse(tree) as { tree: Parameters<typeof visit>[0] }).tree);
  return versions;
}

describe('CDK apps on the newest and the lowest supported aws-cdk-lib', () => {
  const synthesized: Partial<Record<keyof typeof CDK, Synthesized>> = {};
  beforeAll(async () => {
    // Both versions at once: each is one tsc run and two short synths.
    await Promise.all(
      Object.entries(CDK).map(async ([version, cdk]) => {
        const dir = path.join(project(version, cdk), 'app');
        fs.cpSync(path.join(root, 'test', 'synth', 'cdk-app'), dir, { recursive: true });
        synthesized[version as keyof typeof CDK] = await typeCheckAndSynth(dir);
      }),
    );
  }, 240_000);

  it('installs the two versions the peer range spans', () => {
    expect(synthesized.lowest!.version).toBe('2.156.0');
    expect(synthesized.newest!.version).toBe(JSON.parse(fs.readFileSync(path.join(modules, 'aws-cdk-lib', 'package.json'), 'utf8')).version);
  });

  it.each(Object.keys(CDK).flatMap((v) => APPS.map((kind) => [v as keyof typeof CDK, kind] as const)))(
    '%s, %s app: type-checks and synthesizes EdgeshipSite with grants on its bucket and distribution',
    (version, kind) => {
      const { templates, trees } = synthesized[version]!;
      const resources = Object.values(templates[kind].Resources);
      expect(resources.map((r) => r.Type)).toEqual(expect.arrayContaining(['AWS::S3::Bucket', 'AWS::CloudFront::Distribution', 'AWS::CloudFront::Function', 'AWS::CloudFront::OriginAccessControl', 'AWS::IAM::Policy']));
      const fn = resources.find((r) => r.Type === 'AWS::CloudFront::Function')!;
      expect(fn.Properties.FunctionCode).toContain("request.uri += 'index.html'");
      const policy = JSON.stringify(resources.find((r) => r.Type === 'AWS::IAM::Policy')!.Properties);
      expect(policy).toContain('s3:GetObject*');
      expect(policy).toContain('cloudfront:CreateInvalidation');
      // One aws-cdk-lib in the app: the construct's resources are the app's own version.
      expect([...cdkVersionsInTree(trees[kind])]).toEqual([synthesized[version]!.version]);
    },
  );
});

describe('a project without aws-cdk-lib', () => {
  let dir: string;
  beforeAll(() => {
    dir = project('no-cdk', undefined);
    fs.writeFileSync(path.join(dir, 'edgeship.config.json'), JSON.stringify({ domain: 'example.com' }));
  });
  const cli = (...args: string[]) =>
    run(process.execPath, [path.join(dir, 'node_modules', 'edgeship', 'dist', 'cli', 'main.js'), ...args], { cwd: dir }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('synth exits 2 with the one install command', async () => {
    const r = await cli('synth');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('edgeship synth needs aws-cdk-lib and constructs, which are not installed');
    expect(r.stderr).toContain(`fix: ${CDK_INSTALL}`);
    expect(fs.existsSync(path.join(dir, 'cdk.out'))).toBe(false);
  });

  it('every local command still runs', async () => {
    const r = await cli('explain', '/');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('index.html');
  });
});

describe('the edgeship/cdk entry', () => {
  it('imports no AWS SDK client (its static import graph, from the built package)', () => {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const ast = parse(fs.readFileSync(file, 'utf8'), { ecmaVersion: 'latest', sourceType: 'module' });
      for (const node of ast.body) {
        if ((node.type !== 'ImportDeclaration' && node.type !== 'ExportNamedDeclaration' && node.type !== 'ExportAllDeclaration') || !node.source) continue;
        // `import type` is erased by tsc: every remaining static import is loaded.
        const spec = String(node.source.value);
        if (spec.startsWith('.')) walk(path.resolve(path.dirname(file), spec));
        else bare.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    };
    walk(path.join(pkg, 'dist', 'synth', 'index.js'));
    expect(seen.size).toBeGreaterThan(5);
    expect([...bare].filter((s) => s.startsWith('@aws-sdk/'))).toEqual([]);
    expect(bare).toContain('aws-cdk-lib');
  });
});
