import { describe, expect, it } from 'vitest';
import { bootstrapNeeds } from './stack.js';

describe('bootstrapNeeds: what in a stack artifact would need cdk bootstrap', () => {
  it('is empty for a stack with no role, no asset and no version rule', () => {
    expect(bootstrapNeeds({ dependencies: [], template: { Resources: {} } })).toEqual([]);
  });

  it("names what DefaultStackSynthesizer and BootstraplessSynthesizer write", () => {
    const needs = bootstrapNeeds({
      assumeRoleArn: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-deploy-role-${AWS::AccountId}-${AWS::Region}',
      cloudFormationExecutionRoleArn: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}',
      requiresBootstrapStackVersion: 6,
      dependencies: [{ id: 'S.assets' }],
      template: { Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>' } } },
    });
    expect(needs).toEqual([
      expect.stringMatching(/^deploy role .*deploy-role/),
      expect.stringMatching(/^CloudFormation execution role .*cfn-exec-role/),
      'bootstrap stack version 6',
      'assets S.assets',
      'the BootstrapVersion parameter',
    ]);
  });
});
