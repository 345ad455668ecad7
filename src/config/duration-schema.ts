import { z } from 'zod';
import { DURATION_HELP, parseDuration } from './duration.js';
import { showValue } from './errors.js';

/** A duration in config, read to whole seconds. */
export const durationSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const seconds = parseDuration(value);
  if (seconds === undefined) {
    ctx.issues.push({ code: 'custom', input: value, message: `${showValue(value)} is not a duration; use ${DURATION_HELP}` });
    return z.NEVER;
  }
  return seconds;
});
