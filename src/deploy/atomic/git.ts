/** The git commit and branch a build came from, for the deploy history; nothing when not in a git checkout. */
import { execFileSync } from 'node:child_process';

export function gitInfo(dir: string, env: NodeJS.ProcessEnv = process.env): { commit?: string; branch?: string } {
  // CI checkouts are often detached: the CI's own variables name the branch (GitHub Actions here).
  const run = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const commit = env.GITHUB_SHA ?? run('rev-parse', 'HEAD');
  const head = run('rev-parse', '--abbrev-ref', 'HEAD');
  const branch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || (head && head !== 'HEAD' ? head : undefined);
  return { ...(commit && { commit: commit.slice(0, 12) }), ...(branch && { branch }) };
}
