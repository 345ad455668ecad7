/**
 * A generated site shaped like a Next.js `output: 'export'` build: HTML pages that reference
 * content-hashed chunks under `_next/static/` and un-hashed images under `images/`, plus the
 * usual top-level files. Deterministic for a seed; `rev` rebuilds it with a given share of
 * files changed (a changed chunk gets a new hashed name, and so do the pages that load it).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface NextSiteOptions {
  pages: number;
  chunks: number;
  images: number;
  chunkBytes: number;
  imageBytes: number;
  /** Build revision: 0 first, 1 after a rebuild. */
  rev?: number;
  /** Share (0..1) of chunks, images and pages whose content changes in rev 1. */
  changed?: number;
  /** Chunks each page loads. Default 3. */
  chunksPerPage?: number;
  /** Pages of rev 0 left out of rev 1 (removed pages). Default 0. */
  removedPages?: number;
}

export interface NextSite {
  /** Every key written, with its size. */
  files: Map<string, number>;
  /** MD5 of each key's bytes: what changed between two revisions. */
  digests: Map<string, string>;
  bytes: number;
  /** For each HTML key, the keys of the assets it references. */
  references: Map<string, string[]>;
}

/** A fast deterministic byte generator (xorshift32) for file bodies. */
function bytes(seed: string, size: number, text: boolean): Buffer {
  let x = crypto.createHash('md5').update(seed).digest().readUInt32LE(0) || 1;
  const out = Buffer.allocUnsafe(size);
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ;(){}=.,\n';
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = text ? alphabet.charCodeAt(x % alphabet.length) : x & 0xff;
  }
  return out;
}

const isChanged = (id: string, share: number) => share > 0 && crypto.createHash('md5').update(id).digest().readUInt16LE(0) / 65_536 < share;

export function generateNextSite(dir: string, options: NextSiteOptions): NextSite {
  const rev = options.rev ?? 0;
  const share = rev > 0 ? (options.changed ?? 0.01) : 0;
  const perPage = options.chunksPerPage ?? 3;
  fs.rmSync(dir, { recursive: true, force: true });
  const files = new Map<string, number>();
  const digests = new Map<string, string>();
  const write = (key: string, body: Buffer | string) => {
    digests.set(key, crypto.createHash('md5').update(body).digest('hex'));
    const abs = path.join(dir, ...key.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, body);
    files.set(key, Buffer.byteLength(body));
  };

  const chunkKeys: string[] = [];
  for (let i = 0; i < options.chunks; i++) {
    const v = isChanged(`chunk${i}`, share) ? rev : 0;
    const body = bytes(`chunk${i}/v${v}`, options.chunkBytes, true);
    const hash = crypto.createHash('md5').update(body).digest('hex').slice(0, 16);
    const key = `_next/static/chunks/c${i}-${hash}.js`;
    chunkKeys.push(key);
    write(key, body);
  }
  const imageKeys: string[] = [];
  for (let i = 0; i < options.images; i++) {
    const v = isChanged(`image${i}`, share) ? rev : 0;
    const key = `images/photo-${i}.jpg`;
    imageKeys.push(key);
    write(key, bytes(`image${i}/v${v}`, options.imageBytes, false));
  }
  write('_next/static/css/app-9f8e7d6c5b4a3921.css', bytes('css', 4_000, true));

  const references = new Map<string, string[]>();
  const removed = rev > 0 ? (options.removedPages ?? 0) : 0;
  for (let p = removed; p < options.pages; p++) {
    const key = p === 0 ? 'index.html' : `page-${p}/index.html`;
    const refs = [
      ...Array.from({ length: perPage }, (_, k) => chunkKeys[(p * perPage + k) % chunkKeys.length]!),
      imageKeys[p % Math.max(1, imageKeys.length)]!,
      '_next/static/css/app-9f8e7d6c5b4a3921.css',
    ].filter(Boolean);
    references.set(key, [...new Set(refs)]);
    const v = isChanged(`page${p}`, share) ? rev : 0;
    const tags = refs.map((r) => (r.endsWith('.js') ? `<script src="/${r}"></script>` : r.endsWith('.css') ? `<link rel="stylesheet" href="/${r}">` : `<img src="/${r}" alt="">`));
    write(key, `<!DOCTYPE html><html><head><title>Page ${p}</title>${tags.join('')}</head><body><p>${bytes(`page${p}/v${v}`, 2_000, true).toString()}</p></body></html>`);
  }
  write('404.html', '<!DOCTYPE html><html><body>Not found</body></html>');
  write('robots.txt', 'User-agent: *\nAllow: /\n');
  write('favicon.ico', bytes('favicon', 1_000, false));
  write('.well-known/security.txt', 'Contact: mailto:security@example.com\n');
  let total = 0;
  for (const size of files.values()) total += size;
  return { files, digests, bytes: total, references };
}
