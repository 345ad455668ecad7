import { z } from 'zod';
import { DEPLOY_DEFAULTS } from './deploy-defaults.js';
import { durationSchema } from './duration-schema.js';

/** `deploy` block: how `edgeship deploy` plans and applies (see src/deploy). */
export const deploySchema = z.strictObject({
  /** Requests to the store in flight at once. */
  concurrency: z.number().int().min(1).max(256).default(DEPLOY_DEFAULTS.concurrency),
  /** Paths relative to `site` that deploy leaves alone: never uploaded, and never deleted from the store (CloudFront path-pattern syntax: `*` and `?`). */
  exclude: z.array(z.string().min(1)).default([]),
  /** How long a removed content-hashed asset stays in the store after it leaves the build. */
  retain: durationSchema.default(7 * 86_400),
  /** ...and while it was part of one of this many previous deploys (deploys that changed nothing do not count). */
  retainDeploys: z.number().int().min(0).default(3),
  /** A plan deleting more than this share of the stored objects needs `--force`. */
  maxDeleteRatio: z.number().min(0).max(1).default(0.5),
  /** Files at least this large are uploaded in parts (bytes). */
  multipartThreshold: z.number().int().min(5 * 1024 * 1024).default(DEPLOY_DEFAULTS.multipartThreshold),
});

export type DeployConfig = z.output<typeof deploySchema>;
