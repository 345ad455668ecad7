// Runs one s3rver in this (child) process; started by test/helpers/s3rver.ts with
// `node --openssl-legacy-provider`. Sends `{ port }` over IPC once listening, closes on
// the "stop" IPC message, and exits on its own when the parent goes away (IPC disconnect), so
// a crashed or killed test run never leaves a server behind.
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: bucket, configs: [] }],
});

let closing = false;
function stop(code) {
  if (closing) return;
  closing = true;
  const done = () => process.exit(code);
  server.close().then(done, done);
  setTimeout(done, 2000).unref();
}

process.on('message', (msg) => {
  if (msg === 'stop') stop(0);
});
process.on('disconnect', () => stop(0));

server.run().then(
  (address) => process.send({ port: address.port }),
  (err) => {
    process.stderr.write(`s3rver failed to start: ${err && err.stack}\n`);
    process.exit(1);
  },
);
