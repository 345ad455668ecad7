// The ceiling: a bare node:http server answering every request with one in-memory buffer and
// fixed headers. Usage: node bare-node.mjs PORT FILE CONTENT_TYPE [WORKERS] [CONTENT_ENCODING]
import cluster from 'node:cluster';
import fs from 'node:fs';
import http from 'node:http';

const [port, file, type, workers = '1', encoding] = process.argv.slice(2);
if (cluster.isPrimary && Number(workers) > 1) {
  for (let i = 0; i < Number(workers); i++) cluster.fork();
} else {
  const body = fs.readFileSync(file);
  const headers = ['content-type', type, 'content-length', String(body.length), 'cache-control', 'public, max-age=0, s-maxage=300, must-revalidate', 'etag', '"bench"'];
  if (encoding) headers.push('content-encoding', encoding);
  http.createServer((req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  }).listen(Number(port), '127.0.0.1');
}
