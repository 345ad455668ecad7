/**
 * An atomic deploy to a provisioned target writes its pointer with the CloudFront KeyValueStore
 * API (client mocked with aws-sdk-client-mock, checked against the SDK's own command shapes):
 * one UpdateKeys per switch, conditional on the store's ETag, started over on a conflict.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudFrontKeyValueStoreClient, DescribeKeyValueStoreCommand, ListKeysCommand, UpdateKeysCommand } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { presetFiles } from '../../src/cli/init.js';
import { resolveConfig } from '../../src/config/load.js';
import { rollback } from '../../src/deploy/atomic/site-ops.js';
import { deploySite } from '../../src/deploy/deploy.js';

const ARN = 'arn:aws:cloudfront::123456789012:key-value-store/9d3c8bca-0000-4000-8000-000000000000';
const kvs = mockClient(CloudFrontKeyValueStoreClient);
const kvsClient = new CloudFrontKeyValueStoreClient({ region: 'us-east-1' });
const describeStore = (etag: string) => ({ KvsARN: ARN, ETag: etag, ItemCount: 0, TotalSizeInBytes: 0, Created: new Date(0) });
const conflict = () => Object.assign(new Error('The ETag does not match'), { name: 'ConflictException' });

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-atomic-kvs-'));
afterAll(() => {
  kvs.restore();
  fs.rmSync(root, { recursive: true, force: true });
});
beforeEach(() => kvs.reset());

function build(version: string): void {
  fs.mkdirSync(path.join(root, 'out/_next/static/chunks'), { recursive: true });
  fs.writeFileSync(path.join(root, 'out/index.html'), `<script src="/_next/static/chunks/main-${version}.js"></script>`);
  fs.writeFileSync(path.join(root, `out/_next/static/chunks/main-${version}.js`), `/* ${version} */`);
  fs.mkdirSync(path.join(root, 'edge'), { recursive: true });
  fs.writeFileSync(path.join(root, 'edge/url-handler.js'), presetFiles('nextjs-export', 'example.com', {}, { atomic: true })['edge/url-handler.js']!);
}

const site = () =>
  resolveConfig(
    {
      site: 'out',
      deploy: { atomic: true, previewDomain: 'preview.example.com' },
      behaviors: [
        { path: '_next/static/*', cache: 'immutable' },
        { path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } },
      ],
      targets: { production: { store: { type: 'fs', dir: 'bucket' }, distributionId: 'E2EXAMPLE', keyValueStoreArn: ARN } },
    },
    root,
  );

const updates = () => kvs.commandCalls(UpdateKeysCommand).map((c) => c.args[0].input);

describe('atomic deploy to a provisioned target: the pointer through the KeyValueStore API', () => {
  it('the first deploy writes es:live once, under the ETag it read', async () => {
    build('1111aaaa');
    kvs.on(DescribeKeyValueStoreCommand).resolves(describeStore('E1'));
    kvs.on(ListKeysCommand).resolves({ Items: [] });
    kvs.on(UpdateKeysCommand).resolves({ ETag: 'E2', ItemCount: 1, TotalSizeInBytes: 9 });
    const report = await deploySite(site(), { target: 'production', kvsClient });
    expect(report.atomic).toMatchObject({ id: 1, kvs: ARN });
    expect(updates()).toEqual([{ KvsARN: ARN, IfMatch: 'E1', Puts: [{ Key: 'es:live', Value: '1' }] }]);
  });

  it('a writer that changed the store in between: the switch starts over from a fresh read', async () => {
    build('2222bbbb');
    kvs.on(DescribeKeyValueStoreCommand).resolvesOnce(describeStore('E2')).resolves(describeStore('E3'));
    kvs.on(ListKeysCommand).resolves({ Items: [{ Key: 'es:live', Value: '1' }, { Key: 'greeting', Value: 'hi' }] });
    kvs.on(UpdateKeysCommand).rejectsOnce(conflict()).resolves({ ETag: 'E4', ItemCount: 2, TotalSizeInBytes: 9 });
    const report = await deploySite(site(), { target: 'production', kvsClient });
    expect(report.atomic?.id).toBe(2);
    expect(updates()).toEqual([
      { KvsARN: ARN, IfMatch: 'E2', Puts: [{ Key: 'es:live', Value: '2' }] },
      { KvsARN: ARN, IfMatch: 'E3', Puts: [{ Key: 'es:live', Value: '2' }] },
    ]);
  });

  it('a preview writes its host key and leaves es:live alone', async () => {
    build('3333cccc');
    kvs.on(DescribeKeyValueStoreCommand).resolves(describeStore('E5'));
    kvs.on(ListKeysCommand).resolves({ Items: [{ Key: 'es:live', Value: '2' }] });
    kvs.on(UpdateKeysCommand).resolves({ ETag: 'E6', ItemCount: 2, TotalSizeInBytes: 9 });
    await deploySite(site(), { target: 'production', kvsClient, preview: 'feature-a' });
    expect(updates()).toEqual([{ KvsARN: ARN, IfMatch: 'E5', Puts: [{ Key: 'es:host:feature-a.preview.example.com', Value: '3' }] }]);
  });

  it('rollback is one UpdateKeys of es:live', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves(describeStore('E6'));
    kvs.on(ListKeysCommand).resolves({ Items: [{ Key: 'es:live', Value: '2' }, { Key: 'es:host:feature-a.preview.example.com', Value: '3' }] });
    kvs.on(UpdateKeysCommand).resolves({ ETag: 'E7', ItemCount: 2, TotalSizeInBytes: 9 });
    expect(await rollback(site(), 'previous', { target: 'production', kvsClient })).toMatchObject({ from: 2, to: 1, changed: true });
    expect(updates()).toEqual([{ KvsARN: ARN, IfMatch: 'E6', Puts: [{ Key: 'es:live', Value: '1' }] }]);
  });

  it('a provisioned target without keyValueStoreArn is refused before the build is uploaded, naming the fix', async () => {
    const s = site();
    delete s.targets.production!.keyValueStoreArn;
    await expect(deploySite(s, { target: 'production', kvsClient })).rejects.toMatchObject({ code: 'NO_KEY_VALUE_STORE', hint: expect.stringMatching(/keyValueStoreArn/) });
  });
});

describe('_redirects to a provisioned target', () => {
  it('the exact-path rules go to the same KeyValueStore through the API, after the pointer', async () => {
    build('4444dddd');
    fs.writeFileSync(path.join(root, 'out/_redirects'), '/old /index.html 301\n');
    try {
      kvs.on(DescribeKeyValueStoreCommand).resolves(describeStore('E8'));
      kvs.on(ListKeysCommand).resolves({ Items: [{ Key: 'es:live', Value: '1' }, { Key: 'es:r:/gone', Value: '1 301 /x' }] });
      kvs.on(UpdateKeysCommand).resolves({ ETag: 'E9', ItemCount: 2, TotalSizeInBytes: 9 });
      const report = await deploySite(site(), { target: 'production', kvsClient });
      expect(report.redirects).toMatchObject({ keys: 1, put: 1, deleted: 1, location: ARN });
      const [pointer, rules] = updates();
      expect(pointer!.Puts).toEqual([{ Key: 'es:live', Value: String(report.atomic!.id) }]);
      expect(rules!.Puts).toEqual([{ Key: 'es:r:/old', Value: expect.stringContaining('301 /index.html') }]);
      expect(rules!.Deletes).toEqual([{ Key: 'es:r:/gone' }]);
    } finally {
      fs.rmSync(path.join(root, 'out/_redirects'));
    }
  });
});
