import type { Command } from 'commander';
import type { RawConfig } from '../config/file.js';
import type { SiteModel } from '../config/model.js';
import type { Io } from './io.js';

// The contract between program.ts and each command file, apart from both: commands import
// this, never program.ts, so the CLI has no import circle.

/** What every command gets: where to write, and the config (loaded on demand, with --config honoured). */
export interface CommandContext {
  io: Io;
  /** `beforeValidation` runs on the config as read, while the schema loads after it. */
  loadSite(beforeValidation?: (config: RawConfig) => Promise<void>): Promise<SiteModel>;
  /** Set by an action: the process exit status. */
  exitCode: number;
}

export type Register = (program: Command, ctx: CommandContext) => void;
