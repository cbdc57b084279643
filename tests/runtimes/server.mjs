// A static file server on 127.0.0.1 for the browser tests, serving the repository read-only.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, normalize, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// ../shared (the conformance suites) is served under /shared/; the tiktoken package's rank
// tables (a registry package, the page's "fetched asset") under /ranks/.
const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const RANKS = fileURLToPath(new URL('../../node_modules/tiktoken/encoders/', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css',
};

/** Starts the server on a free port; resolves to `{ url, close() }`. */
export function serveRepository() {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    const [root, rest] = path.startsWith('/shared/')
      ? [SHARED, path.slice('/shared/'.length)]
      : path.startsWith('/ranks/') ? [RANKS, path.slice('/ranks/'.length)] : [ROOT, path];
    const file = join(root, rest);
    if (!file.startsWith(root) || (root !== RANKS && file.split(sep).includes('node_modules'))) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
