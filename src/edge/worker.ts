/**
 * One edge worker process of `edgeship serve --workers N` (see cluster.ts): serves viewers on
 * the shared port and applies the invalidations the primary relays.
 */
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { openStore } from '../store/open.js';
import { WORKER_ENV, type FromWorker, type ToWorker, type WorkerConfig } from './cluster.js';
import { functionErrorReporter } from './function-errors.js';
import { createViewerServer } from './http-server.js';
import { prepareEdgeParts } from './index.js';
import { CLOUDFRONT_LOG_FORMAT } from './log-format.js';
import { requestLogger } from './request-log.js';
import { watchKvs } from './site-kvs-source.js';
import { EdgeHandler } from './server.js';

async function runWorker(config: WorkerConfig): Promise<void> {
  const send = (message: FromWorker) => process.send?.(message);
  const store = openStore(config.storeConfig);
  const parts = await prepareEdgeParts({
    site: config.site,
    store,
    lenientCompute: config.lenientCompute,
    onFunctionLog: (line, name) => process.stderr.write(`[${name}] ${line}\n`),
    onFunctionError: (line) => process.stderr.write(`${line}\n`),
  });
  const log = requestLogger({ file: config.logFile, tty: config.tty, writeHeader: false, format: CLOUDFRONT_LOG_FORMAT });
  const handler = new EdgeHandler({
    site: config.site,
    store,
    cacheSize: config.cacheSize,
    ...parts,
    onRequest: log?.record,
    listBucket: config.listBucket,
    onFunctionError: functionErrorReporter((line) => process.stderr.write(`${line}\n`)),
  });
  const unwatch = parts.kvs ? watchKvs(parts.kvs, (line) => process.stderr.write(`${line}\n`)) : () => undefined;
  const server = createViewerServer(handler);
  process.on('message', (message: ToWorker) => {
    if (message?.type !== 'invalidate') return;
    try {
      send({ type: 'invalidated', id: message.id, count: handler.invalidate(message.paths) });
    } catch (error) {
      send({ type: 'invalidate-failed', id: message.id, error: (error as Error).message });
    }
  });
  // Ctrl-C reaches the whole process group: the primary decides, and stops workers with SIGTERM.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => {
    // Stop accepting, finish, and leave the cluster; the process then ends on its own.
    unwatch();
    server.close(() => {
      log?.close();
      process.disconnect?.();
    });
    server.closeAllConnections();
  });
  server.listen(config.port, config.host, () => send({ type: 'ready', port: (server.address() as AddressInfo).port }));
}

if (cluster.isWorker && process.env[WORKER_ENV]) {
  await runWorker(JSON.parse(process.env[WORKER_ENV]) as WorkerConfig);
}
