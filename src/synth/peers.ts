import fs from 'node:fs';
import { createRequire } from 'node:module';
import { EdgeshipError, EXIT } from '../errors.js';

/**
 * `aws-cdk-lib` and `constructs` are peer dependencies: a CDK app has exactly one copy (two
 * copies make ordinary grants fail to type-check), and CLI users who never synthesize do not
 * download them. `synth` and `provision` check for them before loading the stack code.
 */
export const CDK_PEERS = {
  /** The lowest aws-cdk-lib with every construct the stack uses (S3BucketOrigin with OAC: 2.156.0). */
  'aws-cdk-lib': '2.156.0',
  constructs: '10.0.0',
} as const;

export const CDK_INSTALL = 'npm install --save-dev aws-cdk-lib constructs';

export type PeerName = keyof typeof CDK_PEERS;

/** The installed version of a package as resolved from edgeship's own folder, or undefined when it is missing. */
export type ResolvePeer = (name: PeerName) => string | undefined;

const ownRequire = createRequire(import.meta.url);

export const resolveInstalledPeer: ResolvePeer = (name) => {
  let manifest: string;
  try {
    manifest = ownRequire.resolve(`${name}/package.json`);
  } catch {
    return undefined;
  }
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
};

/** Whether `version` is at least `lowest` (plain x.y.z; a prerelease tag is ignored). */
export function atLeast(version: string, lowest: string): boolean {
  const parts = (v: string) => v.split(/[-+]/)[0]!.split('.').map((n) => Number(n) || 0);
  const [a, b] = [parts(version), parts(lowest)];
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/**
 * Throws `CDK_MISSING` (exit 2) naming the one install command when a peer is missing, and
 * `CDK_TOO_OLD` when the installed aws-cdk-lib lacks constructs the stack uses.
 */
export function checkCdkPeers(command: string, resolve: ResolvePeer = resolveInstalledPeer): void {
  const found = Object.keys(CDK_PEERS).map((name) => ({ name: name as PeerName, version: resolve(name as PeerName) }));
  const missing = found.filter((p) => p.version === undefined).map((p) => p.name);
  if (missing.length > 0) {
    throw new EdgeshipError('CDK_MISSING', `edgeship ${command} needs ${missing.join(' and ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed (peer dependencies, optional for the other commands)`, {
      exitCode: EXIT.usage,
      hint: CDK_INSTALL,
    });
  }
  const old = found.filter((p) => !atLeast(p.version!, CDK_PEERS[p.name]));
  if (old.length > 0) {
    throw new EdgeshipError('CDK_TOO_OLD', `edgeship ${command} needs ${old.map((p) => `${p.name} ${CDK_PEERS[p.name]} or later (installed: ${p.version})`).join(' and ')}`, {
      exitCode: EXIT.usage,
      hint: `npm install --save-dev ${old.map((p) => `${p.name}@^${CDK_PEERS[p.name]}`).join(' ')}`,
    });
  }
}

/** The stack code, loaded once the peers are known to be there (aws-cdk-lib takes seconds to load). */
export async function loadStackModule(command: string, resolve?: ResolvePeer): Promise<typeof import('./stack.js')> {
  checkCdkPeers(command, resolve);
  return import('./stack.js');
}
