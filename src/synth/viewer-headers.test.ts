/**
 * CloudFront's viewer headers named in a behavior's cache key reach the deployed distribution's
 * cache policy, which is what makes CloudFront add them (src/edge/viewer-headers.ts adds the
 * same ones at the local edge).
 */
import fs from 'node:fs';
import os from 'node:os';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, expect, it } from 'vitest';
import { EdgeshipSite } from './index.js';
import { STRICT_VALIDATION } from './stack.js';

const dir = fs.mkdtempSync(`${os.tmpdir()}/edgeship-synth-viewer-`);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('a cache key naming CloudFront-Viewer-Country and CloudFront-Is-Mobile-Viewer gives a cache policy that whitelists them', () => {
  const stack = new Stack(new App({ context: { ...STRICT_VALIDATION } }), 'Viewer');
  new EdgeshipSite(stack, 'Site', {
    config: {
      behaviors: [
        { path: 'geo/*', cache: { edge: '1h', browser: 0 }, cacheKey: { headers: ['CloudFront-Viewer-Country', 'CloudFront-Is-Mobile-Viewer'] } },
        { path: '*', cache: { edge: '5m', browser: 0 } },
      ],
      edge: { viewer: { country: 'DE', device: 'mobile' } },
    },
    rootDir: dir,
  });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
    CachePolicyConfig: {
      DefaultTTL: 3600,
      ParametersInCacheKeyAndForwardedToOrigin: { HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['CloudFront-Viewer-Country', 'CloudFront-Is-Mobile-Viewer'] } },
    },
  });
  // `edge.viewer` is the local edge's stand-in for the viewer: nothing of it is deployed.
  expect(JSON.stringify(template.toJSON())).not.toContain('"DE"');
  template.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: { CacheBehaviors: Match.arrayWith([Match.objectLike({ PathPattern: 'geo/*' })]) } });
});
