/**
 * `Buffer` and the `buffer` module of cloudfront-js-2.0 (spec §7.1, §7.6), as prelude source: a
 * `Uint8Array` subclass built inside the function's context with Node's semantics for the
 * methods CloudFront documents (functions-javascript-runtime-20.html, "Buffer module"). Search
 * methods follow Node's own algorithm (lib/buffer.js `bidirectionalIndexOf`, src/node_buffer.cc
 * `IndexOfOffset`); prelude-buffer.test.ts compares each with Node's results.
 *
 * Spliced into PRELUDE (prelude.ts): it uses that scope's `host`, `fixed`, `modules`,
 * `bytesToBinary` and assigns `binaryToBuffer`.
 */
export const BUFFER_PRELUDE = String.raw`
    // Buffer (cloudfront-js-2.0, §7.1): a Uint8Array with Node's common methods.
    const ENCODINGS_NODE = ['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'utf16le', 'utf-16le', 'ucs2', 'ucs-2'];
    const encodingOf = (encoding) => {
      if (encoding === undefined || encoding === null) return 'utf8';
      const e = String(encoding).toLowerCase();
      if (!ENCODINGS_NODE.includes(e)) throw new TypeError('Unknown encoding: ' + encoding);
      return e;
    };
    class Buffer extends Uint8Array {
      static from(value, encodingOrOffset, length) {
        if (typeof value === 'string') return binaryToBuffer(host.stringToBytes(value, encodingOf(encodingOrOffset)));
        if (value instanceof ArrayBuffer) {
          const offset = encodingOrOffset === undefined ? 0 : Number(encodingOrOffset);
          return new Buffer(value, offset, length === undefined ? value.byteLength - offset : Number(length));
        }
        if (value instanceof Uint8Array) { const b = new Buffer(value.length); b.set(value); return b; }
        if (ArrayBuffer.isView(value) || Array.isArray(value)) {
          const b = new Buffer(value.length);
          for (let i = 0; i < value.length; i++) b[i] = Number(value[i]) & 255;
          return b;
        }
        throw new TypeError('Buffer.from: the value must be a string, an array, an ArrayBuffer or a typed array');
      }
      static alloc(size, fill, encoding) {
        const b = new Buffer(size);
        if (fill !== undefined && fill !== 0) b.fill(fill, 0, size, encoding);
        return b;
      }
      static allocUnsafe(size) { return new Buffer(size); }
      static byteLength(value, encoding) {
        return typeof value === 'string' ? host.stringToBytes(value, encodingOf(encoding)).length : value.byteLength;
      }
      static isBuffer(value) { return value instanceof Buffer; }
      static isEncoding(encoding) { return typeof encoding === 'string' && ENCODINGS_NODE.includes(encoding.toLowerCase()); }
      static concat(list, totalLength) {
        let total = 0;
        for (let i = 0; i < list.length; i++) total += list[i].length;
        if (totalLength !== undefined) total = Number(totalLength);
        const out = new Buffer(total);
        let at = 0;
        for (let i = 0; i < list.length && at < total; i++) {
          const part = list[i].length > total - at ? list[i].subarray(0, total - at) : list[i];
          out.set(part, at);
          at += part.length;
        }
        return out;
      }
      static compare(a, b) { return Buffer.prototype.compare.call(a, b); }
      toString(encoding, start, end) {
        const from = start === undefined ? 0 : Math.max(0, Number(start));
        const to = end === undefined ? this.length : Math.min(this.length, Number(end));
        return host.bytesToString(bytesToBinary(this.subarray(from, to)), encodingOf(encoding));
      }
      toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
      compare(other) {
        const n = Math.min(this.length, other.length);
        for (let i = 0; i < n; i++) if (this[i] !== other[i]) return this[i] < other[i] ? -1 : 1;
        return this.length === other.length ? 0 : this.length < other.length ? -1 : 1;
      }
      equals(other) { return this.compare(other) === 0; }
      slice(start, end) { return this.subarray(start, end); }
      fill(value, offset, end, encoding) {
        const from = offset === undefined ? 0 : Number(offset);
        const to = end === undefined ? this.length : Number(end);
        if (typeof value === 'string') {
          const bytes = Buffer.from(value, encoding);
          for (let i = from; i < to; i++) this[i] = bytes.length === 0 ? 0 : bytes[(i - from) % bytes.length];
          return this;
        }
        for (let i = from; i < to; i++) this[i] = Number(value) & 255;
        return this;
      }
      write(text, offset, encoding) {
        const at = offset === undefined ? 0 : Number(offset);
        const bytes = Buffer.from(String(text), encoding);
        const n = Math.min(bytes.length, this.length - at);
        this.set(bytes.subarray(0, n), at);
        return n;
      }
      indexOf(value, byteOffset, encoding) { return search(this, value, byteOffset, encoding, true); }
      lastIndexOf(value, byteOffset, encoding) { return search(this, value, byteOffset, encoding, false); }
      includes(value, byteOffset, encoding) { return search(this, value, byteOffset, encoding, true) !== -1; }
      copy(target, targetStart, sourceStart, sourceEnd) {
        const ts = targetStart === undefined ? 0 : Math.trunc(Number(targetStart)) || 0;
        const ss = sourceStart === undefined ? 0 : Math.trunc(Number(sourceStart)) || 0;
        let se = sourceEnd === undefined ? this.length : Math.trunc(Number(sourceEnd)) || 0;
        if (ts < 0 || ss < 0 || se < 0) throw new RangeError('The value of "' + (ts < 0 ? 'targetStart' : ss < 0 ? 'sourceStart' : 'sourceEnd') + '" is out of range.');
        if (ts >= target.length || ss >= se) return 0;
        if (ss > this.length) throw new RangeError('The value of "sourceStart" is out of range.');
        if (se - ss > target.length - ts) se = ss + target.length - ts;
        const n = Math.min(se - ss, this.length - ss);
        target.set(this.subarray(ss, ss + n), ts);
        return n;
      }
      swap16() { return swap(this, 2); }
      swap32() { return swap(this, 4); }
      swap64() { return swap(this, 8); }
    }
    // Node's bidirectionalIndexOf and IndexOfOffset (lib/buffer.js, src/node_buffer.cc), byte for byte.
    const search = (buffer, value, byteOffset, encoding, forward) => {
      if (typeof byteOffset === 'string') { encoding = byteOffset; byteOffset = undefined; }
      let offset = +byteOffset;
      if (Number.isNaN(offset)) offset = forward ? 0 : buffer.length;
      offset = Math.trunc(offset);
      let needle;
      if (typeof value === 'number') needle = [(value >>> 0) & 255];
      else if (typeof value === 'string') needle = Buffer.from(value, encoding);
      else if (value instanceof Uint8Array) needle = value;
      else throw new TypeError('The "value" argument must be one of type number or string or an instance of Buffer or Uint8Array.');
      const length = buffer.length;
      let start;
      if (offset < 0) start = offset + length >= 0 ? length + offset : forward || needle.length === 0 ? 0 : -1;
      else start = offset + needle.length <= length ? offset : needle.length === 0 ? length : forward ? -1 : length - 1;
      if (needle.length === 0) return start;
      if (length === 0 || start < 0) return -1;
      const matchesAt = (at) => {
        for (let j = 0; j < needle.length; j++) if (buffer[at + j] !== needle[j]) return false;
        return true;
      };
      if (forward) {
        for (let at = start; at + needle.length <= length; at++) if (matchesAt(at)) return at;
      } else {
        for (let at = Math.min(start, length - needle.length); at >= 0; at--) if (matchesAt(at)) return at;
      }
      return -1;
    };
    const swap = (buffer, size) => {
      if (buffer.length % size !== 0) throw new RangeError('Buffer size must be a multiple of ' + size * 8 + '-bits');
      for (let at = 0; at < buffer.length; at += size) {
        for (let i = 0; i < size / 2; i++) {
          const t = buffer[at + i];
          buffer[at + i] = buffer[at + size - 1 - i];
          buffer[at + size - 1 - i] = t;
        }
      }
      return buffer;
    };
    const NUMERIC = [
      ['UInt8', 1, 'Uint8'], ['Int8', 1, 'Int8'], ['UInt16', 2, 'Uint16'], ['Int16', 2, 'Int16'],
      ['UInt32', 4, 'Uint32'], ['Int32', 4, 'Int32'], ['Float', 4, 'Float32'], ['Double', 8, 'Float64'],
      ['BigUInt64', 8, 'BigUint64'], ['BigInt64', 8, 'BigInt64'],
    ];
    const method = (name, fn) => Object.defineProperty(Buffer.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
    for (const [name, size, view] of NUMERIC) {
      for (const order of size === 1 ? [''] : ['BE', 'LE']) {
        const little = order === 'LE';
        const check = (buffer, offset) => {
          if (!Number.isInteger(offset) || offset < 0 || offset + size > buffer.length) throw new RangeError('The value of "offset" is out of range: ' + offset);
        };
        const read = function (offset) {
          const at = offset === undefined ? 0 : offset;
          check(this, at);
          return new DataView(this.buffer, this.byteOffset, this.length)['get' + view](at, little);
        };
        const write = function (value, offset) {
          const at = offset === undefined ? 0 : offset;
          check(this, at);
          new DataView(this.buffer, this.byteOffset, this.length)['set' + view](at, value, little);
          return at + size;
        };
        for (const alias of name.startsWith('UInt') || name.startsWith('BigUInt') ? [name, name.replace('UInt', 'Uint')] : [name]) {
          method('read' + alias + order, read);
          method('write' + alias + order, write);
        }
      }
    }
    // readUIntBE/LE, readIntBE/LE, writeUIntBE/LE, writeIntBE/LE: 1 to 6 bytes.
    const widthCheck = (buffer, offset, width) => {
      if (!Number.isInteger(width) || width < 1 || width > 6) throw new RangeError('The value of "byteLength" is out of range. It must be >= 1 and <= 6. Received ' + width);
      if (!Number.isInteger(offset) || offset < 0 || offset + width > buffer.length) throw new RangeError('The value of "offset" is out of range: ' + offset);
    };
    for (const little of [false, true]) {
      const order = little ? 'LE' : 'BE';
      const byteAt = (i, width) => (little ? i : width - 1 - i);
      const readU = function (offset, width) {
        widthCheck(this, offset, width);
        let v = 0;
        for (let i = width - 1; i >= 0; i--) v = v * 256 + this[offset + byteAt(i, width)];
        return v;
      };
      method('readUInt' + order, readU);
      method('readUint' + order, readU);
      method('readInt' + order, function (offset, width) {
        const v = readU.call(this, offset, width);
        const limit = 2 ** (8 * width - 1);
        return v >= limit ? v - 2 * limit : v;
      });
      const writeU = function (value, offset, width) {
        widthCheck(this, offset, width);
        let v = Number(value) < 0 ? Number(value) + 2 ** (8 * width) : Number(value);
        for (let i = 0; i < width; i++) {
          this[offset + byteAt(i, width)] = v % 256;
          v = Math.floor(v / 256);
        }
        return offset + width;
      };
      method('writeUInt' + order, writeU);
      method('writeUint' + order, writeU);
      method('writeInt' + order, writeU);
    }
    binaryToBuffer = (bin) => {
      const out = new Buffer(bin.length);
      for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out;
    };
    fixed('Buffer', Buffer);
    modules.buffer = Object.freeze({ Buffer });
`;
