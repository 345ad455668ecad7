/**
 * The production target stub: written by init, refused by deploy until filled, filled by
 * provision in the user's own file with comments and formatting kept.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../cli/io.js';
import { runCli } from '../cli/program.js';
import { loadConfig } from '../config/load.js';
import { EdgeshipError } from '../errors.js';
import { fillProductionTarget, isPendingTarget, PENDING, productionTargetStub, type ProductionValues } from './production-target.js';

const VALUES: ProductionValues = { stack: 'edgeship-example-com', bucket: 'edgeship-example-com-sitebucket-1a2b3c', region: 'eu-west-1', distributionId: 'E2QWRUHEXAMPLE' };
let dir: string;
let initial: string;
const configFile = () => path.join(dir, 'edgeship.config.ts');
const cli = async (...args: string[]) => {
  const io = memoryIo(dir);
  return { code: await runCli(args, io), out: io.stdout, err: io.stderr };
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-production-target-'));
  expect((await cli('init', '--preset', 'nextjs-export', '--domain', 'example.com')).code).toBe(0);
  initial = fs.readFileSync(configFile(), 'utf8');
  fs.mkdirSync(path.join(dir, 'out'));
  fs.writeFileSync(path.join(dir, 'out', 'index.html'), '<!doctype html><title>home</title>');
  fs.writeFileSync(path.join(dir, 'out', '404.html'), '<!doctype html><title>missing</title>');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the stub init writes', () => {
  it('is the text productionTargetStub() gives, inside targets', () => {
    expect(initial).toContain(`  targets: {\n${productionTargetStub('    ')}  },`);
  });

  it('leaves the local commands working', async () => {
    expect((await cli('explain', '/about')).code).toBe(0);
    expect((await cli('images')).code).toBe(0);
    const local = await cli('deploy', '--target', 'local');
    expect(local.code, local.err).toBe(0);
    const site = await loadConfig({ cwd: dir });
    expect(isPendingTarget(site.targets.production)).toBe(true);
    expect(isPendingTarget(site.targets.local)).toBe(false);
  });

  it('stops deploy --target production with exit 2, saying to run edgeship provision', async () => {
    for (const args of [['deploy', '--target', 'production'], ['deploy', '--target', 'production', '--dry-run']]) {
      const r = await cli(...args);
      expect(r.code).toBe(2);
      expect(r.err).toContain('target "production" in');
      expect(r.err).toMatch(/has no bucket and distribution yet\n {2}fix: run edgeship provision .*or set targets\.production\.store\.bucket/);
    }
  });
});

describe('fillProductionTarget', () => {
  it('writes the values into the stub and changes nothing else', async () => {
    const filled = await fillProductionTarget(initial, configFile(), VALUES);
    const before = initial.split('\n');
    const after = filled.split('\n');
    // Every comment and every line outside the target is kept as it was.
    expect(after.filter((l) => !before.includes(l))).toEqual([
      `      store: { type: 's3', bucket: '${VALUES.bucket}', region: 'eu-west-1' },`,
      `      distributionId: '${VALUES.distributionId}',`,
      `      stack: '${VALUES.stack}',`,
    ]);
    expect(before.filter((l) => !after.includes(l))).toEqual([`      store: { type: 's3', bucket: '${PENDING}' },`, `      distributionId: '${PENDING}',`]);
    fs.writeFileSync(configFile(), filled);
    const site = await loadConfig({ cwd: dir });
    expect(site.targets.production).toEqual({ store: { type: 's3', bucket: VALUES.bucket, region: 'eu-west-1' }, distributionId: VALUES.distributionId, stack: VALUES.stack });
    fs.writeFileSync(configFile(), initial);
  });

  it("writes the stack's KeyValueStore ARN beside the other values, once, so atomic deploys and redirects find the store", async () => {
    const arn = 'arn:aws:cloudfront::123456789012:key-value-store/9d3c8bca-0000-4000-8000-000000000000';
    const filled = await fillProductionTarget(initial, configFile(), { ...VALUES, keyValueStoreArn: arn });
    const again = await fillProductionTarget(filled, configFile(), { ...VALUES, keyValueStoreArn: arn });
    expect(again).toBe(filled);
    fs.writeFileSync(configFile(), filled);
    const site = await loadConfig({ cwd: dir });
    expect(site.targets.production).toMatchObject({ distributionId: VALUES.distributionId, stack: VALUES.stack, keyValueStoreArn: arn });
    fs.writeFileSync(configFile(), initial);
  });

  it('updates a filled target in place: no key twice', async () => {
    const once = await fillProductionTarget(initial, configFile(), VALUES);
    const twice = await fillProductionTarget(once, configFile(), { ...VALUES, bucket: 'other-bucket', distributionId: 'E3OTHER' });
    expect(twice.split('\n').length).toBe(once.split('\n').length);
    expect(twice).toContain("bucket: 'other-bucket', region: 'eu-west-1'");
    expect(twice.match(/distributionId:/g)).toHaveLength(1);
    expect(twice.match(/stack:/g)).toHaveLength(1);
  });

  it('adds targets, or the target, when the config has none', async () => {
    const noTargets = "import { defineConfig } from 'edgeship';\n\n// my site\nexport default defineConfig({\n  domain: 'example.com',\n});\n";
    expect(await fillProductionTarget(noTargets, 'edgeship.config.ts', VALUES)).toBe(
      "import { defineConfig } from 'edgeship';\n\n// my site\nexport default defineConfig({\n  domain: 'example.com',\n" +
        `  targets: { production: { stack: '${VALUES.stack}', store: { type: 's3', bucket: '${VALUES.bucket}', region: 'eu-west-1' }, distributionId: '${VALUES.distributionId}' } },\n});\n`,
    );
    const otherTarget = 'const config = {\n  targets: {\n    staging: { store: { type: "fs", dir: "x" } }\n  }\n};\nexport default config;\n';
    const filled = await fillProductionTarget(otherTarget, 'edgeship.config.mjs', VALUES);
    expect(filled).toContain('    staging: { store: { type: "fs", dir: "x" } },\n    production: { stack: "edgeship-example-com", store: { type: "s3"');
  });

  it('replaces a store that is not S3, and edits a JSON config as JSON', async () => {
    const fsTarget = "export default { targets: { production: { store: { type: 'fs', dir: 'x' } } } };\n";
    expect(await fillProductionTarget(fsTarget, 'c.ts', VALUES)).toBe(
      `export default { targets: { production: { store: { type: 's3', bucket: '${VALUES.bucket}', region: 'eu-west-1' }, distributionId: '${VALUES.distributionId}', stack: '${VALUES.stack}' } } };\n`,
    );
    const json = `{\n  "domain": "example.com",\n  "targets": {\n    "production": { "store": { "type": "s3", "bucket": "${PENDING}" }, "distributionId": "${PENDING}" }\n  }\n}\n`;
    const filled = await fillProductionTarget(json, 'edgeship.config.json', VALUES);
    expect(JSON.parse(filled).targets.production).toEqual({ store: { type: 's3', bucket: VALUES.bucket, region: 'eu-west-1' }, distributionId: VALUES.distributionId, stack: VALUES.stack });
    expect(filled.startsWith('{\n  "domain": "example.com",\n  "targets": {\n    "production": { "store": {')).toBe(true);
  });

  it('refuses a config whose default export is not an object literal, with the values to set by hand', async () => {
    const error = await fillProductionTarget('export default makeConfig(process.env);\n', 'edgeship.config.ts', VALUES).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EdgeshipError);
    expect((error as EdgeshipError).code).toBe('CONFIG_NOT_EDITABLE');
    expect((error as EdgeshipError).hint).toContain(`bucket: '${VALUES.bucket}'`);
  });
});
