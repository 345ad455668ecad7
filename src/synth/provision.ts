/**
 * `edgeship provision`: creates or updates the site's stack through a CloudFormation change set,
 * with the SDK only (no CDK CLI, no bootstrap: the stack has no assets and names no role).
 * The change set is shown before it is executed; a failed one carries CloudFormation's reason.
 */
import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type CloudFormationClient,
  type DescribeChangeSetCommandOutput,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { EdgeshipError, EXIT } from '../errors.js';

/** One resource the change set adds, modifies or removes. */
export interface ResourceChange {
  action: string;
  logicalId: string;
  type: string;
  /** CloudFormation's `Replacement` for a modification: `True`, `False` or `Conditional`. */
  replacement?: string;
}

export interface StackProgress {
  logicalId: string;
  type: string;
  status: string;
  reason?: string;
}

export interface ProvisionClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface ProvisionOptions {
  client: CloudFormationClient;
  stackName: string;
  /** The template as JSON text (at most 51,200 bytes: CloudFormation's limit for a body). */
  templateBody: string;
  /** Asked with the change set before it runs; `false` deletes it and changes nothing. Default: go. */
  confirm?: (changes: ResourceChange[], kind: 'CREATE' | 'UPDATE') => Promise<boolean>;
  /** Each stack event while the change set runs, oldest first. */
  onEvent?: (event: StackProgress) => void;
  clock?: ProvisionClock;
  /** Between two polls. Default 5 s (CloudFormation's own waiters use 5 s and more). */
  pollMs?: number;
  /** How long the change set may take to compute. Default 10 minutes. */
  changeSetTimeoutMs?: number;
  /** How long the stack may take to create or update (a new distribution takes minutes). Default 60 minutes. */
  stackTimeoutMs?: number;
}

export interface ProvisionResult {
  status: 'created' | 'updated' | 'no-change' | 'cancelled';
  stackName: string;
  changes: ResourceChange[];
  outputs: Record<string, string>;
}

/** CloudFormation's limit for `TemplateBody`; larger templates must come from S3. */
export const TEMPLATE_BODY_LIMIT = 51_200;

const realClock: ProvisionClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;
const FAILED_EVENT = /_FAILED$/;

export async function provisionStack(options: ProvisionOptions): Promise<ProvisionResult> {
  const { client, stackName } = options;
  const clock = options.clock ?? realClock;
  const bytes = Buffer.byteLength(options.templateBody);
  if (bytes > TEMPLATE_BODY_LIMIT) {
    throw new EdgeshipError('TEMPLATE_TOO_LARGE', `the template is ${bytes} bytes; CloudFormation takes at most ${TEMPLATE_BODY_LIMIT} in a request`, {
      exitCode: EXIT.usage,
      hint: 'deploy it with the CDK CLI instead (edgeship synth, then cdk bootstrap and cdk deploy --app cdk.out), which uploads large templates to S3',
    });
  }
  const existing = await describeStack(client, stackName);
  const kind = checkStackState(stackName, existing);
  const changeSetName = `edgeship-${clock.now()}`;
  const ids = { StackName: stackName, ChangeSetName: changeSetName };
  await client.send(new CreateChangeSetCommand({ ...ids, ChangeSetType: kind, TemplateBody: options.templateBody, Description: 'edgeship provision' }));
  const created = await poll(clock, options, options.changeSetTimeoutMs ?? 600_000, `change set ${changeSetName} of ${stackName}`, async () => {
    const cs = await client.send(new DescribeChangeSetCommand(ids));
    return cs.Status === 'CREATE_COMPLETE' || cs.Status === 'FAILED' ? cs : undefined;
  });
  if (created.Status === 'FAILED') {
    if (NO_CHANGES.test(created.StatusReason ?? '')) {
      await client.send(new DeleteChangeSetCommand(ids));
      return { status: 'no-change', stackName, changes: [], outputs: outputsOf(existing) };
    }
    throw new EdgeshipError('CHANGE_SET_FAILED', `CloudFormation refused the change set for ${stackName}: ${created.StatusReason ?? 'no reason given'}`, { exitCode: EXIT.failed });
  }
  const changes = await allChanges(client, ids, created);
  if (options.confirm && !(await options.confirm(changes, kind))) {
    await client.send(new DeleteChangeSetCommand(ids));
    return { status: 'cancelled', stackName, changes, outputs: outputsOf(existing) };
  }
  const started = new Date(clock.now() - 1_000);
  await client.send(new ExecuteChangeSetCommand(ids));
  const seen = new Set<string>();
  const failures: StackProgress[] = [];
  const final = await poll(clock, options, options.stackTimeoutMs ?? 3_600_000, `stack ${stackName}`, async () => {
    for (const event of await newEvents(client, stackName, started, seen)) {
      if (FAILED_EVENT.test(event.status) && event.reason) failures.push(event);
      options.onEvent?.(event);
    }
    const stack = await describeStack(client, stackName);
    return stack?.StackStatus && !stack.StackStatus.endsWith('_IN_PROGRESS') ? stack : undefined;
  });
  const status = final.StackStatus!;
  if (status !== 'CREATE_COMPLETE' && status !== 'UPDATE_COMPLETE') {
    const reasons = failures.map((f) => `${f.logicalId} (${f.type}): ${f.reason}`);
    throw new EdgeshipError('STACK_FAILED', `stack ${stackName} ended ${status}${reasons.length > 0 ? `:\n  ${reasons.join('\n  ')}` : ''}`, {
      exitCode: EXIT.failed,
      hint: status === 'ROLLBACK_COMPLETE' ? `a stack whose creation rolled back cannot be updated: delete it (aws cloudformation delete-stack --stack-name ${stackName}; the bucket is kept) and run edgeship provision again` : 'fix the cause above and run edgeship provision again',
    });
  }
  return { status: kind === 'CREATE' ? 'created' : 'updated', stackName, changes, outputs: outputsOf(final) };
}

/** CREATE for a new stack (or one only a never-executed change set created), UPDATE for a settled one; refuses the rest. */
function checkStackState(stackName: string, stack: Stack | undefined): 'CREATE' | 'UPDATE' {
  const status = stack?.StackStatus;
  if (!status || status === 'REVIEW_IN_PROGRESS') return 'CREATE';
  if (status.endsWith('_IN_PROGRESS')) {
    throw new EdgeshipError('STACK_BUSY', `stack ${stackName} is ${status}`, { exitCode: EXIT.failed, hint: 'wait for the running stack operation to finish, then run edgeship provision again' });
  }
  if (status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED' || status.startsWith('DELETE_') || status === 'UPDATE_ROLLBACK_FAILED') {
    throw new EdgeshipError('STACK_NOT_UPDATABLE', `stack ${stackName} is ${status}; CloudFormation cannot update it`, {
      exitCode: EXIT.failed,
      hint: status === 'UPDATE_ROLLBACK_FAILED' ? 'continue the rollback in the CloudFormation console, then run edgeship provision again' : `delete it (aws cloudformation delete-stack --stack-name ${stackName}; the site bucket is kept) and run edgeship provision again`,
    });
  }
  return 'UPDATE';
}

async function describeStack(client: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    return (await client.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  } catch (error) {
    const e = error as { name?: string; message?: string };
    if (e.name === 'ValidationError' && /does not exist/i.test(e.message ?? '')) return undefined;
    throw new EdgeshipError('STACK_LOOKUP_FAILED', `could not read stack ${stackName}: ${e.message ?? String(error)}`, { exitCode: EXIT.failed, cause: error });
  }
}

async function allChanges(client: CloudFormationClient, ids: { StackName: string; ChangeSetName: string }, first: DescribeChangeSetCommandOutput): Promise<ResourceChange[]> {
  const changes: ResourceChange[] = [];
  let page: DescribeChangeSetCommandOutput | undefined = first;
  while (page) {
    for (const c of page.Changes ?? []) {
      const r = c.ResourceChange;
      if (!r) continue;
      changes.push({ action: r.Action ?? 'Unknown', logicalId: r.LogicalResourceId ?? '?', type: r.ResourceType ?? '?', ...(r.Action === 'Modify' && r.Replacement ? { replacement: r.Replacement } : {}) });
    }
    page = page.NextToken ? await client.send(new DescribeChangeSetCommand({ ...ids, NextToken: page.NextToken })) : undefined;
  }
  return changes;
}

/** Events of this run not reported yet (the first page is the newest), oldest first. */
async function newEvents(client: CloudFormationClient, stackName: string, since: Date, seen: Set<string>): Promise<StackProgress[]> {
  const events = (await client.send(new DescribeStackEventsCommand({ StackName: stackName }))).StackEvents ?? [];
  const fresh = events.filter((e) => e.EventId && !seen.has(e.EventId) && (e.Timestamp ?? since) >= since).reverse();
  for (const e of fresh) seen.add(e.EventId!);
  return fresh.map((e) => ({ logicalId: e.LogicalResourceId ?? '?', type: e.ResourceType ?? '?', status: e.ResourceStatus ?? '?', ...(e.ResourceStatusReason ? { reason: e.ResourceStatusReason } : {}) }));
}

/** Calls `check` until it returns a value, sleeping `pollMs` between calls; throws PROVISION_TIMEOUT after `timeoutMs`. */
async function poll<T>(clock: ProvisionClock, options: Pick<ProvisionOptions, 'pollMs'>, timeoutMs: number, what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (clock.now() >= deadline) {
      throw new EdgeshipError('PROVISION_TIMEOUT', `${what} did not finish within ${Math.round(timeoutMs / 60_000)} minutes`, {
        exitCode: EXIT.failed,
        hint: 'CloudFormation goes on without edgeship: follow the stack in the CloudFormation console, then run edgeship provision again',
      });
    }
    await clock.sleep(options.pollMs ?? 5_000);
  }
}

function outputsOf(stack: Stack | undefined): Record<string, string> {
  return Object.fromEntries((stack?.Outputs ?? []).filter((o) => o.OutputKey).map((o) => [o.OutputKey!, o.OutputValue ?? '']));
}

/** The change set as lines: `+ add`, `~ modify` (replacements called out), `- remove`. */
export function formatChanges(changes: ResourceChange[]): string[] {
  const sign: Record<string, string> = { Add: '+', Modify: '~', Remove: '-', Import: '>', Dynamic: '?' };
  return changes.map((c) => {
    const replace = c.replacement === 'True' ? '  REPLACED (new physical resource)' : c.replacement === 'Conditional' ? '  may be REPLACED' : '';
    return `  ${sign[c.action] ?? '?'} ${c.logicalId} (${c.type})${replace}`;
  });
}
