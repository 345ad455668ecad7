/**
 * A function that fails at load answers 503 on its own behaviors only, and says why; the rest
 * of the site serves (CloudFront answers 503 FunctionExecutionError on the behaviors of a
 * function that cannot run, spec §7.7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { request, siteFixture, type SiteFixture } from './fixture.js';

describe('the edge starting with one broken function', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  const lines: string[] = [];
  beforeAll(async () => {
    fx = await siteFixture(
      {
        behaviors: [
          { path: 'kvs/*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/needs-kvs.js' } },
          { path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/ok.js' } },
        ],
      },
      {
        // cf.kvs() with no KeyValueStore configured: the top-level code throws.
        'edge/needs-kvs.js': `import cf from 'cloudfront';\nconst kvs = cf.kvs();\nasync function handler(event) { return event.request; }\n`,
        'edge/ok.js': `function handler(event) {\n  if (event.request.uri === '/id') return { statusCode: 200, headers: {}, body: event.context.distributionId };\n  return event.request;\n}\n`,
      },
      { 'kvs/a.html': 'a', 'page.html': 'page' },
    );
    edge = await startEdge({ site: fx.site, store: fx.store, announce: false, onFunctionError: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  it('starts and says why the function did not load, once', () => {
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^function needs-kvs did not load; its behaviors answer 503 FunctionExecutionError: .*needs-kvs\.js:2: top-level code failed/);
  });

  it("the broken function's behavior answers 503 FunctionExecutionError and stderr has the reason", async () => {
    const r = await request(`${edge.url}/kvs/a.html`);
    expect(r.status).toBe(503);
    expect(r.headers['x-cache']).toBe('FunctionExecutionError from cloudfront');
    expect(lines[1]).toMatch(/^503 FunctionExecutionError in function needs-kvs: needs-kvs: the function did not load/);
  });

  it('the rest of the site serves, and functions see a distributionId', async () => {
    const r = await request(`${edge.url}/page.html`);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('page');
    expect((await request(`${edge.url}/id`)).body.toString()).toBe('EDFDVBD6EXAMPLE');
  });
});
