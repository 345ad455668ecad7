/**
 * `_redirects` through synth: the stack's viewer-request function is the compiled url-handler
 * (its pattern rules inside, under 10 KB), associated with the stack's KeyValueStore, where the
 * deploy writes the exact-path rules.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { presetFiles } from '../../src/cli/init.js';
import { EdgeshipSite } from '../../src/synth/index.js';
import { STRICT_VALIDATION } from '../../src/synth/stack.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-redirects-synth-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('_redirects through synth', () => {
  it('deploys the compiled function with the KeyValueStore associated', () => {
    const files: Record<string, string> = {
      'out/index.html': 'home',
      'out/_redirects': '/home /\n/news/* /blog/:splat 302\n',
      'edge/url-handler.js': presetFiles('astro', 'example.com', {})['edge/url-handler.js']!,
    };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), text);
    }
    const stack = new Stack(new App({ context: { ...STRICT_VALIDATION } }), 'Redirects');
    new EdgeshipSite(stack, 'Site', { config: { site: 'out', behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } }] }, rootDir: root });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudFront::KeyValueStore', 1);
    const fn = Object.values(template.findResources('AWS::CloudFront::Function'))[0]!;
    const code = fn.Properties.FunctionCode as string;
    expect(code).toBe(fs.readFileSync(path.join(root, '.edgeship/functions/url-handler.js'), 'utf8'));
    expect(code).toContain('[2,"^/news(?:/(.*))?$","splat","/blog/:splat",302]');
    expect(Buffer.byteLength(code)).toBeLessThanOrEqual(10_240);
    expect(fn.Properties.FunctionConfig.KeyValueStoreAssociations).toHaveLength(1);
  });
});
