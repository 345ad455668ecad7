import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

/** Runs the CLI in-process in `cwd`, as `edgeship ...args` would run there; never exits. */
export async function cli(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = memoryIo(cwd);
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}
