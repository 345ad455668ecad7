import { z } from 'zod';

/**
 * `synth` block: what `edgeship synth` (and the `EdgeshipSite` CDK construct) needs beyond the
 * behavior table to describe the production distribution (see src/synth, docs/synth.md).
 */
export const synthSchema = z.strictObject({
  /** CloudFormation stack name used by `edgeship synth`; `--stack-name` overrides it. */
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a stack name starts with a letter and holds letters, digits and "-" (at most 128)')
    .optional(),
  /**
   * ACM certificate for `domain` and `aliases` (must be in us-east-1, spec §9.2). Without it the
   * distribution answers on its `*.cloudfront.net` name only and the host names are not attached.
   */
  certificateArn: z.string().min(1).optional(),
  /** Edge locations used (spec §9.3). Default `PriceClass_All`. */
  priceClass: z.enum(['PriceClass_100', 'PriceClass_200', 'PriceClass_All']).optional(),
  /** Standard access logs (spec §9.5) to an S3 bucket. */
  logging: z
    .strictObject({
      /** Name of an existing bucket with ACLs enabled; omitted: the stack creates one. */
      bucket: z.string().min(3).max(63).optional(),
      /** Key prefix of the log files, e.g. `cloudfront/`. */
      prefix: z.string().optional(),
      /** Also log the viewer's cookies. Default false. */
      includeCookies: z.boolean().default(false),
      /** Days a log file is kept in the bucket the stack creates (ignored with `bucket`). Default 90. */
      expireAfterDays: z.number().int().min(1).max(3650).default(90),
    })
    .optional(),
});

export type SynthConfig = z.output<typeof synthSchema>;
