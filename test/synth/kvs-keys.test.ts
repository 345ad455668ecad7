/**
 * The keys of edge.kvs written into the stack's KeyValueStore, against the SDK client mocked
 * with aws-sdk-client-mock: only what differs, every write conditional on the ETag, a
 * conflicting writer answered by reading again.
 */
import { CloudFrontKeyValueStoreClient, DescribeKeyValueStoreCommand, ListKeysCommand, UpdateKeysCommand } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { EdgeshipError } from '../../src/errors.js';
import { CloudFrontKvs } from '../../src/kvs/cloudfront-kvs.js';
import { KVS_KEYS } from '../../src/kvs/keys.js';
import { syncKvsKeys, UPDATE_BATCH } from '../../src/synth/kvs-keys.js';

const ARN = 'arn:aws:cloudfront::123456789012:key-value-store/9d3c8bca-0000-4000-8000-000000000000';
const kvs = mockClient(CloudFrontKeyValueStoreClient);
const client = new CloudFrontKeyValueStoreClient({ region: 'us-east-1' });
const describeStore = (etag: string) => ({ KvsARN: ARN, ETag: etag, ItemCount: 0, TotalSizeInBytes: 0, Created: new Date(0) });
const conflict = () => Object.assign(new Error('The ETag does not match'), { name: 'ConflictException' });

beforeEach(() => kvs.reset());
afterAll(() => kvs.restore());

describe('syncKvsKeys', () => {
  it('puts new and changed keys, deletes removed ones, leaves equal ones, all under the read ETag', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves(describeStore('ETAG1'));
    kvs.on(ListKeysCommand).resolvesOnce({ Items: [{ Key: 'live', Value: 'v0' }], NextToken: 'page2' }).resolves({ Items: [{ Key: 'same', Value: '1' }, { Key: 'gone', Value: 'x' }] });
    kvs.on(UpdateKeysCommand).resolves({ ETag: 'ETAG2', ItemCount: 3, TotalSizeInBytes: 10 });
    const result = await syncKvsKeys(client, ARN, { live: 'v1', same: '1', new: 'n' });
    expect(result).toEqual({ put: 2, deleted: 1, unchanged: 1, conflicts: 0 });
    expect(kvs.commandCalls(ListKeysCommand)[1]!.args[0].input.NextToken).toBe('page2');
    const updates = kvs.commandCalls(UpdateKeysCommand).map((c) => c.args[0].input);
    expect(updates).toEqual([{ KvsARN: ARN, IfMatch: 'ETAG1', Puts: [{ Key: 'live', Value: 'v1' }, { Key: 'new', Value: 'n' }], Deletes: [{ Key: 'gone' }] }]);
  });

  it('writes nothing when the store already holds the keys', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves(describeStore('ETAG1'));
    kvs.on(ListKeysCommand).resolves({ Items: [{ Key: 'live', Value: 'v1' }] });
    expect(await syncKvsKeys(client, ARN, { live: 'v1' })).toEqual({ put: 0, deleted: 0, unchanged: 1, conflicts: 0 });
    expect(kvs.commandCalls(UpdateKeysCommand)).toHaveLength(0);
  });

  it('chains the ETag across batches, puts before deletes', async () => {
    const entries = Object.fromEntries(Array.from({ length: UPDATE_BATCH + 5 }, (_, i) => [`k${i}`, String(i)]));
    kvs.on(DescribeKeyValueStoreCommand).resolves(describeStore('E0'));
    kvs.on(ListKeysCommand).resolves({ Items: [{ Key: 'old', Value: 'x' }] });
    kvs.on(UpdateKeysCommand).resolvesOnce({ ETag: 'E1', ItemCount: 0, TotalSizeInBytes: 0 }).resolves({ ETag: 'E2', ItemCount: 0, TotalSizeInBytes: 0 });
    await syncKvsKeys(client, ARN, entries);
    const [first, second] = kvs.commandCalls(UpdateKeysCommand).map((c) => c.args[0].input);
    expect(first).toMatchObject({ IfMatch: 'E0' });
    expect(first!.Puts).toHaveLength(UPDATE_BATCH);
    expect(first!.Deletes).toBeUndefined();
    expect(second).toMatchObject({ IfMatch: 'E1', Deletes: [{ Key: 'old' }] });
    expect(second!.Puts).toHaveLength(5);
  });

  it('a ConflictException (someone else wrote) reads the store again and retries with its new ETag', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolvesOnce(describeStore('STALE')).resolves(describeStore('FRESH'));
    kvs.on(ListKeysCommand).resolves({ Items: [] });
    kvs.on(UpdateKeysCommand).rejectsOnce(conflict()).resolves({ ETag: 'NEXT', ItemCount: 1, TotalSizeInBytes: 1 });
    expect(await syncKvsKeys(client, ARN, { live: 'v1' })).toEqual({ put: 1, deleted: 0, unchanged: 0, conflicts: 1 });
    expect(kvs.commandCalls(UpdateKeysCommand).map((c) => c.args[0].input.IfMatch)).toEqual(['STALE', 'FRESH']);
  });

  it('gives up after three conflicts with KVS_SYNC_FAILED (exit 1)', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves(describeStore('E'));
    kvs.on(ListKeysCommand).resolves({ Items: [] });
    kvs.on(UpdateKeysCommand).rejects(conflict());
    const error = (await syncKvsKeys(client, ARN, { live: 'v1' }).catch((e: unknown) => e)) as EdgeshipError;
    expect(error).toBeInstanceOf(EdgeshipError);
    expect(error.code).toBe('KVS_SYNC_FAILED');
    expect(error.exitCode).toBe(1);
    expect(kvs.commandCalls(UpdateKeysCommand)).toHaveLength(3);
  });
});

describe('syncKvsKeys beside the keys edgeship keeps', () => {
  it('never deletes an es: key (deploy pointers, redirects) and refuses one in edge.kvs', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves(describeStore('E1'));
    kvs.on(ListKeysCommand).resolves({ Items: [{ Key: KVS_KEYS.live, Value: 'd1' }, { Key: 'old', Value: 'x' }] });
    kvs.on(UpdateKeysCommand).resolves({ ETag: 'E2', ItemCount: 1, TotalSizeInBytes: 1 });
    await syncKvsKeys(client, ARN, { user: 'u' });
    expect(kvs.commandCalls(UpdateKeysCommand).map((c) => c.args[0].input)).toEqual([{ KvsARN: ARN, IfMatch: 'E1', Puts: [{ Key: 'user', Value: 'u' }], Deletes: [{ Key: 'old' }] }]);
    await expect(syncKvsKeys(client, ARN, { [KVS_KEYS.live]: 'mine' })).rejects.toMatchObject({ code: 'KVS_RESERVED_KEY', exitCode: 2 });
  });
});

describe('CloudFrontKvs', () => {
  it('a pointer switch is one UpdateKeys request naming the read ETag', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves(describeStore('E7'));
    kvs.on(ListKeysCommand).resolves({ Items: [{ Key: KVS_KEYS.live, Value: 'd1' }, { Key: 'user', Value: 'u' }] });
    kvs.on(UpdateKeysCommand).resolves({ ETag: 'E8', ItemCount: 2, TotalSizeInBytes: 1 });
    const result = await new CloudFrontKvs(client, ARN).update({ put: { [KVS_KEYS.live]: 'd2' } });
    expect(result).toEqual({ put: 1, deleted: 0, unchanged: 0, conflicts: 0 });
    expect(kvs.commandCalls(UpdateKeysCommand).map((c) => c.args[0].input)).toEqual([{ KvsARN: ARN, IfMatch: 'E7', Puts: [{ Key: 'es:live', Value: 'd2' }] }]);
    expect(await new CloudFrontKvs(client, ARN).read()).toEqual({ 'es:live': 'd1', user: 'u' });
  });
});
