import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * A page asked for with `?isolated=1` is served cross-origin isolated (COOP + COEP), so it
 * has `SharedArrayBuffer`, as an app that opts in does; the other pages stay as they are
 * (a test loads a cross-origin image without CORS, which COEP would block).
 */
function isolatedPages(): Plugin {
  return {
    name: 'vyre-isolated-pages',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        // The page itself, and what it loads (its worker's script needs COEP too).
        const isolated = /[?&]isolated=1(&|$)/;
        if (isolated.test(request.url ?? '') || isolated.test(request.headers.referer ?? '')) {
          response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
          response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
        }
        next();
      });
    },
  };
}

// One Vite project for the demo page and the browser-test pages, rooted at the
// repository so pages can import `src/` directly. The library itself is built by
// scripts/build-lib.mjs (it needs a worker-URL rewrite this config does not do).
export default defineConfig({
  root: '.',
  base: './',
  plugins: [isolatedPages()],
  // Tests and benchmarks set VYRE_NO_HMR: an edited file must not reload a page mid-run.
  server: { host: 'localhost', strictPort: true, ...(process.env['VYRE_NO_HMR'] ? { hmr: false, watch: null } : {}) },
  preview: { host: 'localhost', strictPort: true },
  worker: { format: 'es' },
  // Pre-bundle up front: a dependency discovered mid-page makes Vite reload the page,
  // which would cut a running test or fuzz session short.
  optimizeDeps: { include: ['comlink', 'idb'] },
  build: {
    outDir: 'dist-demo',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: { input: { demo: resolve(import.meta.dirname, 'demo/index.html'), filters: resolve(import.meta.dirname, 'demo/filters.html') } },
  },
});
