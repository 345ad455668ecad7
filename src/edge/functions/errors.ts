import { EdgeshipError, EXIT } from '../../errors.js';

/**
 * A CloudFront Functions file (or its KeyValueStore file) that cannot be loaded. CloudFront
 * itself would refuse such code when it is created or published, so the local edge refuses it
 * at start-up instead of answering 503 on every request.
 */
export class FunctionLoadError extends EdgeshipError {
  /** 1-based line in `file`, when the error points at one. */
  readonly line: number | undefined;
  constructor(
    code: 'FUNCTION_SYNTAX' | 'FUNCTION_UNSUPPORTED' | 'FUNCTION_TOO_LARGE' | 'FUNCTION_NO_HANDLER' | 'FUNCTION_INIT' | 'KVS_INVALID',
    readonly file: string,
    message: string,
    options: { line?: number; column?: number; hint?: string; cause?: unknown } = {},
  ) {
    const at = options.line === undefined ? '' : `:${options.line}${options.column === undefined ? '' : `:${options.column}`}`;
    super(code, `${file}${at}: ${message}`, { exitCode: EXIT.usage, hint: options.hint, cause: options.cause });
    this.name = 'FunctionLoadError';
    this.line = options.line;
  }
}
