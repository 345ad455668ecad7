/**
 * The host side of the prelude's bridge (prelude.ts `Bridge`): what a function's code may ask of
 * the host (its input, logging, UTF-8 and digests, the KeyValueStore), and the state of the one
 * invocation in progress that those calls read and write.
 */
import querystringModule from 'node:querystring';
import { createHash, createHmac } from 'node:crypto';
import type { KvsSource } from './kvs.js';
import type { Bridge } from './prelude.js';

/** Log output kept per invocation (§7.5). */
export const LOG_LIMIT_BYTES = 10_240;

export class HostChannel {
  private currentId = 0;
  private currentInput = '';
  private outcome: string | undefined;
  private logged = 0;
  private truncated = false;
  private lines: string[] = [];
  readonly bridge: Bridge;

  constructor(kvs: KvsSource | undefined) {
    this.bridge = {
      input: () => this.currentInput,
      deliver: (id, text) => {
        if (id === this.currentId) this.outcome = String(text);
      },
      log: (line) => this.log(String(line)),
      utf8Encode: (text) => Buffer.from(String(text), 'utf8').toString('latin1'),
      utf8Decode: (bytes) => Buffer.from(String(bytes), 'latin1').toString('utf8'),
      digest: (algorithm, key, data, encoding) => {
        const h = key === null ? createHash(algorithm) : createHmac(algorithm, Buffer.from(key, 'latin1'));
        return h.update(Buffer.from(data, 'latin1')).digest().toString(encoding as BufferEncoding);
      },
      bytesToString: (bytes, encoding) => Buffer.from(String(bytes), 'latin1').toString(encoding as BufferEncoding),
      stringToBytes: (text, encoding) => Buffer.from(String(text), encoding as BufferEncoding).toString('latin1'),
      base64Encode: (bytes) => Buffer.from(String(bytes), 'latin1').toString('base64'),
      base64Decode: (text) => Buffer.from(String(text), 'base64').toString('latin1'),
      unescape: (text) => {
        try {
          return querystringModule.unescape(String(text));
        } catch {
          return String(text);
        }
      },
      kvs: () => (kvs ? JSON.stringify(kvs.snapshot()) : ''),
      kvsVersion: () => (kvs ? kvs.version() : -1),
    };
  }

  /** Starts an invocation: a fresh id (a late `deliver` of an earlier one is ignored), its input, an empty log. */
  begin(payload: object): void {
    this.currentId += 1;
    this.currentInput = JSON.stringify({ id: this.currentId, ...payload });
    this.outcome = undefined;
    this.logged = 0;
    this.truncated = false;
    this.lines = [];
  }

  /** Ends the invocation: what the handler delivered (undefined: nothing) and its log lines. */
  end(): { outcome: string | undefined; logs: string[] } {
    this.currentInput = '';
    return { outcome: this.outcome, logs: this.takeLogs() };
  }

  /** The log lines so far, and an empty log after them (the top-level code logs outside an invocation). */
  takeLogs(): string[] {
    const logs = this.lines;
    this.lines = [];
    return logs;
  }

  private log(text: string): void {
    if (this.truncated) return;
    this.logged += Buffer.byteLength(text) + 1;
    if (this.logged > LOG_LIMIT_BYTES) {
      this.truncated = true;
      this.lines.push(`[log truncated at ${LOG_LIMIT_BYTES} bytes]`);
      return;
    }
    this.lines.push(text);
  }
}
