/**
 * The consumer app of `consumer-app.ts`, built by the other common bundlers with the
 * exact recipes of the README's "Bundling" section, and served as plain static files.
 *
 * Each bundler runs in the app's folder the way its user would run it: esbuild, Rollup
 * and Parcel through their own command lines, webpack 5 through its Node API (its
 * command line is a separate package, webpack-cli) with only an entry and a mode.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import webpack from 'webpack';
import type { ConsumerApp } from './consumer-app.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const BIN = {
  esbuild: join(REPO, 'node_modules/esbuild/bin/esbuild'),
  rollup: join(REPO, 'node_modules/rollup/dist/bin/rollup'),
  parcel: join(REPO, 'node_modules/parcel/lib/bin.js'),
};

/** How esbuild, Rollup and Parcel flag a warning: a consumer's build must be clean. */
const WARNING = /\[WARNING\]|\(!\)|⚠/;

export type Bundler = 'webpack' | 'esbuild' | 'rollup' | 'parcel';

/** The README's copy step for bundlers that leave the worker's files behind (esbuild, Rollup): the worker and its chunks. */
export const COPY_WORKER = 'node_modules/vyre-web/dist/worker*.js';

/**
 * Builds the app's `main.js` into `<app>/dist` with `bundler`; returns the emitted file names.
 * @param copyWorker - run the README's copy step after esbuild and Rollup (default true).
 */
export async function bundleConsumerApp(app: ConsumerApp, bundler: Bundler, copyWorker = true): Promise<string[]> {
  const dist = join(app.dir, 'dist');
  rmSync(dist, { recursive: true, force: true });
  const run = ([command, ...args]: [string, ...string[]]): void => {
    // esbuild's bin is its native executable (or, before its postinstall, a Node script with a shebang).
    const [file, argv] = command === BIN.esbuild ? [command, args] : [process.execPath, [command, ...args]];
    const { status, stdout, stderr } = spawnSync(file, argv, { cwd: app.dir, encoding: 'utf8' });
    const output = `${stdout}${stderr}`;
    if (status !== 0 || WARNING.test(output)) throw new Error(`${bundler} failed or warned:\n${output}`);
  };
  switch (bundler) {
    case 'webpack':
      await runWebpack(app.dir);
      writePage(dist, '<script defer src="./main.js"></script>');
      break;
    case 'esbuild':
      // npx esbuild main.js --bundle --format=esm --outdir=dist
      run([BIN.esbuild, 'main.js', '--bundle', '--format=esm', '--outdir=dist']);
      writePage(dist, '<script type="module" src="./main.js"></script>');
      break;
    case 'rollup':
      // npx rollup main.js --dir dist --format es --plugin node-resolve
      run([BIN.rollup, 'main.js', '--dir', 'dist', '--format', 'es', '--plugin', 'node-resolve']);
      writePage(dist, '<script type="module" src="./main.js"></script>');
      break;
    case 'parcel':
      // npx parcel build index.html (the app's own page; Parcel's cache stays in the app)
      run([BIN.parcel, 'build', 'index.html']);
      break;
  }
  // cp node_modules/vyre-web/dist/worker*.js dist/
  if (copyWorker && (bundler === 'esbuild' || bundler === 'rollup')) copyWorkerFiles(join(app.dir, 'node_modules/vyre-web/dist'), dist);
  return readdirSync(dist);
}

/** The shell's `cp <package>/worker*.js <dist>/`: the worker file and its lazy chunks. */
function copyWorkerFiles(packageDist: string, dist: string): void {
  const files = readdirSync(packageDist).filter((name) => /^worker.*\.js$/.test(name));
  if (!files.includes('worker.js')) throw new Error(`no worker.js in ${packageDist}: build the package first`);
  for (const file of files) copyFileSync(join(packageDist, file), join(dist, file));
}

/**
 * webpack 5 with no configuration beyond `{ mode: 'production', entry: './main.js' }`.
 * `context` and `output.path` stand in for the command line's defaults (the folder it runs in).
 * Fails on any error or warning except webpack's performance hints: its default 244 KiB
 * hint flags the worker's compile chunk (≈ 310 KB minified, most of it the WGSL parser), which is
 * advice about size, not a problem with the build (README, "Bundling").
 */
function runWebpack(dir: string): Promise<void> {
  const config = { mode: 'production', entry: './main.js' } as const;
  return new Promise((done, fail) => {
    webpack({ ...config, context: dir, output: { path: join(dir, 'dist') } }, (error, stats) => {
      if (error) return fail(error);
      if (stats === undefined) return fail(new Error('webpack returned no stats'));
      const { errors = [], warnings = [] } = stats.toJson({ all: false, errors: true, warnings: true });
      const problems = [...errors, ...warnings.filter((warning) => !isPerformanceHint(warning.message))];
      if (problems.length > 0) return fail(new Error(problems.map((problem) => problem.message).join('\n')));
      done();
    });
  });
}

/** webpack's size advice (`performance.hints`), the one kind of warning the build may give. */
function isPerformanceHint(message: string): boolean {
  return /^(asset size limit|entrypoint size limit|webpack performance recommendations)/.test(message.replace(/^WARNING in /, '').trim());
}

/** The page a user writes beside a bundle (Parcel builds from the app's own index.html instead). */
function writePage(dist: string, script: string): void {
  if (!existsSync(dist)) throw new Error(`the bundler emitted nothing into ${dist}`);
  writeFileSync(join(dist, 'index.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>consumer</title>${script}\n`);
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.map': 'application/json',
  '.json': 'application/json',
  '.css': 'text/css',
  '.txt': 'text/plain',
};

/**
 * Serves `folder` over http on a free localhost port, as any static host would: a real
 * origin, since IndexedDB in a worker needs one (a `file://` page has an opaque origin).
 */
export async function serveFolder(folder: string): Promise<{ url: string; requests: string[]; stop(): Promise<void> }> {
  const root = resolve(folder);
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname));
    requests.push(path);
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(root)) return void response.writeHead(403).end();
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body),
      () => response.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((listening) => server.listen(0, 'localhost', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    requests,
    stop: () => new Promise((closed) => {
      server.closeAllConnections();
      server.close(() => closed());
    }),
  };
}
