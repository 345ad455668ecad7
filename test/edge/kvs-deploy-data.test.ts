/**
 * The local edge's functions read the user's edge.kvs file and the keys a deploy writes into the
 * store (.edgeship/kvs.json) as one KeyValueStore, and see a deploy's write while running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { KVS_KEYS } from '../../src/kvs/keys.js';
import { LOCAL_KVS_KEY, LocalKvs } from '../../src/kvs/local-kvs.js';
import { request, siteFixture, type SiteFixture } from './fixture.js';

const READER = `import cf from 'cloudfront';
const kvs = cf.kvs();
async function handler(event) {
  var live = (await kvs.exists('es:live')) ? await kvs.get('es:live') : 'none';
  var meta = await kvs.meta();
  return { statusCode: 200, headers: {}, body: live + ' ' + (await kvs.get('greeting')) + ' ' + meta.keyCount };
}
`;

describe('the KeyValueStore data a deploy writes, at the local edge', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  const errors: string[] = [];
  beforeAll(async () => {
    fx = await siteFixture(
      { edge: { kvs: 'kvs.json' }, behaviors: [{ path: '*', cache: { edge: 0, browser: 0 }, functions: { viewerRequest: 'edge/reader.js' } }] },
      { 'edge/reader.js': READER, 'kvs.json': JSON.stringify({ greeting: 'hello' }) },
    );
    edge = await startEdge({ site: fx.site, store: fx.store, announce: false, onFunctionError: (line) => errors.push(line) });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  const body = async () => (await request(`${edge.url}/x`)).body.toString();

  it('starts with the user file alone when no deploy wrote keys', async () => {
    expect(await body()).toBe('none hello 1');
  });

  it('a write shows on the next request after a refresh, the user keys kept', async () => {
    await new LocalKvs(fx.store).update({ put: { [KVS_KEYS.live]: 'd1' } });
    expect(await edge.refreshKvs()).toBe(true);
    expect(await body()).toBe('d1 hello 2');
    expect(await edge.refreshKvs()).toBe(false);
  });

  it('the running edge picks a write up by itself, within a bounded wait', async () => {
    await new LocalKvs(fx.store).update({ put: { [KVS_KEYS.live]: 'd2' } });
    let seen = '';
    for (let i = 0; i < 100 && seen !== 'd2 hello 2'; i++) {
      seen = await body();
      if (seen !== 'd2 hello 2') await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toBe('d2 hello 2');
  });

  it('a corrupt object keeps the last good data and says why', async () => {
    await fx.store.put(LOCAL_KVS_KEY, Buffer.from('{not json'));
    await expect(edge.refreshKvs()).rejects.toMatchObject({ code: 'KVS_CORRUPT' });
    expect(await body()).toBe('d2 hello 2');
  });
});
