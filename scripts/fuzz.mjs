// Differential fuzzing in Chrome: generated IR programs on the GPU (through the real
// runtime: worker, WebGPU) against the CPU reference interpreter, plus malformed programs
// that must all be rejected with invalid-program.
//   npm run fuzz -- --count 200 --seed 1 [--malformed 500] [--headed]
// Prints every mismatch with its seed and program; exits 1 if there is any.
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from './chrome-flags.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]?.startsWith('--') ? 'true' : all[i + 1] ?? 'true']] : pairs), []),
);
const count = Number(args.count ?? 200);
const seed = Number(args.seed ?? 1);
const malformed = Number(args.malformed ?? 500);
if (!Number.isInteger(count) || !Number.isInteger(seed) || !Number.isInteger(malformed)) {
  console.error('usage: npm run fuzz -- --count N --seed S [--malformed M] [--headed]');
  process.exit(2);
}

// No HMR: an edited file must not reload the page in the middle of a run.
const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'warn', server: { port: 0, hmr: false, watch: null } });
await server.listen();
const url = server.resolvedUrls?.local[0];
const browser = await chromium.launch({ executablePath: CHROME_PATH, headless: args.headed !== 'true', args: CHROME_WEBGPU_FLAGS });
let failed = false;
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(new URL('test/browser/pages/fuzz.html', url).href);
  await page.waitForFunction(() => window.vyreReady === true, undefined, { timeout: 60_000 });
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
  await browser.close();
  await server.close();
}
console.log(failed ? 'fuzz: FAILED' : 'fuzz: ok');
process.exit(failed ? 1 : 0);
