import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import type { SiteModel } from '../config/model.js';
import { EdgeshipError, EXIT } from '../errors.js';
import { OUTPUT_KEYS } from '../synth/output-keys.js';
import { isPendingTarget } from '../synth/production-target.js';
import type { ProvisionClock, ResourceChange } from '../synth/provision.js';
import type { Io } from './io.js';
import type { Register } from './context.js';
import { checkStackName } from './synth.js';

export interface ProvisionCliOptions {
  stackName?: string;
  region?: string;
  yes?: boolean;
  json?: boolean;
}

/** What tests replace: the AWS clients and the clock the waits use. */
export interface ProvisionDeps {
  client?: CloudFormationClient;
  kvsClient?: CloudFrontKeyValueStoreClient;
  clock?: ProvisionClock;
  pollMs?: number;
}

const TARGET = 'production';

/** `edgeship provision [--stack-name NAME] [--region REGION] [--yes] [--json]` */
export async function runProvision(site: SiteModel, options: ProvisionCliOptions, io: Io, deps: ProvisionDeps = {}): Promise<number> {
  if (options.stackName !== undefined) checkStackName(options.stackName);
  const { loadStackModule } = await import('../synth/peers.js');
  const { synthesizeSite, defaultStackName } = await loadStackModule('provision');
  const [{ CloudFormationClient }, { provisionStack, formatChanges }, { fillProductionTarget }] = await Promise.all([
    import('@aws-sdk/client-cloudformation'),
    import('../synth/provision.js'),
    import('../synth/production-target.js'),
  ]);
  const target = Object.hasOwn(site.targets, TARGET) ? site.targets[TARGET] : undefined;
  const stackName = options.stackName ?? target?.stack ?? defaultStackName(site);
  const configured = target && !isPendingTarget(target) && target.store.type === 's3' ? target.store.region : undefined;
  const client = deps.client ?? new CloudFormationClient(options.region ?? configured ? { region: options.region ?? configured } : {});
  const region = await client.config.region().catch(() => undefined);
  if (!region) throw new EdgeshipError('NO_REGION', 'no AWS region to create the stack in', { exitCode: EXIT.usage, hint: 'pass --region eu-west-1, or set AWS_REGION' });

  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-provision-'));
  let result;
  try {
    const synth = synthesizeSite(site, { outDir, stackName });
    for (const w of synth.warnings) io.err(`warning: ${w.path}: ${w.message}`);
    const confirm = async (changes: ResourceChange[], kind: 'CREATE' | 'UPDATE') => {
      if (!options.json) io.err([`${kind === 'CREATE' ? 'create' : 'update'} stack ${stackName} in ${region}:`, ...formatChanges(changes)].join('\n'));
      if (options.yes) return true;
      if (!io.isTTY || !io.confirm) return false;
      return io.confirm(`${kind === 'CREATE' ? 'create' : 'apply these changes to'} ${stackName}?`);
    };
    result = await provisionStack({
      client,
      stackName,
      templateBody: JSON.stringify(synth.template),
      confirm,
      onEvent: options.json ? undefined : (e) => io.err(`  ${e.status.padEnd(20)} ${e.logicalId} (${e.type})${e.reason ? `: ${e.reason}` : ''}`),
      clock: deps.clock,
      pollMs: deps.pollMs,
    });
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  if (result.status === 'cancelled') {
    throw new EdgeshipError('PROVISION_CANCELLED', `nothing was changed: stack ${stackName} ${io.isTTY && io.confirm ? 'was not confirmed' : 'needs confirmation'}`, {
      exitCode: EXIT.refused,
      hint: 'pass --yes to execute the change set without asking (CI)',
    });
  }
  const bucket = result.outputs[OUTPUT_KEYS.bucketName];
  const distributionId = result.outputs[OUTPUT_KEYS.distributionId];
  if (!bucket || !distributionId) {
    throw new EdgeshipError('STACK_OUTPUTS_MISSING', `stack ${stackName} has no output ${OUTPUT_KEYS.bucketName} or ${OUTPUT_KEYS.distributionId}`, { exitCode: EXIT.failed, hint: 'use a stack edgeship provision created' });
  }
  const kvsArn = result.outputs[OUTPUT_KEYS.keyValueStoreArn];
  const values = { stack: stackName, bucket, region, distributionId, ...(kvsArn ? { keyValueStoreArn: kvsArn } : {}) };
  let configUpdated: string | undefined;
  if (site.configFile) {
    const text = fs.readFileSync(site.configFile, 'utf8');
    const filled = await fillProductionTarget(text, site.configFile, values, TARGET);
    if (filled !== text) {
      fs.writeFileSync(site.configFile, filled);
      configUpdated = site.configFile;
    }
  }
  const kvs = kvsArn && site.edge.kvs ? await writeKvsKeys(site, kvsArn, deps.kvsClient) : undefined;
  const domainName = result.outputs[OUTPUT_KEYS.distributionDomainName];
  if (options.json) {
    io.out(JSON.stringify({ status: result.status, stackName, region, changes: result.changes, outputs: result.outputs, keyValueStore: kvs ?? null, configUpdated: configUpdated ?? null }, null, 2));
    return EXIT.ok;
  }
  const rel = (p: string) => path.relative(io.cwd, p) || p;
  io.out(
    [
      result.status === 'no-change' ? `stack ${stackName} in ${region} already matches the config: nothing to change` : `${result.status} stack ${stackName} in ${region}`,
      `  bucket        ${bucket}`,
      `  distribution  ${distributionId}${domainName ? ` (https://${domainName})` : ''}`,
      configUpdated ? `wrote targets.${TARGET} in ${rel(configUpdated)}` : `targets.${TARGET} already names them`,
      ...(kvs ? [`  KeyValueStore ${kvs.put} keys written, ${kvs.deleted} deleted, ${kvs.unchanged} unchanged (from ${site.edge.kvs})`] : []),
      '',
      `Next: edgeship deploy --target ${TARGET}`,
    ].join('\n'),
  );
  return EXIT.ok;
}

/** The keys of `edge.kvs` into the stack's store: only those that differ. */
async function writeKvsKeys(site: SiteModel, arn: string, client?: CloudFrontKeyValueStoreClient) {
  const [{ readKvsFile }, { syncKvsKeys }, { CloudFrontKeyValueStoreClient: Client }] = await Promise.all([
    import('../edge/functions/kvs.js'),
    import('../synth/kvs-keys.js'),
    import('@aws-sdk/client-cloudfront-keyvaluestore'),
    // The KeyValueStore API is signed with SigV4a: the SDK's JavaScript implementation, opted into by importing it.
    import('@aws-sdk/signature-v4a'),
  ]);
  const { entries } = readKvsFile(path.resolve(site.rootDir, site.edge.kvs!));
  return syncKvsKeys(client ?? new Client({ region: 'us-east-1' }), arn, entries);
}

export const registerProvision: Register = (program, ctx) => {
  program
    .command('provision')
    .description('create or update the AWS stack (S3 bucket + CloudFront) through a CloudFormation change set and fill in targets.production; no CDK CLI, no bootstrap')
    .option('--stack-name <name>', 'CloudFormation stack name (default: targets.production.stack, synth.stackName, or edgeship-<domain>)')
    .option('--region <region>', 'AWS region of the stack and bucket (default: targets.production.store.region, then AWS_REGION)')
    .option('-y, --yes', 'execute the change set without asking (needed when not on a terminal)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: ProvisionCliOptions) => {
      ctx.exitCode = await runProvision(await ctx.loadSite(), opts, ctx.io);
    });
};
