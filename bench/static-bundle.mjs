// Serves the library bundle of the warmup suite (buildLibrary) the way a production site
// serves an app's built files: the bytes as built, an ETag, `Cache-Control: no-cache` (so a
// restarted browser revalidates and gets a 304), and the page's cross-origin isolation headers.
//
// Why not through Vite's dev server (`/@fs/…`, as before): Vite transforms every JS file it
// serves and appends an inline source map. The 437 KB minified worker then went out as 2.4 MB,
// 60–100 ms per response on the development VM, which a fresh profile (no HTTP cache) paid on
// every cold start and no deployed app pays.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where the bundle is served on the bench's server. */
export const BUNDLE_PREFIX = '/bench-lib/';

/**
 * A Vite plugin that serves every file of `dir` under {@link BUNDLE_PREFIX}, read once, ahead of Vite's own middlewares.
 * @param {string} dir - the built bundle
 * @param {Record<string, string>} headers - added to every response (cross-origin isolation)
 */
export function staticBundle(dir, headers) {
  const files = new Map(readdirSync(dir).map((name) => {
    const bytes = readFileSync(join(dir, name));
    return [name, { bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"` }];
  }));
  return {
    name: 'vyre-bench-static-bundle',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const path = (request.url ?? '').split('?')[0];
        if (!path.startsWith(BUNDLE_PREFIX)) return next();
        const file = files.get(path.slice(BUNDLE_PREFIX.length));
        for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
        if (file === undefined) {
          response.statusCode = 404;
          return response.end();
        }
        response.setHeader('Cache-Control', 'no-cache');
        response.setHeader('ETag', file.etag);
        if (request.headers['if-none-match'] === file.etag) {
          response.statusCode = 304;
          return response.end();
        }
        response.setHeader('Content-Type', path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'application/octet-stream');
        response.setHeader('Content-Length', String(file.bytes.length));
        response.end(file.bytes);
      });
    },
  };
}
