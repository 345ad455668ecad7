/** A duration in config: whole seconds, or a string such as `'90s'`, `'5m'`, `'12h'`, `'365d'`, `'2w'`, `'1y'`. */
export type Duration = number | string;

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3_600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000, // CloudFront's own "one year" (MaxTTL default), not a calendar year
};

const DURATION = /^(\d+)\s*(s|m|h|d|w|y)?$/;

export const DURATION_HELP = "whole seconds (300) or a number with a unit s, m, h, d, w or y ('5m', '365d')";

/** Seconds for a duration, or `undefined` when it cannot be read. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const m = DURATION.exec(value.trim());
  if (!m) return undefined;
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2] ?? 's']!;
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

/** The shortest exact form of a number of seconds: 300 -> '5m', 31536000 -> '365d'. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60]] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
