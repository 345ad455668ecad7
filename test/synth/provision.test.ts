/**
 * `edgeship provision` against the AWS SDK v3 CloudFormation client, mocked with
 * aws-sdk-client-mock (no AWS account here): create, update with a replacement, no change,
 * failures with CloudFormation's reason and a rollback, waits that time out, and no
 * confirmation. The template is the real synthesized one; the config is the one init writes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { CloudFrontKeyValueStoreClient, DescribeKeyValueStoreCommand, ListKeysCommand, UpdateKeysCommand } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { runProvision } from '../../src/cli/provision.js';
import { loadConfig } from '../../src/config/load.js';
import { EdgeshipError } from '../../src/errors.js';
import { PENDING } from '../../src/synth/production-target.js';

const STACK = 'edgeship-example-com';
const OUTPUTS = [
  { OutputKey: 'BucketName', OutputValue: 'edgeship-example-com-sitebucket-abc123' },
  { OutputKey: 'DistributionId', OutputValue: 'E2QWRUHEXAMPLE' },
  { OutputKey: 'DistributionDomainName', OutputValue: 'd111111abcdef8.cloudfront.net' },
];
const NOT_FOUND = Object.assign(new Error(`Stack with id ${STACK} does not exist`), { name: 'ValidationError' });
const cfn = mockClient(CloudFormationClient);
const kvsApi = mockClient(CloudFrontKeyValueStoreClient);
let dir: string;
let pristine: string;
const configFile = () => path.join(dir, 'edgeship.config.ts');

/** A clock the waits advance instead of sleeping. */
function fakeClock() {
  let t = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

const stack = (status: string, outputs = OUTPUTS): Stack => ({ StackName: STACK, StackStatus: status as Stack['StackStatus'], CreationTime: new Date(0), Outputs: outputs });

async function provision(options: { yes?: boolean; json?: boolean } = { yes: true }) {
  const io = memoryIo(dir);
  const site = await loadConfig({ cwd: dir });
  try {
    const deps = { client: new CloudFormationClient({ region: 'eu-west-1' }), kvsClient: new CloudFrontKeyValueStoreClient({ region: 'us-east-1' }), clock: fakeClock(), pollMs: 5_000 };
    const code = await runProvision(site, { region: 'eu-west-1', ...options }, io, deps);
    return { code, io, error: undefined };
  } catch (error) {
    return { code: (error as EdgeshipError).exitCode, io, error: error as EdgeshipError };
  }
}

const event = (id: string, logicalId: string, type: string, status: string, reason?: string) => ({
  EventId: id,
  StackId: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${STACK}/1`,
  StackName: STACK,
  LogicalResourceId: logicalId,
  ResourceType: type,
  ResourceStatus: status as never,
  ResourceStatusReason: reason,
  Timestamp: new Date(Date.parse('2026-01-01T00:00:30Z')),
});

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-provision-'));
  // In-place: these tests add their own cf.kvs() function and edge.kvs to the stack init writes.
  expect(await runCli(['init', '--preset', 'nextjs-export', '--domain', 'example.com', '--in-place'], memoryIo(dir))).toBe(0);
  pristine = fs.readFileSync(configFile(), 'utf8');
  // aws-cdk-lib takes seconds to load on a busy machine: once here, not in the first test.
  await import('../../src/synth/stack.js');
}, 120_000);

afterAll(() => {
  cfn.restore();
  kvsApi.restore();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  cfn.reset();
  fs.writeFileSync(configFile(), pristine);
  cfn.on(CreateChangeSetCommand).resolves({ Id: 'arn:aws:cloudformation:eu-west-1:123456789012:changeSet/x' });
  cfn.on(ExecuteChangeSetCommand).resolves({});
  cfn.on(DeleteChangeSetCommand).resolves({});
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
});

describe('edgeship provision: a new stack', () => {
  it('creates it through a change set, shows the changes, waits with progress and fills targets.production', async () => {
    cfn.on(DescribeStacksCommand).rejectsOnce(NOT_FOUND).resolvesOnce({ Stacks: [stack('CREATE_IN_PROGRESS', [])] }).resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    cfn
      .on(DescribeChangeSetCommand)
      .resolvesOnce({ Status: 'CREATE_PENDING' })
      .resolves({
        Status: 'CREATE_COMPLETE',
        Changes: [
          { Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: 'SiteBucket', ResourceType: 'AWS::S3::Bucket' } },
          { Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: 'SiteDistribution', ResourceType: 'AWS::CloudFront::Distribution' } },
        ],
      });
    cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [event('2', 'SiteBucket', 'AWS::S3::Bucket', 'CREATE_COMPLETE'), event('1', 'SiteBucket', 'AWS::S3::Bucket', 'CREATE_IN_PROGRESS')],
    });
    const { code, io, error } = await provision();
    expect(error).toBeUndefined();
    expect(code).toBe(0);
    const create = cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input;
    expect(create).toMatchObject({ StackName: STACK, ChangeSetType: 'CREATE' });
    // No bootstrap: no role for CloudFormation to assume, no template in a bootstrap bucket.
    expect(create.RoleARN).toBeUndefined();
    expect(create.TemplateURL).toBeUndefined();
    const template = JSON.parse(create.TemplateBody!) as { Resources: Record<string, { Type: string }>; Parameters?: unknown };
    expect(Object.values(template.Resources).map((r) => r.Type)).toContain('AWS::CloudFront::Distribution');
    expect(template.Parameters).toBeUndefined();
    expect(cfn.commandCalls(ExecuteChangeSetCommand)[0]!.args[0].input).toEqual({ StackName: STACK, ChangeSetName: create.ChangeSetName });
    expect(io.stderr).toContain(`create stack ${STACK} in eu-west-1:\n  + SiteBucket (AWS::S3::Bucket)\n  + SiteDistribution (AWS::CloudFront::Distribution)`);
    // Each event once, oldest first.
    expect(io.stderr.match(/ {2}CREATE_IN_PROGRESS {3}SiteBucket.*\n {2}CREATE_COMPLETE {6}SiteBucket/g)).toHaveLength(1);
    expect(io.stdout).toContain(`created stack ${STACK} in eu-west-1`);
    expect(io.stdout).toContain('https://d111111abcdef8.cloudfront.net');
    const site = await loadConfig({ cwd: dir });
    expect(site.targets.production).toEqual({ stack: STACK, store: { type: 's3', bucket: 'edgeship-example-com-sitebucket-abc123', region: 'eu-west-1' }, distributionId: 'E2QWRUHEXAMPLE' });
    // The user's comments are still there.
    expect(fs.readFileSync(configFile(), 'utf8')).toContain('// Ordered cache behaviors: the first pattern that matches a URL path wins.');
  });
});

describe('edgeship provision: an existing stack', () => {
  it('updates it, calling out a replacement', async () => {
    cfn.on(DescribeStacksCommand).resolvesOnce({ Stacks: [stack('UPDATE_COMPLETE')] }).resolvesOnce({ Stacks: [stack('UPDATE_IN_PROGRESS')] }).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'CREATE_COMPLETE',
      Changes: [
        { Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'SiteOriginAccessControl', ResourceType: 'AWS::CloudFront::OriginAccessControl', Replacement: 'True' } },
        { Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'SiteDistribution', ResourceType: 'AWS::CloudFront::Distribution', Replacement: 'False' } },
        { Type: 'Resource', ResourceChange: { Action: 'Remove', LogicalResourceId: 'SiteOldPolicy', ResourceType: 'AWS::CloudFront::CachePolicy' } },
      ],
    });
    const { code, io } = await provision({ yes: true, json: false });
    expect(code).toBe(0);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input.ChangeSetType).toBe('UPDATE');
    expect(io.stderr).toContain('  ~ SiteOriginAccessControl (AWS::CloudFront::OriginAccessControl)  REPLACED (new physical resource)\n  ~ SiteDistribution (AWS::CloudFront::Distribution)\n  - SiteOldPolicy (AWS::CloudFront::CachePolicy)');
    expect(io.stdout).toContain(`updated stack ${STACK}`);
  });

  it('with nothing to change: deletes the empty change set, exits 0 saying so, still fills the target', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set." });
    const { code, io } = await provision();
    expect(code).toBe(0);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(io.stdout).toContain('already matches the config: nothing to change');
    expect((await loadConfig({ cwd: dir })).targets.production!.distributionId).toBe('E2QWRUHEXAMPLE');
  });

  it('refuses a stack whose creation rolled back, before any change set', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('ROLLBACK_COMPLETE', [])] });
    const { code, error } = await provision();
    expect(code).toBe(1);
    expect(error?.code).toBe('STACK_NOT_UPDATABLE');
    expect(error?.hint).toContain(`aws cloudformation delete-stack --stack-name ${STACK}`);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });
});

describe('edgeship provision: failures', () => {
  it("a refused change set: CloudFormation's reason, exit 1, nothing executed", async () => {
    cfn.on(DescribeStacksCommand).rejects(NOT_FOUND);
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: 'Template format error: Unrecognized resource types: [AWS::CloudFront::Nope]' });
    const { code, error } = await provision();
    expect(code).toBe(1);
    expect(error?.code).toBe('CHANGE_SET_FAILED');
    expect(error?.message).toContain('Template format error: Unrecognized resource types');
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });

  it('a resource that fails and rolls the stack back: its reason, exit 1, the config left as it was', async () => {
    cfn.on(DescribeStacksCommand).rejectsOnce(NOT_FOUND).resolvesOnce({ Stacks: [stack('ROLLBACK_IN_PROGRESS', [])] }).resolves({ Stacks: [stack('ROLLBACK_COMPLETE', [])] });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', Changes: [] });
    cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        event('3', STACK, 'AWS::CloudFormation::Stack', 'ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to create: [SiteDistribution].'),
        event('2', 'SiteDistribution', 'AWS::CloudFront::Distribution', 'CREATE_FAILED', 'One or more of the CNAMEs you provided are already associated with a different resource.'),
        event('1', 'SiteDistribution', 'AWS::CloudFront::Distribution', 'CREATE_IN_PROGRESS'),
      ],
    });
    const { code, error, io } = await provision();
    expect(code).toBe(1);
    expect(error?.code).toBe('STACK_FAILED');
    expect(error?.message).toBe(`stack ${STACK} ended ROLLBACK_COMPLETE:\n  SiteDistribution (AWS::CloudFront::Distribution): One or more of the CNAMEs you provided are already associated with a different resource.`);
    expect(error?.hint).toContain('delete-stack');
    expect(io.stderr).toContain('CREATE_FAILED');
    expect(fs.readFileSync(configFile(), 'utf8')).toBe(pristine);
  });

  it('a stack that never settles: PROVISION_TIMEOUT after 60 minutes of polls, exit 1', async () => {
    cfn.on(DescribeStacksCommand).rejectsOnce(NOT_FOUND).resolves({ Stacks: [stack('CREATE_IN_PROGRESS', [])] });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', Changes: [] });
    const { code, error } = await provision();
    expect(code).toBe(1);
    expect(error?.code).toBe('PROVISION_TIMEOUT');
    expect(error?.message).toBe(`stack ${STACK} did not finish within 60 minutes`);
    // One poll every 5 s for an hour, and one more at the deadline; plus the first look-up.
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(1 + 721);
  });

  it('a change set that never computes: PROVISION_TIMEOUT after 10 minutes, nothing executed', async () => {
    cfn.on(DescribeStacksCommand).rejects(NOT_FOUND);
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_IN_PROGRESS' });
    const { error } = await provision();
    expect(error?.code).toBe('PROVISION_TIMEOUT');
    expect(error?.message).toMatch(/^change set edgeship-\d+ of edgeship-example-com did not finish within 10 minutes$/);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });
});

describe('edgeship provision: confirmation', () => {
  it('not on a terminal and without --yes: shows the change set, deletes it, exit 3', async () => {
    cfn.on(DescribeStacksCommand).rejects(NOT_FOUND);
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', Changes: [{ Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: 'SiteBucket', ResourceType: 'AWS::S3::Bucket' } }] });
    const { code, error, io } = await provision({});
    expect(code).toBe(3);
    expect(error?.hint).toContain('--yes');
    expect(io.stderr).toContain('+ SiteBucket (AWS::S3::Bucket)');
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(fs.readFileSync(configFile(), 'utf8')).toContain(PENDING);
  });
});

describe('edgeship provision: a function that calls cf.kvs()', () => {
  const handler = () => path.join(dir, 'edge', 'url-handler.js');
  let original: string;
  beforeEach(() => {
    original = fs.readFileSync(handler(), 'utf8');
    fs.writeFileSync(handler(), `import cf from 'cloudfront';\nconst store = cf.kvs();\n${original}`);
    fs.writeFileSync(path.join(dir, 'edge', 'kvs.json'), JSON.stringify({ live: 'v2', preview: 'v3' }));
    fs.writeFileSync(configFile(), pristine.replace('export default defineConfig({\n', "export default defineConfig({\n  edge: { kvs: 'edge/kvs.json' },\n"));
    kvsApi.reset();
  });
  afterEach(() => fs.writeFileSync(handler(), original));

  it('creates the store with the stack, then writes the keys of edge.kvs into it', async () => {
    const arn = 'arn:aws:cloudfront::123456789012:key-value-store/9d3c8bca-0000-4000-8000-000000000000';
    cfn.on(DescribeStacksCommand).rejectsOnce(NOT_FOUND).resolves({ Stacks: [stack('CREATE_COMPLETE', [...OUTPUTS, { OutputKey: 'KeyValueStoreArn', OutputValue: arn }])] });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', Changes: [] });
    kvsApi.on(DescribeKeyValueStoreCommand).resolves({ KvsARN: arn, ETag: 'ETAG0', ItemCount: 0, TotalSizeInBytes: 0, Created: new Date(0) });
    kvsApi.on(ListKeysCommand).resolves({ Items: [] });
    kvsApi.on(UpdateKeysCommand).resolves({ ETag: 'ETAG1', ItemCount: 2, TotalSizeInBytes: 16 });
    const { code, io, error } = await provision();
    expect(error).toBeUndefined();
    expect(code).toBe(0);
    const template = JSON.parse(cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input.TemplateBody!) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(template.Resources).map((r) => r.Type)).toContain('AWS::CloudFront::KeyValueStore');
    expect(kvsApi.commandCalls(UpdateKeysCommand).map((c) => c.args[0].input)).toEqual([{ KvsARN: arn, IfMatch: 'ETAG0', Puts: [{ Key: 'live', Value: 'v2' }, { Key: 'preview', Value: 'v3' }] }]);
    expect(io.stdout).toContain('KeyValueStore 2 keys written, 0 deleted, 0 unchanged (from edge/kvs.json)');
  });
});
