/**
 * KeyValueStore in the stack: in CloudFront, `cf.kvs()` in a function with no associated store
 * throws and the viewer gets a 503 (spec §7.6), so a function that calls it gets the site's
 * store, and a site without `edge.kvs` is refused at synth, naming the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../cli/io.js';
import { runCli } from '../cli/program.js';
import { ConfigError } from '../config/errors.js';
import type { EdgeshipConfig } from '../config/schema.js';
import { EdgeshipSite } from './index.js';
import { callsKvs } from './kvs.js';
import { STRICT_VALIDATION } from './stack.js';

const KVS_HANDLER = "import cf from 'cloudfront';\nconst store = cf.kvs();\nasync function handler(event) {\n  const live = await store.get('live');\n  event.request.uri = '/' + live + event.request.uri;\n  return event.request;\n}\n";
const PLAIN_HANDLER = 'function handler(event) { return event.response; }\n';
let dir: string;

const config = (kvs: string | undefined): EdgeshipConfig => ({
  behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/request.js', viewerResponse: 'edge/response.js' } }],
  ...(kvs ? { edge: { kvs } } : {}),
});

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-synth-kvs-'));
  fs.mkdirSync(path.join(dir, 'edge'));
  fs.writeFileSync(path.join(dir, 'edge/request.js'), KVS_HANDLER);
  fs.writeFileSync(path.join(dir, 'edge/response.js'), PLAIN_HANDLER);
  fs.writeFileSync(path.join(dir, 'edge/kvs.json'), JSON.stringify({ live: 'v1' }));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('callsKvs', () => {
  it('sees cf.kvs() through whatever name the cloudfront module is imported as', () => {
    expect(callsKvs(KVS_HANDLER)).toBe(true);
    expect(callsKvs("import edge from 'cloudfront';\nfunction handler(e) { return edge['kvs']().get('k'); }")).toBe(true);
  });

  it('ignores kvs() on other objects, in comments, and the cloudfront module used otherwise', () => {
    expect(callsKvs('// cf.kvs() is not used here\nfunction handler(e) { return e.request; }')).toBe(false);
    expect(callsKvs("const cf = { kvs() {} };\nfunction handler(e) { cf.kvs(); return e.request; }")).toBe(false);
    expect(callsKvs("import cf from 'cloudfront';\nfunction handler(e) { cf.updateRequestOrigin({}); return e.request; }")).toBe(false);
  });
});

describe('EdgeshipSite with a function that calls cf.kvs()', () => {
  let template: Template;
  beforeAll(() => {
    const stack = new Stack(new App({ context: { ...STRICT_VALIDATION } }), 'Kvs');
    new EdgeshipSite(stack, 'Site', { config: config('edge/kvs.json'), rootDir: dir });
    template = Template.fromStack(stack);
  });

  it('creates one KeyValueStore and associates it with that function only', () => {
    template.resourceCountIs('AWS::CloudFront::KeyValueStore', 1);
    const storeId = Object.keys(template.findResources('AWS::CloudFront::KeyValueStore'))[0]!;
    const fns = Object.values(template.findResources('AWS::CloudFront::Function')) as { Properties: { FunctionCode: string; FunctionConfig: { KeyValueStoreAssociations?: unknown } } }[];
    expect(fns).toHaveLength(2);
    const request = fns.find((f) => f.Properties.FunctionCode.includes('cf.kvs()'))!;
    const response = fns.find((f) => !f.Properties.FunctionCode.includes('cf.kvs()'))!;
    expect(request.Properties.FunctionConfig.KeyValueStoreAssociations).toEqual([{ KeyValueStoreARN: { 'Fn::GetAtt': [storeId, 'Arn'] } }]);
    expect(response.Properties.FunctionConfig.KeyValueStoreAssociations).toBeUndefined();
  });

  it('exports the store ARN for the step that writes the keys', () => {
    template.hasOutput('KeyValueStoreArn', { Value: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::CloudFront::KeyValueStore'))[0]!, 'Arn'] } });
  });

  it('creates no store when no function calls cf.kvs(), even with edge.kvs set', () => {
    const stack = new Stack(new App(), 'NoKvs');
    new EdgeshipSite(stack, 'Site', { config: { edge: { kvs: 'edge/kvs.json' }, behaviors: [{ path: '*', cache: 'immutable', functions: { viewerResponse: 'edge/response.js' } }] }, rootDir: dir });
    Template.fromStack(stack).resourceCountIs('AWS::CloudFront::KeyValueStore', 0);
  });
});

describe('an atomic site (deploy.atomic): the deploys fill the store, no edge.kvs needed', () => {
  it('gets the store, associated with the url-handler, and its ARN as an output', () => {
    const stack = new Stack(new App(), 'Atomic');
    new EdgeshipSite(stack, 'Site', { config: { ...config(undefined), deploy: { atomic: true } }, rootDir: dir });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudFront::KeyValueStore', 1);
    template.hasOutput('KeyValueStoreArn', {});
  });
});

describe('a function that calls cf.kvs() with no edge.kvs', () => {
  it('is refused by the construct, naming the config path and the file', () => {
    const stack = new Stack(new App(), 'Refused');
    let error: unknown;
    try {
      new EdgeshipSite(stack, 'Site', { config: config(undefined), rootDir: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([expect.objectContaining({ path: 'behaviors[0].functions.viewerRequest', value: path.join(dir, 'edge/request.js') })]);
  });

  it('makes edgeship synth exit 2, writing nothing', async () => {
    fs.writeFileSync(path.join(dir, 'edgeship.config.json'), JSON.stringify(config(undefined)));
    const io = memoryIo(dir);
    expect(await runCli(['synth', '--out', 'refused.out'], io)).toBe(2);
    expect(io.stderr).toMatch(/behaviors\[0\]\.functions\.viewerRequest: .*edge\/request\.js calls cf\.kvs\(\), but no KeyValueStore is configured.*Set edge\.kvs/);
    expect(fs.existsSync(path.join(dir, 'refused.out'))).toBe(false);
  });
});
