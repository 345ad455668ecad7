/**
 * An error a user can act on: a stable code, the exit status the CLI uses, and the fix.
 * Library code throws these; only the CLI prints them and exits.
 */
export class EdgeshipError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly options: { exitCode?: number; hint?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'EdgeshipError';
  }
  get exitCode(): number {
    return this.options.exitCode ?? 1;
  }
  get hint(): string | undefined {
    return this.options.hint;
  }
}

/** Exit statuses of the CLI (documented in the README). */
export const EXIT = {
  ok: 0,
  /** The operation failed (a store error, findings of error severity, failed images). */
  failed: 1,
  /** Bad input: invalid config or arguments, a missing or empty build folder. */
  usage: 2,
  /** A guard refused the plan (too many deletes) and `--force` was not given. */
  refused: 3,
} as const;
