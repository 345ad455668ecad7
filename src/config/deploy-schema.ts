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
  /**
   * Atomic deploys: pages and other files served through the url-handler go under a per-deploy
   * prefix (`_deploys/<id>/`), content-hashed assets stay shared, and the live deploy is one
   * KeyValueStore pointer (`es:live`): a switch or rollback is one write (see docs/deploy.md).
   */
  atomic: z.boolean().default(false),
  /** Host under which preview deploys are served: `deploy --preview NAME` serves at `NAME.<previewDomain>` (atomic mode). */
  previewDomain: z
    .string()
    .regex(/^([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'is not a host name such as "preview.example.com"')
    .optional(),
  /** Files at least this large are uploaded in parts (bytes). */
  multipartThreshold: z.number().int().min(5 * 1024 * 1024).default(DEPLOY_DEFAULTS.multipartThreshold),
});

export type DeployConfig = z.output<typeof deploySchema>;
