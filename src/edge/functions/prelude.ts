/**
 * The part of the CloudFront Functions runtime that lives inside the `node:vm` context.
 *
 * It is plain JavaScript evaluated in the context, so every object a function can reach
 * (console, Date, Buffer, the `cloudfront`, `crypto` and `querystring` modules, the event) belongs to
 * the context's realm. The host hands it one `bridge` object whose functions take and return
 * strings only; the bridge stays in this closure and is never reachable from function code.
 * Host errors never cross: the bridge functions do not throw (`guardBridge`).
 */
import { BUFFER_PRELUDE } from './prelude-buffer.js';
import { CLOUDFRONT_PRELUDE } from './prelude-cloudfront.js';
import { MODULE_GLOBAL } from './source.js';

/** Host side of the bridge. Every argument and result is a primitive. */
export interface Bridge {
  /** JSON of the current invocation: `{ id, now, eventType, rawQuery, event }`. */
  input(): string;
  /** JSON outcome of invocation `id`. */
  deliver(id: number, outcome: string): void;
  log(line: string): void;
  /** UTF-8 bytes of `text`, as a latin1 string (one char per byte). */
  utf8Encode(text: string): string;
  /** Text of UTF-8 `bytes` given as a latin1 string; bad sequences become U+FFFD. */
  utf8Decode(bytes: string): string;
  /** `bytes` (latin1 string) decoded as text in a Node encoding (utf8, hex, base64, …). */
  bytesToString(bytes: string, encoding: string): string;
  /** `text` encoded in a Node encoding, as a latin1 string of bytes. */
  stringToBytes(text: string, encoding: string): string;
  /** Digest of `data` (latin1 bytes) with HMAC `key` (latin1 bytes) or none; `encoding` hex|base64|base64url|latin1. */
  digest(algorithm: string, key: string | null, data: string, encoding: string): string;
  base64Encode(bytes: string): string;
  base64Decode(text: string): string;
  /** node:querystring `unescape`, used where decodeURIComponent refuses bad UTF-8. */
  unescape(text: string): string;
  /** JSON of the KeyValueStore snapshot, or '' when the function has none. */
  kvs(): string;
  /** Changes whenever the data `kvs()` returns does; -1 without a store. */
  kvsVersion(): number;
}

/**
 * Wraps every bridge function so it returns null instead of throwing: an error object of the
 * host realm reaching function code would lead to the host's `Function` through its constructor.
 * The prelude turns null into an error of the context's realm.
 */
export function guardBridge(bridge: Bridge): Bridge {
  const guarded = Object.create(null) as Record<string, unknown>;
  for (const [name, fn] of Object.entries(bridge) as [string, (...args: unknown[]) => unknown][]) {
    guarded[name] = (...args: unknown[]) => {
      try {
        return fn(...args);
      } catch {
        return null;
      }
    };
  }
  return guarded as unknown as Bridge;
}

export const INVOKE_GLOBAL = '__edgeship_invoke';
export const MARK_GLOBAL = '__edgeship_mark_handled';
export const PRELUDE_FILENAME = 'edgeship:functions-runtime';

export const PRELUDE = String.raw`(function install(bridge, settingsJson, unsettled) {
  'use strict';
  // Built-ins the invocation wrapper relies on, taken before function code can replace them.
  // The wrapper must never throw: whatever escapes it reaches the host. So it uses no spread
  // or iteration (patchable iterators), no .call (patchable), and descriptors without a
  // prototype (inherited get/set).
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const defineProperty = Object.defineProperty;
  const apply = Reflect.apply;
  const RangeErrorOf = RangeError;
  const settings = parse(settingsJson);
  // The host's bridge functions return null instead of throwing (a host error must never reach
  // function code); here null becomes an error of this realm.
  const host = {};
  for (const name of Object.keys(bridge)) {
    const fn = bridge[name];
    host[name] = function (a, b, c, d) {
      const result = fn(a, b, c, d);
      if (result === null) throw new RangeErrorOf('the local runtime could not complete ' + name);
      return result;
    };
  }
  const g = globalThis;
  const fixed = (name, value) => Object.defineProperty(g, name, { value, writable: false, configurable: false, enumerable: false });
  const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  const P = Promise;
  const then = P.prototype.then;
  const resolve = P.resolve.bind(P);
  // Fixed so that the host can attach a rejection handler with the original then() without
  // running function code (then() reads .constructor and Symbol.species).
  Object.defineProperty(P.prototype, 'constructor', { writable: false, configurable: false });
  Object.defineProperty(P, Symbol.species, { configurable: false });
  const ignore = function () {};

  // Not part of CloudFront Functions (§7.1, §7.4). FinalizationRegistry callbacks would also
  // run outside any evaluation, hence outside the time limit.
  for (const name of ['SharedArrayBuffer', 'Atomics', 'WebAssembly', 'WeakRef', 'FinalizationRegistry']) delete g[name];

  // console.log: the arguments joined by spaces, one line; output goes to the host, bounded there.
  const show = (v) => {
    if (typeof v === 'string') return v;
    try { const s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch (e) { return String(v); }
  };
  const log = function log() {
    let line = '';
    for (let i = 0; i < arguments.length; i++) line += (i === 0 ? '' : ' ') + show(arguments[i]);
    host.log(line);
  };
  fixed('console', Object.freeze({ log, info: log, warn: log, error: log, debug: log }));

  // Date returns the function's start time for the whole run (§7.4).
  const RealDate = Date;
  let now = RealDate.now();
  const PinnedDate = function Date(...args) {
    if (new.target === undefined) return new RealDate(now).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [now] : args, new.target);
  };
  Object.defineProperty(PinnedDate, 'prototype', { value: RealDate.prototype });
  Object.defineProperty(PinnedDate, 'now', { value: function now_() { return now; }, writable: true, configurable: true });
  Object.defineProperty(PinnedDate, 'parse', { value: RealDate.parse, writable: true, configurable: true });
  Object.defineProperty(PinnedDate, 'UTC', { value: RealDate.UTC, writable: true, configurable: true });
  Object.defineProperty(RealDate.prototype, 'constructor', { value: PinnedDate, writable: true, configurable: true });
  g.Date = PinnedDate;

  // Bytes cross the bridge as latin1 strings (one char per byte).
  const bytesToBinary = (bytes) => {
    let s = '';
    for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode.apply(null, Array.prototype.slice.call(bytes, i, i + 4096));
    return s;
  };
  const binaryToBytes = (s) => {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  };
  // Bytes as a Buffer in cloudfront-js-2.0 (set below), a Uint8Array otherwise.
  let binaryToBuffer = binaryToBytes;
  const modules = {};
  const toBinary = (data) => {
    if (typeof data === 'string') return host.utf8Encode(data);
    if (ArrayBuffer.isView(data)) return bytesToBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (data instanceof ArrayBuffer) return bytesToBinary(new Uint8Array(data));
    throw new TypeError('data must be a string or bytes');
  };

  // atob / btoa / TextEncoder / TextDecoder (cloudfront-js-2.0, §7.1).
  if (settings.runtime === 'cloudfront-js-2.0') {
    fixed('btoa', function btoa(s) {
      s = String(s);
      for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) throw new Error('btoa: the string contains characters outside of Latin1');
      return host.base64Encode(s);
    });
    fixed('atob', function atob(s) {
      s = String(s).replace(/[\t\n\f\r ]/g, '');
      if (s.length % 4 === 0) s = s.replace(/==?$/, '');
      if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) throw new Error('atob: the string is not valid base64');
      return host.base64Decode(s);
    });
    class TextEncoder {
      get encoding() { return 'utf-8'; }
      encode(s) { return binaryToBytes(host.utf8Encode(s === undefined ? '' : String(s))); }
    }
    class TextDecoder {
      get encoding() { return 'utf-8'; }
      decode(bytes) { return bytes === undefined ? '' : host.utf8Decode(toBinary(bytes)); }
    }
    fixed('TextEncoder', TextEncoder);
    fixed('TextDecoder', TextDecoder);

${BUFFER_PRELUDE}  }

  // crypto (§7.6): createHash / createHmac with md5, sha1, sha256.
  const ALGORITHMS = ['md5', 'sha1', 'sha256'];
  const ENCODINGS = ['hex', 'base64', 'base64url'];
  const makeHash = (algorithm, key) => {
    if (!ALGORITHMS.includes(algorithm)) throw new Error('crypto: unsupported algorithm "' + algorithm + '" (md5, sha1, sha256)');
    let data = '';
    let done = false;
    const hash = {
      update(chunk) {
        if (done) throw new Error('crypto: digest already called');
        data += toBinary(chunk);
        return hash;
      },
      digest(encoding) {
        if (done) throw new Error('crypto: digest already called');
        done = true;
        if (encoding !== undefined && !ENCODINGS.includes(encoding)) throw new Error('crypto: unsupported encoding "' + encoding + '"');
        const out = host.digest(algorithm, key, data, encoding === undefined ? 'latin1' : encoding);
        if (encoding !== undefined) return out;
        // Without an encoding: a Buffer in 2.0, a byte string in 1.0 (§7.6).
        return settings.runtime === 'cloudfront-js-2.0' ? binaryToBuffer(out) : out;
      },
    };
    return hash;
  };
  const crypto = Object.freeze({
    createHash(algorithm) { return makeHash(String(algorithm), null); },
    createHmac(algorithm, key) { return makeHash(String(algorithm), toBinary(key)); },
  });

  // querystring (§7.6), after node:querystring.
  const qsUnescape = (s) => { try { return decodeURIComponent(s); } catch (e) { return host.unescape(s); } };
  const qsEscape = (s) => encodeURIComponent(s);
  const qsParse = (str, sep, eq, options) => {
    sep = sep === undefined || sep === null ? '&' : String(sep);
    eq = eq === undefined || eq === null ? '=' : String(eq);
    const out = {};
    if (typeof str !== 'string' || str.length === 0) return out;
    const decode = options && typeof options.decodeURIComponent === 'function' ? options.decodeURIComponent : qsUnescape;
    const maxKeys = options && typeof options.maxKeys === 'number' ? options.maxKeys : 1000;
    let parts = str.split(sep);
    if (maxKeys > 0) parts = parts.slice(0, maxKeys);
    for (const part of parts) {
      if (part.length === 0) continue;
      const at = part.indexOf(eq);
      const k = decode((at >= 0 ? part.slice(0, at) : part).replace(/\+/g, ' '));
      const v = at >= 0 ? decode(part.slice(at + eq.length).replace(/\+/g, ' ')) : '';
      if (!hasOwn(out, k)) out[k] = v;
      else if (Array.isArray(out[k])) out[k].push(v);
      else out[k] = [out[k], v];
    }
    return out;
  };
  const qsStringify = (obj, sep, eq, options) => {
    sep = sep === undefined || sep === null ? '&' : String(sep);
    eq = eq === undefined || eq === null ? '=' : String(eq);
    const encode = options && typeof options.encodeURIComponent === 'function' ? options.encodeURIComponent : qsEscape;
    const prim = (v) => (typeof v === 'string' ? v : typeof v === 'number' && isFinite(v) ? String(v) : typeof v === 'boolean' ? String(v) : '');
    if (obj === null || typeof obj !== 'object') return '';
    const parts = [];
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      const k = encode(prim(key)) + eq;
      if (Array.isArray(v)) for (const item of v) parts.push(k + encode(prim(item)));
      else parts.push(k + encode(prim(v)));
    }
    return parts.join(sep);
  };
  const querystring = Object.freeze({ parse: qsParse, decode: qsParse, stringify: qsStringify, encode: qsStringify, escape: qsEscape, unescape: qsUnescape });

${CLOUDFRONT_PRELUDE}

  modules.cloudfront = cloudfront;
  modules.crypto = crypto;
  modules.querystring = querystring;
  fixed('${MODULE_GLOBAL}', function (name) {
    if (!hasOwn(modules, name)) throw new Error('module "' + name + '" is not available');
    return modules[name];
  });

  // One invocation: read the event, run the handler, deliver a JSON outcome. Serializing the
  // result here, inside the time limit, means the host never runs function code (getters,
  // toJSON) outside of it.
  const describe = (e) => {
    try {
      if (e !== null && typeof e === 'object') {
        const head = String(e.name || 'Error') + ': ' + String(e.message);
        const stack = typeof e.stack === 'string' ? e.stack.split('\n') : [];
        const at = stack.find((line) => line.includes(settings.file));
        return at ? head + ' (' + at.trim() + ')' : head;
      }
      return 'threw ' + String(e);
    } catch (inner) {
      return 'threw a value that cannot be described';
    }
  };
  // Promises the host could not mark as handled itself (unusual prototype or own constructor):
  // marked here, inside the time limit.
  fixed('${MARK_GLOBAL}', function () {
    for (let i = 0; i < unsettled.length; i++) {
      try { apply(then, unsettled[i], [undefined, ignore]); } catch (e) { /* not a promise any more */ }
    }
    unsettled.length = 0;
  });
  fixed('${INVOKE_GLOBAL}', function (handler) {
    const input = parse(host.input());
    now = input.now;
    eventType = input.eventType;
    const event = input.event;
    const raw = input.rawQuery;
    defineProperty(event.request, 'rawQueryString', {
      __proto__: null,
      value: function rawQueryString() { return raw === null ? undefined : raw; },
      writable: true, configurable: true, enumerable: false,
    });
    // Outcomes are built from strings only: stringify of a string reads no toJSON.
    let settled = false;
    const finish = (outcome) => { if (!settled) { settled = true; host.deliver(input.id, outcome); } };
    const failed = (invalid, message) => finish('{"ok":false,' + (invalid ? '"invalid":true,' : '') + '"message":' + stringify(message) + '}');
    const fail = (e) => failed(false, describe(e));
    const ok = (value) => {
      if (value === undefined || value === null) return finish('{"ok":true,"empty":true}');
      let json;
      try { json = stringify(value); } catch (e) { return failed(true, 'the returned value cannot be serialized: ' + describe(e)); }
      if (typeof json !== 'string') return failed(true, 'the handler returned a ' + typeof value);
      finish('{"ok":true,"value":' + json + '}');
    };
    if (typeof handler !== 'function') return failed(false, 'handler is not a function');
    try {
      const result = handler(event);
      if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof result.then === 'function') {
        apply(then, resolve(result), [ok, fail]);
      } else {
        ok(result);
      }
    } catch (e) {
      fail(e);
    }
  });
})`;
