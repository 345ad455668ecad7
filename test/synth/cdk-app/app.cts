// A CDK app as a user writes it, as CommonJS: `edgeship/cdk` is loaded with require().
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
  rootDir: __dirname,
});
const deployer = new iam.Role(stack, 'Deployer', { assumedBy: new iam.AccountRootPrincipal() });
site.bucket.grantRead(deployer);
site.distribution.grantCreateInvalidation(deployer);
// Exactly what edgeship deploy needs.
site.grantDeploy(deployer);
app.synth();
