/**
 * Defaults of the `deploy` block, apart from its schema: a deploy opens the store from the
 * config as read, before the schema library has loaded (see src/deploy/early-read.ts).
 */
export const DEPLOY_DEFAULTS = {
  concurrency: 16,
  multipartThreshold: 16 * 1024 * 1024,
} as const;
