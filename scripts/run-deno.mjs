// Runs a TypeScript file under Deno (the npm package `deno`, a devDependency), with WebGPU
// on: `node scripts/run-deno.mjs <file.ts> [args…]`. Deno's WebGPU needs a Vulkan driver
// (mesa-vulkan-drivers gives a software one; scripts/ensure-firefox.sh installs it) and
// warns without XDG_RUNTIME_DIR, so a private temporary one is set.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const [script, ...args] = process.argv.slice(2);
if (script === undefined) {
  console.error('usage: node scripts/run-deno.mjs <file.ts> [args…]');
  process.exit(2);
}
const deno = join(require.resolve('deno/package.json'), '..', 'bin.cjs');
const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? mkdtempSync(join(tmpdir(), 'vyre-deno-')), DENO_NO_UPDATE_CHECK: '1' };
// The import map sends `wgsl_reflect` to its ES module build: Deno follows the package's
// `main`, a CommonJS build whose named exports it cannot see.
const importMap = join(import.meta.dirname, 'deno-imports.json');
const result = spawnSync(process.execPath, [deno, 'run', '--allow-all', `--import-map=${importMap}`, script, ...args], { stdio: 'inherit', env });
// A crash (a signal, no status) is a failure, and says so.
if (result.status !== 0) console.error(`deno exited with ${result.status === null ? `signal ${result.signal}` : `status ${result.status}`}${result.error ? ` (${result.error.message})` : ''}`);
process.exit(result.status ?? 1);
