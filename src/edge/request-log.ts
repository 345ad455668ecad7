/**
 * Where per-request records go: CloudFront standard access-log lines appended to a file
 * (spec §9.5), and one short colored line per request on a terminal.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RequestRecord } from './server.js';

export interface LogFormat {
  /** The two header lines of the standard log (`#Version`, `#Fields`), with a trailing newline. */
  header: string;
  /** One tab-separated record line, without newline. */
  line(record: RequestRecord): string;
  /** One short line for a terminal. */
  tty(record: RequestRecord): string;
}

export interface RequestLogger {
  record(record: RequestRecord): void;
  close(): void;
}

export interface RequestLoggerOptions {
  file?: string;
  tty?: boolean;
  /** Write the header lines when the file is new or empty (the primary does it once for all workers). */
  writeHeader: boolean;
  /** Where TTY lines go (default stdout). */
  out?: (line: string) => void;
  format: LogFormat;
}

/** A logger, or undefined when there is nothing to log to. */
export function requestLogger(options: RequestLoggerOptions): RequestLogger | undefined {
  const { file, tty, format } = options;
  if (!file && !tty) return undefined;
  let fd: number | undefined;
  if (file) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fd = fs.openSync(file, 'a');
    if (options.writeHeader && fs.fstatSync(fd).size === 0) fs.writeSync(fd, format.header);
  }
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  let buffer = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (fd === undefined || buffer === '') return;
    // One append per batch; O_APPEND keeps lines of several workers whole.
    fs.writeSync(fd, buffer);
    buffer = '';
  };
  return {
    record(record) {
      if (fd !== undefined) {
        buffer += `${format.line(record)}\n`;
        if (buffer.length > 64 * 1024) flush();
        else timer ??= setTimeout(flush, 200).unref();
      }
      if (tty) out(format.tty(record));
    },
    close() {
      if (timer) clearTimeout(timer);
      flush();
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
  };
}
