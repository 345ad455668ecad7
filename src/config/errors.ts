/** One problem in a config: where it is, what was there, and what is accepted. */
export interface ConfigIssue {
  /** Config path such as `behaviors[2].path`. */
  path: string;
  message: string;
  value?: unknown;
}

/** A config that cannot be used. Carries every issue found, not just the first. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly exitCode = 2;
  constructor(
    readonly issues: ConfigIssue[],
    readonly file?: string,
  ) {
    super(formatIssues(issues, file));
    this.name = 'ConfigError';
  }
}

export function formatIssues(issues: ConfigIssue[], file?: string): string {
  const head = `${file ?? 'config'}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`;
  return [head, ...issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`)].join('\n');
}

/** Renders a config value the way a user wrote it, shortened when long. */
export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
