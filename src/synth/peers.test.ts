import { describe, expect, it } from 'vitest';
import { EdgeshipError } from '../errors.js';
import { atLeast, CDK_INSTALL, checkCdkPeers, resolveInstalledPeer, type ResolvePeer } from './peers.js';

const thrown = (fn: () => void): EdgeshipError => {
  try {
    fn();
  } catch (error) {
    return error as EdgeshipError;
  }
  throw new Error('expected a throw');
};

describe('aws-cdk-lib and constructs as peer dependencies', () => {
  it('finds the installed ones from edgeship\'s own folder', () => {
    expect(resolveInstalledPeer('aws-cdk-lib')).toMatch(/^2\.\d+\.\d+$/);
    expect(() => checkCdkPeers('synth')).not.toThrow();
  });

  it('missing: exit 2 with the one install command', () => {
    const none: ResolvePeer = () => undefined;
    const e = thrown(() => checkCdkPeers('provision', none));
    expect(e.code).toBe('CDK_MISSING');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('edgeship provision needs aws-cdk-lib and constructs, which are not installed (peer dependencies, optional for the other commands)');
    expect(e.hint).toBe(CDK_INSTALL);
  });

  it('only constructs missing: names it alone', () => {
    const e = thrown(() => checkCdkPeers('synth', (name) => (name === 'constructs' ? undefined : '2.200.0')));
    expect(e.message).toMatch(/needs constructs, which is not installed/);
  });

  it('an aws-cdk-lib older than the lowest supported: exit 2 with the upgrade command', () => {
    const e = thrown(() => checkCdkPeers('synth', (name) => (name === 'constructs' ? '10.8.1' : '2.155.0')));
    expect(e.code).toBe('CDK_TOO_OLD');
    expect(e.exitCode).toBe(2);
    expect(e.hint).toBe('npm install --save-dev aws-cdk-lib@^2.156.0');
  });

  it('compares versions numerically', () => {
    expect(atLeast('2.1000.0', '2.156.0')).toBe(true);
    expect(atLeast('2.156.0', '2.156.0')).toBe(true);
    expect(atLeast('2.99.9', '2.156.0')).toBe(false);
    expect(atLeast('3.0.0-rc.1', '2.156.0')).toBe(true);
  });
});
