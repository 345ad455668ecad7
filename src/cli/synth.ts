import path from 'node:path';
import type { SiteModel } from '../config/model.js';
import { EdgeshipError, EXIT } from '../errors.js';
import type { Io } from './io.js';
import type { Register } from './context.js';

export interface SynthCliOptions {
  out?: string;
  stackName?: string;
  print?: boolean;
  json?: boolean;
}

/** `edgeship synth [--out cdk.out] [--stack-name NAME] [--print] [--json]` */
/** Throws BAD_STACK_NAME (exit 2) for a name CloudFormation would refuse. */
export function checkStackName(name: string): void {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name)) {
    throw new EdgeshipError('BAD_STACK_NAME', `"${name}" is not a CloudFormation stack name`, {
      exitCode: EXIT.usage,
      hint: 'start with a letter; use letters, digits and "-" (at most 128)',
    });
  }
}

export async function runSynth(site: SiteModel, options: SynthCliOptions, io: Io): Promise<number> {
  if (options.stackName !== undefined) checkStackName(options.stackName);
  // aws-cdk-lib (a peer dependency) takes seconds to load: only this command pays for it.
  const { loadStackModule } = await import('../synth/peers.js');
  const { synthesizeSite } = await loadStackModule('synth');
  const result = synthesizeSite(site, { outDir: path.resolve(io.cwd, options.out ?? 'cdk.out'), stackName: options.stackName });
  for (const w of result.warnings) io.err(`warning: ${w.path}: ${w.message}`);
  const rel = (p: string) => path.relative(io.cwd, p) || '.';
  if (options.json) {
    io.out(JSON.stringify({ stackName: result.stackName, outDir: result.outDir, templateFile: result.templateFile, warnings: result.warnings }, null, 2));
  } else if (options.print) {
    // yaml is loaded here only: every other command starts without it.
    const { stringify } = await import('yaml');
    io.out(stringify(result.template, { lineWidth: 0 }));
  } else {
    const resources = Object.values((result.template.Resources ?? {}) as Record<string, { Type: string }>);
    const count = (type: string) => resources.filter((r) => r.Type === type).length;
    // Only a site with `_redirects` Country rules has one; the others' summary stays as it was.
    const originRequest = count('AWS::CloudFront::OriginRequestPolicy');
    io.out(
      [
        `synthesized stack ${result.stackName} to ${rel(result.outDir)}/ (${rel(result.templateFile)})`,
        `  ${count('AWS::CloudFront::CachePolicy')} cache policies, ${count('AWS::CloudFront::Function')} functions, ${count('AWS::CloudFront::ResponseHeadersPolicy')} headers policies${originRequest > 0 ? `, ${originRequest} origin request policies` : ''}`,
        '',
        'Next:',
        `  edgeship provision                     (or: npx cdk deploy --app ${rel(result.outDir)}, with aws-cdk installed)`,
        `  edgeship deploy --target production   (target stack: ${result.stackName})`,
      ].join('\n'),
    );
  }
  return EXIT.ok;
}

export const registerSynth: Register = (program, ctx) => {
  program
    .command('synth')
    .description('generate the AWS CDK stack (S3 bucket + CloudFront) from the behavior table; no AWS account needed')
    .option('--out <dir>', 'cloud assembly folder for `cdk deploy --app`', 'cdk.out')
    .option('--stack-name <name>', 'CloudFormation stack name (default: synth.stackName, or edgeship-<domain>)')
    .option('--print', 'print the CloudFormation template (YAML) to stdout instead of the summary (the assembly is written too)')
    .option('--json', 'print the stack name, files and warnings as JSON')
    .action(async (opts: SynthCliOptions) => {
      ctx.exitCode = await runSynth(await ctx.loadSite(), opts, ctx.io);
    });
};
