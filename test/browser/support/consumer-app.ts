/**
 * A real consumer of the published package: `npm pack` the library, install the tarball
 * into a fresh Vite app outside the source tree, and serve it with Vite's dev server or
 * a production build. The app's code is the README's usage example, verbatim.
 */
import type { ConsoleMessage, Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const REPO = resolve(import.meta.dirname, '../../..');
const VITE_BIN = join(REPO, 'node_modules/vite/bin/vite.js');
/** The TypeScript compilers a consumer may use: the project's (5.9) and the next major. */
export const TYPESCRIPT_COMPILERS = {
  'TypeScript 5.9': join(REPO, 'node_modules/typescript/bin/tsc'),
  'TypeScript 6': join(REPO, 'node_modules/typescript-6/bin/tsc'),
} as const;

/** The README's usage example: the fenced block between the usage markers. */
export function readmeUsageExample(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = /<!-- usage:start -->([\s\S]*?)<!-- usage:end -->/.exec(readme)?.[1];
  const code = section === undefined ? undefined : /```(?:js|ts)\n([\s\S]*?)```/.exec(section)?.[1];
  if (code === undefined) throw new Error('README.md has no ```js block between <!-- usage:start --> and <!-- usage:end -->');
  return code;
}

export interface ConsumerApp {
  readonly dir: string;
  remove(): void;
}

/** Packs the library (dist/ must be built) and installs it into a new app in the temp folder. */
export function createConsumerApp(mainScript: string): ConsumerApp {
  const dir = mkdtempSync(join(tmpdir(), 'vyre-consumer-'));
  const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--silent'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').pop();
  if (!packed) throw new Error('npm pack printed no tarball name');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'vyre-consumer', private: true, type: 'module' }, null, 2));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>consumer</title><script type="module" src="./main.js"></script>\n',
  );
  writeFileSync(join(dir, 'main.js'), mainScript);
  // The tarball has no runtime dependencies (comlink and idb are bundled), so this is offline.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', `./${packed}`], { cwd: dir, stdio: 'pipe' });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs Vite's production build of the app; returns the emitted file names. */
export function buildConsumerApp(app: ConsumerApp): string[] {
  execFileSync(process.execPath, [VITE_BIN, 'build', '--logLevel', 'warn'], { cwd: app.dir, stdio: 'pipe' });
  return readdirSync(join(app.dir, 'dist/assets'));
}

/**
 * A static `import … from "./x.js"` (or `import "./x.js"`) in built ES modules, minified or
 * not. `import("./x.js")` does not match: a dynamic import loads later, when called.
 */
const STATIC_IMPORT = /(?:^|[;\s}])import\s*(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}\s*|\*\s*as\s+[\w$]+\s*)?(?:from\s*)?["']\.\/([^"']+)["']/gm;

/** One file of the main thread's first load, with its gzip size (Node's default level, as `gzip`). */
export interface LoadedChunk {
  readonly file: string;
  readonly gzipBytes: number;
}

/**
 * What the built app's page loads before any of its code runs: the entry chunk that
 * dist/index.html names, then every chunk it imports statically, transitively. Chunks only
 * reached through `import()` (the same-thread runtime) and the worker file are left out.
 * @returns the entry first.
 */
export function initialChunks(app: ConsumerApp): LoadedChunk[] {
  const html = readFileSync(join(app.dir, 'dist/index.html'), 'utf8');
  const entry = /<script type="module"[^>]*\ssrc="\/assets\/([^"]+)"/.exec(html)?.[1];
  if (entry === undefined) throw new Error(`dist/index.html names no entry chunk:\n${html}`);
  const files = new Set([entry]);
  for (const file of files) {
    for (const match of readFileSync(join(app.dir, 'dist/assets', file), 'utf8').matchAll(STATIC_IMPORT)) files.add(match[1] ?? '');
  }
  return [...files].map((file) => ({ file, gzipBytes: gzipSync(readFileSync(join(app.dir, 'dist/assets', file))).length }));
}

/**
 * Type-checks `code` as a strict TypeScript consumer of the installed package would:
 * `strict`, `noUncheckedIndexedAccess`, `exactOptionalPropertyTypes`, and `skipLibCheck:
 * false`, so every published declaration is checked too, with no `@webgpu/types` installed.
 * @returns the compiler's output; empty when it passed.
 */
export function typecheckConsumerApp(app: ConsumerApp, code: string, compiler: keyof typeof TYPESCRIPT_COMPILERS): string {
  writeFileSync(join(app.dir, 'check.ts'), code);
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2022', 'DOM'],
      types: [],
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: false,
      noEmit: true,
    },
    files: ['check.ts'],
  };
  writeFileSync(join(app.dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  try {
    execFileSync(process.execPath, [TYPESCRIPT_COMPILERS[compiler], '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: app.dir, encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

/** Starts `vite` (dev) or `vite preview` (production) for the app and waits until it answers. */
export async function serveConsumerApp(app: ConsumerApp, mode: 'dev' | 'preview', port: number): Promise<{ url: string; stop(): void }> {
  const args = mode === 'dev' ? [VITE_BIN, '--port', String(port), '--strictPort'] : [VITE_BIN, 'preview', '--port', String(port), '--strictPort'];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: app.dir, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://localhost:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`vite ${mode} did not start on ${url}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop: () => child.kill() };
}

/** Records the values of every `console.log` of `page`, in call order; `settled()` waits for them. */
export function recordLogs(page: Page): { readonly logs: unknown[][]; settled(): Promise<void> } {
  const logs: unknown[][] = [];
  const pending: Promise<void>[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'log') return;
    // Reserve the slot now: the values resolve asynchronously and may settle out of order.
    const slot = logs.push([]) - 1;
    pending.push(Promise.all(message.args().map((arg) => arg.jsonValue() as Promise<unknown>)).then((values) => void (logs[slot] = values)));
  });
  return { logs, settled: async () => void (await Promise.all(pending)) };
}
