/** `edgeship audit` as a new user runs it: against the running local edge, found through .edgeship/edge.json. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { RULES } from '../../src/audit/index.js';
import { runCli } from '../../src/cli/program.js';
import { serveFixture } from './fixture.js';
import { exampleSite, withDefaultBehavior } from './sites.js';

describe('edgeship audit --target local', () => {
  it('passes on the example site, prints the summary and writes JUnit', async () => {
    const served = await serveFixture(exampleSite(), { announce: true });
    try {
      const io = memoryIo(served.dir);
      const code = await runCli(['audit', '--target', 'local', '--junit', 'reports/audit.xml'], io);
      expect(io.stderr).toBe('');
      expect(code).toBe(0);
      expect(io.stdout).toContain(`URLs checked on ${served.url} (1 external links not requested): 0 errors, 0 warnings, 0 notes — PASS`);
      expect(io.stdout).toContain('passed: html-cache, hashed-immutable, unhashed-immutable, security-headers');
      expect(io.stdout).toMatch(/cache: (\d+)\/\1 second requests were X-Cache hits \(100\.0%\)/);
      const junit = fs.readFileSync(path.join(served.dir, 'reports/audit.xml'), 'utf8');
      // One test case per rule, every one passed.
      expect(junit).toContain(`<testsuites name="edgeship audit" tests="${RULES.length}" failures="0">`);
      expect(junit).not.toContain('<failure');
    } finally {
      await served.close();
    }
  });

  it('fails with exit 1 and names the rule, the URL and the fix when HTML lacks security headers', async () => {
    const served = await serveFixture(withDefaultBehavior(exampleSite(), () => ({ headers: undefined })), { announce: true });
    try {
      const io = memoryIo(served.dir);
      const code = await runCli(['audit', '--junit', 'audit.xml'], io);
      expect(code).toBe(1);
      expect(io.stdout).toMatch(/^error\s+security-headers\s+\d+\s+HTML carries/m);
      expect(io.stdout).toContain(`${served.url}/  missing Strict-Transport-Security, Content-Security-Policy`);
      expect(io.stdout).toContain('fix: attach a headers policy');
      expect(io.stdout).toContain('FAIL');
      const junit = fs.readFileSync(path.join(served.dir, 'audit.xml'), 'utf8');
      expect(junit).toContain('<failure message=');
      expect(junit).toContain('type="security-headers"');
    } finally {
      await served.close();
    }
  });

  it('--json prints the report as data', async () => {
    const served = await serveFixture(exampleSite(), { announce: true });
    try {
      const io = memoryIo(served.dir);
      const code = await runCli(['audit', served.url, '--json', '--max-pages', '5', '--concurrency', '2'], io);
      const report = JSON.parse(io.stdout) as { ok: boolean; requested: number; notVisited: number; rules: { id: string }[] };
      expect(code).toBe(0);
      expect(report.ok).toBe(true);
      expect(report.requested).toBeLessThanOrEqual(5);
      expect(report.notVisited).toBeGreaterThan(0);
      expect(report.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    } finally {
      await served.close();
    }
  });
});

describe('edgeship audit errors', () => {
  it('without a running local edge: exit 1 and how to start one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-audit-cli-'));
    try {
      const io = memoryIo(dir);
      expect(await runCli(['audit'], io)).toBe(1);
      expect(io.stderr).toContain('no local edge is running');
      expect(io.stderr).toContain('fix: start it with `edgeship serve`');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown target or a bad number is a usage error (exit 2)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-audit-cli-'));
    try {
      const io = memoryIo(dir);
      expect(await runCli(['audit', '--target', 'staging'], io)).toBe(2);
      expect(io.stderr).toContain('no target "staging"');
      expect(io.stderr).toContain('targets: local');
      const io2 = memoryIo(dir);
      expect(await runCli(['audit', 'http://127.0.0.1:9', '--max-pages', '0'], io2)).toBe(2);
      expect(io2.stderr).toContain('expected a whole number of at least 1');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
