/**
 * resolveTargetFromStack against a CloudFormation endpoint on 127.0.0.1 that speaks the query
 * protocol (form-encoded POST, XML answers) the real SDK client uses; no SDK mock.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeshipError } from '../errors.js';
import { resolveTargetFromStack } from './stack-outputs.js';

interface FakeStack {
  status: string;
  outputs: Record<string, string>;
}

const STACKS: Record<string, FakeStack> = {
  'edgeship-example-com': {
    status: 'UPDATE_COMPLETE',
    outputs: { BucketName: 'edgeship-example-com-sitebucket-1a2b3c', DistributionId: 'E2EXAMPLE123', DistributionDomainName: 'd111111abcdef8.cloudfront.net' },
  },
  two: { status: 'CREATE_COMPLETE', outputs: { BlogBucketName: 'blog-bucket', BlogDistributionId: 'EBLOG', ShopBucketName: 'shop-bucket', ShopDistributionId: 'ESHOP' } },
  creating: { status: 'CREATE_IN_PROGRESS', outputs: {} },
  'rolled-back': { status: 'ROLLBACK_COMPLETE', outputs: {} },
  bare: { status: 'CREATE_COMPLETE', outputs: { Other: 'x' } },
};

const requests: URLSearchParams[] = [];
let server: http.Server;
let client: CloudFormationClient;

function describeStacksXml(name: string, s: FakeStack): string {
  const outputs = Object.entries(s.outputs)
    .map(([k, v]) => `<member><OutputKey>${k}</OutputKey><OutputValue>${v}</OutputValue></member>`)
    .join('');
  return `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>
<StackName>${name}</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/0f0f</StackId>
<CreationTime>2026-01-01T00:00:00.000Z</CreationTime><StackStatus>${s.status}</StackStatus><Outputs>${outputs}</Outputs>
</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeStacksResponse>`;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      requests.push(form);
      const name = form.get('StackName') ?? '';
      const stack = STACKS[name];
      res.setHeader('content-type', 'text/xml');
      if (form.get('Action') !== 'DescribeStacks' || !stack) {
        res.statusCode = 400;
        res.end(`<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${name} does not exist</Message></Error><RequestId>req-2</RequestId></ErrorResponse>`);
        return;
      }
      res.end(describeStacksXml(name, stack));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new CloudFormationClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function rejection(p: Promise<unknown>): Promise<EdgeshipError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(EdgeshipError);
  return error as EdgeshipError;
}

describe('resolveTargetFromStack', () => {
  it('maps the outputs of DescribeStacks to an s3 target and the distribution to invalidate', async () => {
    const resolved = await resolveTargetFromStack({ stack: 'edgeship-example-com' }, { cloudFormationClient: client });
    expect(resolved).toEqual({
      stackName: 'edgeship-example-com',
      bucketName: 'edgeship-example-com-sitebucket-1a2b3c',
      distributionId: 'E2EXAMPLE123',
      distributionDomainName: 'd111111abcdef8.cloudfront.net',
      target: {
        store: { type: 's3', bucket: 'edgeship-example-com-sitebucket-1a2b3c', region: 'eu-central-1' },
        distributionId: 'E2EXAMPLE123',
        stack: 'edgeship-example-com',
      },
    });
    const sent = requests.at(-1)!;
    expect([sent.get('Action'), sent.get('StackName'), sent.get('Version')]).toEqual(['DescribeStacks', 'edgeship-example-com', '2010-05-15']);
  });

  it('--stack wins over targets.<name>.stack; a configured store keeps its prefix and region', async () => {
    const resolved = await resolveTargetFromStack(
      { stack: 'other', store: { type: 's3', bucket: 'edgeship-example-com-sitebucket-1a2b3c', region: 'us-west-2', prefix: 'site/' } },
      { stackName: 'edgeship-example-com', cloudFormationClient: client },
    );
    expect(resolved.target.store).toEqual({ type: 's3', bucket: 'edgeship-example-com-sitebucket-1a2b3c', region: 'us-west-2', prefix: 'site/' });
  });

  it('reads prefixed outputs when a stack holds several sites', async () => {
    const resolved = await resolveTargetFromStack({ stack: 'two' }, { cloudFormationClient: client, outputPrefix: 'Shop' });
    expect([resolved.bucketName, resolved.distributionId, resolved.distributionDomainName]).toEqual(['shop-bucket', 'ESHOP', undefined]);
  });

  it('refuses a target whose bucket or distribution disagrees with the stack', async () => {
    const e1 = await rejection(resolveTargetFromStack({ stack: 'edgeship-example-com', store: { type: 's3', bucket: 'old-bucket' } }, { cloudFormationClient: client }));
    expect([e1.code, e1.message]).toEqual(['STACK_TARGET_CONFLICT', expect.stringContaining('old-bucket')]);
    const e2 = await rejection(resolveTargetFromStack({ stack: 'edgeship-example-com', distributionId: 'EOLD' }, { cloudFormationClient: client }));
    expect(e2.code).toBe('STACK_TARGET_CONFLICT');
  });

  it.each([
    ['no stack name', {}, 'STACK_NOT_SET', 2],
    ['a stack that does not exist', { stack: 'nope' }, 'STACK_NOT_FOUND', 2],
    ['a stack still being created', { stack: 'creating' }, 'STACK_NOT_READY', 1],
    ['a stack whose creation rolled back', { stack: 'rolled-back' }, 'STACK_NOT_READY', 1],
    ['a stack without the outputs', { stack: 'bare' }, 'STACK_OUTPUTS_MISSING', 2],
  ] as const)('fails with a code and a fix for %s', async (_name, target, code, exitCode) => {
    const error = await rejection(resolveTargetFromStack(target, { cloudFormationClient: client }));
    expect([error.code, error.exitCode]).toEqual([code, exitCode]);
    expect(error.hint).toBeTruthy();
  });
});
