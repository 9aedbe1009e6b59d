// A static file server for end-to-end tests of hosting and sharing:
//   http://127.0.0.1:PORT/deep/sub/path/   -> dist/ (the app served from a sub-path)
//   http://127.0.0.1:PORT/corpus/...       -> the corpus (same origin as the app)
//   http://127.0.0.1:CORS_PORT/corpus/...  -> the corpus from another origin, with CORS
//   http://127.0.0.1:NOCORS_PORT/corpus/...-> the corpus from another origin, without CORS
// Usage: tsx e2e/static-server.ts PORT CORS_PORT NOCORS_PORT

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { CORPUS } from './paths';

const [port = '4174', corsPort = '4175', noCorsPort = '4176'] = process.argv.slice(2);
const DIST = join(import.meta.dirname, '../dist');
export const APP_PREFIX = '/deep/sub/path/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

function send(
  res: ServerResponse,
  root: string,
  rel: string,
  headers: Record<string, string> = {},
): void {
  const path = normalize(join(root, decodeURIComponent(rel)));
  if (!path.startsWith(root) || !existsSync(path) || !statSync(path).isFile()) {
    res.writeHead(404, headers).end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': String(statSync(path).size),
    'cache-control': 'no-cache',
    ...headers,
  });
  createReadStream(path).pipe(res);
}

function serve(p: number, cors: boolean | 'app'): void {
  createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const headers: Record<string, string> =
      cors === true ? { 'access-control-allow-origin': '*' } : {};
    if (cors === 'app' && url.pathname.startsWith(APP_PREFIX)) {
      const rel = url.pathname.slice(APP_PREFIX.length) || 'index.html';
      send(res, DIST, rel.endsWith('/') ? `${rel}index.html` : rel);
    } else if (url.pathname.startsWith('/corpus/')) {
      send(res, CORPUS, url.pathname.slice('/corpus/'.length), headers);
    } else {
      res.writeHead(404).end('not found');
    }
  }).listen(p, '127.0.0.1');
}

serve(Number(port), 'app');
serve(Number(corsPort), true);
serve(Number(noCorsPort), false);
