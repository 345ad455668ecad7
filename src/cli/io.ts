/** Where a command writes: the CLI passes the process streams, tests pass a recorder. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Progress bars and colors only on a terminal, never in CI logs. */
  isTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    isTTY: Boolean(process.stdout.isTTY) && !process.env.CI,
    cwd: process.cwd(),
    env: process.env,
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
