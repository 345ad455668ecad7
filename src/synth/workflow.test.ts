/** `edgeship init --ci github`: the workflow parses as YAML and holds the deploy and plan steps. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../cli/io.js';
import { runCli } from '../cli/program.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if: string;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  steps: Step[];
}
interface Workflow {
  on: { push: { branches: string[] }; pull_request: unknown };
  permissions: Record<string, string>;
  jobs: { deploy: Job; plan: Job };
}

let dir: string;
let text: string;
let workflow: Workflow;
const FILE = '.github/workflows/deploy.yml';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-synth-ci-'));
  const io = memoryIo(dir);
  expect(await runCli(['init', '--ci', 'github', '--domain', 'shop.example.net'], io)).toBe(0);
  expect(io.stdout).toContain(`wrote ${FILE}`);
  text = fs.readFileSync(path.join(dir, FILE), 'utf8');
  workflow = parse(text) as Workflow;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? [s.run] : []));
const index = (job: Job, predicate: (s: Step) => boolean) => job.steps.findIndex(predicate);

describe('edgeship init --ci github', () => {
  it('deploys on push to main and plans on pull requests', () => {
    expect(workflow.on.push.branches).toEqual(['main']);
    expect(workflow.on.pull_request).toBeDefined();
    expect(workflow.jobs.deploy.if).toContain("'push'");
    expect(workflow.jobs.plan.if).toContain("'pull_request'");
    expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  it('push: checkout, setup-node with the npm cache, npm ci, build, images, OIDC credentials, deploy, then audit', () => {
    const job = workflow.jobs.deploy;
    const order = [
      index(job, (s) => s.uses?.startsWith('actions/checkout@') ?? false),
      index(job, (s) => s.uses?.startsWith('actions/setup-node@') === true && s.with?.cache === 'npm'),
      index(job, (s) => s.run === 'npm ci'),
      index(job, (s) => s.run === 'npm run build'),
      index(job, (s) => s.run === 'npx edgeship images'),
      index(job, (s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@') === true && typeof s.with?.['role-to-assume'] === 'string'),
      index(job, (s) => s.run === 'npx edgeship deploy --target production'),
      index(job, (s) => s.run?.startsWith('npx edgeship audit ') ?? false),
    ];
    expect(order.every((i) => i >= 0), JSON.stringify(order)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const audit = job.steps[order[7]!]!;
    expect(audit.env?.SITE_URL).toContain('https://shop.example.net');
  });

  it('spells every step out (no YAML anchors or aliases)', () => {
    expect(text).not.toMatch(/^\s*-?\s*[&*]a\d/m);
  });

  it('two deploys never overlap: one concurrency group, a running deploy is not cancelled', () => {
    expect(workflow.jobs.deploy.concurrency).toEqual({ group: 'edgeship-deploy-production', 'cancel-in-progress': false });
  });

  it('pull requests only run the plan (--dry-run), never a real deploy', () => {
    const r = runs(workflow.jobs.plan);
    expect(r).toContain('npx edgeship deploy --target production --dry-run');
    expect(r.filter((c) => c.includes('deploy') && !c.includes('--dry-run'))).toEqual([]);
  });

  it('never overwrites without --force, and writes nothing then', async () => {
    fs.writeFileSync(path.join(dir, FILE), '# mine\n');
    fs.rmSync(path.join(dir, 'edgeship.config.ts'));
    const io = memoryIo(dir);
    expect(await runCli(['init', '--ci', 'github'], io)).toBe(2);
    expect(io.stderr).toContain(FILE);
    expect(fs.readFileSync(path.join(dir, FILE), 'utf8')).toBe('# mine\n');
    expect(fs.existsSync(path.join(dir, 'edgeship.config.ts'))).toBe(false);
    expect(await runCli(['init', '--ci', 'github', '--force'], memoryIo(dir))).toBe(0);
    expect(fs.readFileSync(path.join(dir, FILE), 'utf8')).toContain('npx edgeship deploy --target production');
  });

  it('refuses an unknown CI provider', async () => {
    const io = memoryIo(dir);
    expect(await runCli(['init', '--ci', 'jenkins', '--force'], io)).toBe(2);
    expect(io.stderr).toMatch(/unknown CI provider "jenkins"[\s\S]*available: github/);
  });
});
