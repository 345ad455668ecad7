// A CDK app as a user writes it, as an ES module (app.cts is the CommonJS one): its own aws-cdk-lib, edgeship's construct on top.
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EdgeshipSite } from 'edgeship/cdk';

const app = new App({ outdir: process.argv[2] });
const stack = new Stack(app, 'Web');
const site = new EdgeshipSite(stack, 'Site', {
  config: {
    domain: 'example.com',
    behaviors: [
      { path: 'assets/*', cache: 'immutable' },
      { path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } },
    ],
  },
  rootDir: import.meta.dirname,
});
const deployer = new iam.Role(stack, 'Deployer', { assumedBy: new iam.AccountRootPrincipal() });
// Failed to type-check (TS2345, two declarations of Role) while edgeship carried its own aws-cdk-lib.
site.bucket.grantRead(deployer);
site.distribution.grantCreateInvalidation(deployer);
// Exactly what edgeship deploy needs.
site.grantDeploy(deployer);
app.synth();
