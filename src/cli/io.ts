import readline from 'node:readline/promises';

/** Where a command writes: the CLI passes the process streams, tests pass a recorder. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Progress bars and colors only on a terminal, never in CI logs. */
  isTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Asks a yes/no question on a terminal; absent where nobody can answer (CI, tests). */
  confirm?(question: string): Promise<boolean>;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    isTTY: Boolean(process.stdout.isTTY) && !process.env.CI,
    cwd: process.cwd(),
    env: process.env,
    confirm: process.stdin.isTTY
      ? async (question) => {
          const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
          try {
            return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
          } finally {
            rl.close();
          }
        }
      : undefined,
  };
}

/** An Io that records everything, for tests. */
export function memoryIo(cwd: string, env: NodeJS.ProcessEnv = {}): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    isTTY: false,
    cwd,
    env,
    out(text: string) {
      io.stdout += text.endsWith('\n') ? text : `${text}\n`;
    },
    err(text: string) {
      io.stderr += text.endsWith('\n') ? text : `${text}\n`;
    },
  };
  return io;
}
