import { z } from 'zod';

/** `edge` block: the local edge (`edgeship serve`, see src/edge). */
export const edgeSchema = z.strictObject({
  /**
   * JSON file backing the CloudFront Functions KeyValueStore (`cf.kvs()`), relative to the
   * config: `{ "key": "value", ... }`. Read once when the edge starts.
   */
  kvs: z.string().min(1).optional(),
});

export type EdgeConfig = z.output<typeof edgeSchema>;
