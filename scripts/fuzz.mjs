// Differential fuzzing on a real WebGPU implementation: generated IR programs on the GPU
// (through the real runtime) against the CPU reference interpreter, plus malformed programs
// that must all be rejected with invalid-program.
//   npm run fuzz -- --count 200 --seed 1 [--malformed 500] [--engine chrome|firefox|deno] [--headed]
// Engines: chrome (Dawn; Playwright, the runtime in its worker), firefox (wgpu; Firefox ESR
// through puppeteer-core, the runtime in its worker), deno (wgpu; the runtime in a Deno
// Worker, no IndexedDB: see scripts/fuzz-deno.ts).
// Prints every mismatch with its seed and program; exits 1 if there is any.
import { spawnSync } from 'node:child_process';
import { createServer } from 'vite';
import { openEnginePage } from './engine-page.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]?.startsWith('--') ? 'true' : all[i + 1] ?? 'true']] : pairs), []),
);
const count = Number(args.count ?? 200);
const seed = Number(args.seed ?? 1);
const malformed = Number(args.malformed ?? 500);
const engine = args.engine ?? 'chrome';
if (!Number.isInteger(count) || !Number.isInteger(seed) || !Number.isInteger(malformed) || !['chrome', 'firefox', 'deno'].includes(engine)) {
  console.error('usage: npm run fuzz -- --count N --seed S [--malformed M] [--engine chrome|firefox|deno] [--headed]');
  process.exit(2);
}

if (engine === 'deno') {
  const deno = spawnSync('node', ['scripts/run-deno.mjs', 'scripts/fuzz-deno.ts', String(count), String(seed), String(malformed)], { stdio: 'inherit' });
  process.exit(deno.status ?? 1);
}

// No HMR: an edited file must not reload the page in the middle of a run.
const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'warn', server: { port: 0, hmr: false, watch: null } });
await server.listen();
const url = server.resolvedUrls?.local[0];
let failed = false;
const page = await openEnginePage(engine, new URL('test/browser/pages/fuzz.html', url).href, { headed: args.headed === 'true' });
try {
  console.log(`engine: ${engine} (${await page.evaluate(() => navigator.userAgent)})`);
  const started = Date.now();
  const differential = await page.evaluate(([n, s]) => window.fuzz.differential(n, s), [count, seed]);
  console.log(`differential: ${differential.ran} programs (seeds ${seed}…${seed + count - 1}; ${differential.withVectors} with vectors), ${differential.failures.length} mismatching, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const failure of differential.failures) {
    failed = true;
    console.log(`\nMISMATCH seed ${failure.seed}: ${failure.error ?? JSON.stringify(failure.mismatches)}\nprogram: ${failure.program}`);
  }
  const bad = await page.evaluate(([n, s]) => window.fuzz.malformed(n, s), [malformed, seed]);
  console.log(`malformed: ${bad.ran} programs, ${bad.rejected} rejected with invalid-program, ${bad.unexpected.length} unexpected, runtime still serving: ${bad.stillServing}`);
  for (const item of bad.unexpected) console.log(`  malformed #${item.index}: ${item.outcome}`);
  if (bad.unexpected.length > 0 || !bad.stillServing || bad.rejected !== bad.ran) failed = true;
} finally {
  await page.close();
  await server.close();
}
console.log(failed ? 'fuzz: FAILED' : 'fuzz: ok');
process.exit(failed ? 1 : 0);
