/**
 * `edgeship init --ci github`: the workflow as YAML (jobs, conditions, pinned actions), then
 * every `run:` step that calls edgeship executed, in job order, in the project init wrote,
 * with the production target replaced by the local one and the live URL by a local edge.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlias, isNode, parse, parseDocument, visit } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../cli/io.js';
import { runCli } from '../cli/program.js';
import { loadConfig } from '../config/load.js';
import { startEdge } from '../edge/index.js';
import { SiteKvsSource } from '../edge/site-kvs-source.js';
import { loadEdgeFunction } from '../edge/functions/index.js';
import { openStore } from '../store/open.js';
import { ACTIONS } from './workflow.js';

interface Step {
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  'timeout-minutes': number;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  steps: Step[];
}
interface Workflow {
  on: { push: { branches: string[] }; pull_request: { branches: string[] } };
  permissions: Record<string, string>;
  jobs: { check: Job; plan: Job; deploy: Job };
}

let dir: string;
let text: string;
let workflow: Workflow;
const FILE = '.github/workflows/deploy.yml';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-synth-ci-'));
  const io = memoryIo(dir);
  // A Next.js project: init detects it from its config.
  fs.writeFileSync(path.join(dir, 'next.config.mjs'), "export default { output: 'export' };\n");
  expect(await runCli(['init', '--ci', 'github', '--domain', 'shop.example.net'], io)).toBe(0);
  expect(io.stdout).toContain(`wrote ${FILE}`);
  text = fs.readFileSync(path.join(dir, FILE), 'utf8');
  workflow = parse(text) as Workflow;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? [s.run] : []));

describe('edgeship init --ci github: the workflow', () => {
  it('has no YAML anchors or aliases (GitHub Actions refused them until 2025; a reader should not need them)', () => {
    expect(anchorsAndAliases(text)).toEqual([]);
    // The walk sees an inline alias, which a line regex misses.
    expect(anchorsAndAliases('a: &x { b: 1 }\nc: { d: *x }\n')).toEqual(['&x', '*x']);
  });

  it('checks every push and pull request without AWS; plans on pull requests; deploys on push to main', () => {
    expect(workflow.on.push.branches).toEqual(['main']);
    expect(workflow.on.pull_request.branches).toEqual(['main']);
    expect(workflow.jobs.check.if).toBeUndefined();
    expect(runs(workflow.jobs.check)).toEqual(['npm ci', 'npm run build', 'npx edgeship images', 'npx edgeship deploy --target local']);
    expect(workflow.jobs.deploy.if).toBe("github.event_name == 'push' && vars.AWS_DEPLOY_ROLE_ARN != ''");
  });

  it('nothing writable by default; only the AWS jobs may ask for an OIDC token', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.check.permissions).toBeUndefined();
    expect(workflow.jobs.plan.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(workflow.jobs.deploy.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  it('plans with the read-only role only, and skips pull requests from forks (they get no OIDC token)', () => {
    const plan = workflow.jobs.plan;
    expect(plan.if).toContain("github.event_name == 'pull_request'");
    expect(plan.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(plan.if).toContain("vars.AWS_PLAN_ROLE_ARN != ''");
    const credentials = plan.steps.find((s) => s.uses?.startsWith('aws-actions/'))!;
    // Never the deploy role: its trust policy is for pushes to main, and PR code must not hold it.
    expect(credentials.with?.['role-to-assume']).toBe('${{ vars.AWS_PLAN_ROLE_ARN }}');
    expect(JSON.stringify(plan)).not.toContain('AWS_DEPLOY_ROLE_ARN');
    expect(runs(plan).at(-1)).toBe('npx edgeship deploy --target production --dry-run');
  });

  it('deploys, waits for the invalidation, then audits; one deploy at a time', () => {
    const deploy = workflow.jobs.deploy;
    expect(runs(deploy).slice(-2)).toEqual(['npx edgeship deploy --target production --wait', 'npx edgeship audit "$SITE_URL"']);
    expect(deploy.steps.at(-1)!.if).toBe("vars.SITE_URL != ''");
    expect(deploy.concurrency).toEqual({ group: 'edgeship-deploy-production', 'cancel-in-progress': false });
  });

  it('runs on the current Node LTS, with a timeout on every job', () => {
    for (const job of Object.values(workflow.jobs)) {
      expect(job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!.with).toEqual({ 'node-version': 24, cache: 'npm' });
      expect(job['timeout-minutes']).toBeGreaterThan(0);
      expect(job['timeout-minutes']).toBeLessThanOrEqual(30);
    }
  });

  it('pins every action by commit, its release in a comment', () => {
    const uses = [...text.matchAll(/uses: (\S+)(.*)$/gm)];
    expect(uses.length).toBe(3 + 3 + 2);
    for (const [, ref, comment] of uses) {
      expect(ref).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
      expect(comment).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
    expect(new Set(uses.map((u) => u[1]))).toEqual(new Set(Object.values(ACTIONS).map((a) => a.uses)));
  });
});

/** The words of a one-line `npx edgeship ...` command, `$VAR` and `"$VAR"` taken from `env`. */
function edgeshipArgs(run: string, env: Record<string, string>): string[] {
  expect(run, 'an edgeship step is one plain command, so running it in-process is faithful').toMatch(/^npx edgeship [\w\s"$/.:-]+$/);
  return run
    .split(/\s+/)
    .slice(2)
    .map((word) => word.replace(/^"?\$(\w+)"?$/, (_, name: string) => env[name] ?? ''));
}

describe('the workflow on a fresh project', () => {
  it('every edgeship step passes, the production target replaced by the local one', async () => {
    fs.mkdirSync(path.join(dir, 'out'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'out', 'index.html'), '<!doctype html><html lang="en"><head><title>Shop</title></head><body><a href="/about">about</a></body></html>');
    fs.writeFileSync(path.join(dir, 'out', 'about.html'), '<!doctype html><html lang="en"><head><title>About</title></head><body><a href="/">home</a></body></html>');
    fs.writeFileSync(path.join(dir, 'out', '404.html'), '<!doctype html><html lang="en"><head><title>Not found</title></head><body>missing</body></html>');
    let edge: { url: string; close(): Promise<void> } | undefined;
    const ran: string[] = [];
    try {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        for (const step of job.steps) {
          if (!step.run?.includes('edgeship')) continue;
          if (step.run.includes('audit') && !edge) {
            // The live site of the audit step: the local edge in front of the store the deploy step wrote.
            const site = await loadConfig({ cwd: dir });
            const store = openStore(site.targets.local!.store);
            // The url-handler of an atomic site reads the deploy pointer the deploy step wrote into the store.
            const kvs = new SiteKvsSource(store, undefined);
            await kvs.refresh();
            const functions = new Map(await Promise.all(site.behaviors.flatMap((b) => (b.functions?.viewerRequest ? [b.functions.viewerRequest] : [])).map(async (f) => [f, await loadEdgeFunction(f, { kvs })] as const)));
            edge = await startEdge({ site, store, port: 0, functions, announce: false });
          }
          const args = edgeshipArgs(step.run, { SITE_URL: edge?.url ?? '' }).map((a) => (a === 'production' ? 'local' : a));
          const io = memoryIo(dir);
          const code = await runCli(args, io);
          expect(code, `${name}: ${step.run}\n${io.stdout}\n${io.stderr}`).toBe(0);
          ran.push(`${name}: ${args.join(' ')}`);
        }
      }
    } finally {
      await edge?.close();
    }
    expect(ran).toEqual([
      'check: images',
      'check: deploy --target local',
      'plan: images',
      'plan: deploy --target local --dry-run',
      'deploy: images',
      'deploy: deploy --target local --wait',
      `deploy: audit ${edge!.url}`,
    ]);
  });

  it('and unfilled, the production target stops the deploy step with exit 2 and the fix', async () => {
    const io = memoryIo(dir);
    expect(await runCli(edgeshipArgs(runs(workflow.jobs.deploy).at(-2)!, {}), io)).toBe(2);
    expect(io.stderr).toContain('fix: run edgeship provision');
  });
});

/** Every anchor (`&x`) and alias (`*x`) in a YAML text, found on its parsed document. */
function anchorsAndAliases(yamlText: string): string[] {
  const found: string[] = [];
  visit(parseDocument(yamlText), (_key, node) => {
    if (isAlias(node)) found.push(`*${node.source}`);
    else if (isNode(node) && node.anchor) found.push(`&${node.anchor}`);
  });
  return found;
}
