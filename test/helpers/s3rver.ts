/**
 * A real S3-protocol server for tests: s3rver 3.7.1 on 127.0.0.1, a random free port, a fresh
 * temp folder and one bucket.
 *
 * ```ts
 * let s3: S3rverHandle;
 * beforeAll(async () => { s3 = await startS3rver(); });
 * afterAll(() => s3.stop());
 * const store = new S3Store({ bucket: s3.bucket, endpoint: s3.endpoint, forcePathStyle: true });
 * ```
 *
 * s3rver's known defects, and how this helper and the S3 store live with them:
 * - Listings of more than 1,000 keys answer 500 on Node >= 17: s3rver encrypts its continuation
 *   token with DES, which OpenSSL 3 only offers in its legacy provider. The server therefore
 *   runs in a CHILD process started with `node --openssl-legacy-provider` (the flag cannot be
 *   turned on inside a running process, and the test process should not need it).
 * - It lists keys in directory order, not S3's UTF-8 byte order: nothing in edgeship may depend
 *   on listing order (the `ObjectStore` contract says order is unspecified).
 * - Concurrent deletes in one folder race (it removes emptied parent folders as it goes, also
 *   between the keys of one DeleteObjects request, which it deletes in parallel) and answer
 *   spurious 500s: the S3 store retries 5xx, and a retried batch finds deleted keys gone.
 *   Tests that delete many keys should use `deleteMany` (batches), never a loop of deletes.
 * - With the SDK's default checksum settings a streamed PutObject is sent with aws-chunked
 *   framing, which s3rver stores verbatim inside the object (12,044 bytes stored for 12,000
 *   sent, answered 200): the S3 store sets `requestChecksumCalculation` and
 *   `responseChecksumValidation` to `WHEN_REQUIRED` and verifies size and ETag after each put.
 * - A completed multipart upload gets the plain MD5 of the whole object as its ETag, not S3's
 *   `md5-of-md5s-N`: verification accepts either.
 * - Keys are stored as paths: `a//b`, `a/./b`, `a/../b` collide with `a/b` / `b` (S3 keeps
 *   them literal); the contract suite skips those keys here (`normalizesKeyPaths`).
 * - `Range: bytes=0-0` answers the whole object (a falsy-zero bug): the store cuts any answer
 *   larger than the requested range.
 * - It checks access key ids but not SigV4 signatures, and ignores Content-MD5.
 *
 * Credentials: s3rver accepts the access key `S3RVER` / secret `S3RVER`. The S3 store takes
 * credentials only from the standard AWS chain, so `startS3rver` sets `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY` and `AWS_REGION` in this (test) process's environment.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface S3rverHandle {
  /** `http://127.0.0.1:<port>`; use with `forcePathStyle: true`. */
  endpoint: string;
  bucket: string;
  /** s3rver's data folder (removed by `stop`). */
  dir: string;
  /** Stops the server, waits for its process to exit and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 's3rver-child.mjs');

export async function startS3rver(options: { bucket?: string } = {}): Promise<S3rverHandle> {
  const bucket = options.bucket ?? 'edgeship-test';
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION = 'us-east-1';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;

  const dir = await mkdtemp(path.join(tmpdir(), 'edgeship-s3rver-'));
  const child = fork(CHILD, [dir, bucket], {
    execArgv: ['--openssl-legacy-provider'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`s3rver did not start within 15 s: ${stderr}`)), 15_000);
      child.once('message', (msg: { port: number }) => {
        clearTimeout(timer);
        resolve(msg.port);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`s3rver exited with ${code} before listening: ${stderr}`));
      });
    });
  } catch (err) {
    await killAndWait(child);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    dir,
    stop: () =>
      (stopped ??= (async () => {
        await killAndWait(child);
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
