// The ceiling: a bare node:http server answering from in-memory buffers with fixed headers.
// Usage: node bare-node.mjs PORT ROUTES_JSON [WORKERS]
//   ROUTES_JSON: {"/path": {"file": "/abs/file", "type": "text/html", "encoding": "br"?, "headers": [[name, value], ...]?}, ...}
//   With "headers" (the edge's answer to a hit, copied by run.ts) the same header bytes are sent.
import cluster from 'node:cluster';
import fs from 'node:fs';
import http from 'node:http';

const [port, routesFile, workers = '1'] = process.argv.slice(2);
if (cluster.isPrimary && Number(workers) > 1) {
  for (let i = 0; i < Number(workers); i++) cluster.fork();
} else {
  const routes = new Map();
  for (const [path, r] of Object.entries(JSON.parse(fs.readFileSync(routesFile, 'utf8')))) {
    const body = fs.readFileSync(r.file);
    const headers = r.headers
      ? [...r.headers.flat(), 'content-length', String(body.length)]
      : ['content-type', r.type, 'content-length', String(body.length), 'cache-control', r.cacheControl, 'etag', '"bench"'];
    if (r.encoding && !r.headers) headers.push('content-encoding', r.encoding);
    routes.set(path, { body, headers });
  }
  http
    .createServer((req, res) => {
      const route = routes.get(req.url);
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, route.headers);
      res.end(route.body);
    })
    .listen(Number(port), '127.0.0.1');
}
