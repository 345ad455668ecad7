import type { Options, SingleBar } from 'cli-progress';

/**
 * A one-line progress bar, for terminals only. cli-progress is loaded on first use: runs in CI
 * or with --json (no terminal) start without it.
 */
export async function progressBar(format: string, options: Omit<Options, 'format'> = {}): Promise<SingleBar> {
  const { default: cliProgress } = await import('cli-progress');
  return new cliProgress.SingleBar({ format, hideCursor: true, clearOnComplete: true, ...options }, cliProgress.Presets.shades_classic);
}
