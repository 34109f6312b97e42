/**
 * The differential fuzzer on Deno (wgpu, like Firefox, without a browser): the same
 * generated programs and malformed ones as `npm run fuzz`, through the real runtime in a
 * Deno Worker. Deno has no IndexedDB; the runtime must notice and say so rather than
 * fail, which this script checks first.
 *   node scripts/run-deno.mjs scripts/fuzz-deno.ts <count> <seed> <malformed> [report.json]
 * (what `npm run fuzz -- --engine deno` runs). Exits 1 on any mismatch. With a report
 * path, also writes `{ passed, failed, checks }` there for the CI summary: three checks
 * (storage, differential, malformed).
 */
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import * as vyre from '../test/support/vyre-all.ts';
import { runDifferential, runMalformed } from '../test/fuzz/run-fuzz.ts';

const [count, seed, malformed] = process.argv.slice(2, 5).map(Number);
const reportPath = process.argv[5];
const checks: Record<string, boolean> = {};
if (count === undefined || seed === undefined || malformed === undefined || ![count, seed, malformed].every(Number.isInteger)) {
  console.error('usage: fuzz-deno.ts <count> <seed> <malformed>');
  process.exit(2);
}

// Storage without IndexedDB: memory-only, with the reason, and the runtime still serves.
const probe = await vyre.createRuntime();
const storage = (await probe.cacheSnapshot()).storage;
console.log(`engine: deno ${navigator.userAgent}; adapter ${JSON.stringify(probe.device.adapterInfo)}; fingerprint ${probe.deviceFingerprint.readable}; storage ${JSON.stringify(storage)}`);
await probe.dispose();
checks['storage is memory-only, with its reason, where there is no IndexedDB'] = storage.mode === 'memory-only';

const started = Date.now();
const differential = await runDifferential(vyre, count, seed);
console.log(`differential: ${differential.ran} programs (seeds ${seed}…${seed + count - 1}; ${differential.withVectors} with vectors), ${differential.failures.length} mismatching, ${((Date.now() - started) / 1000).toFixed(1)} s`);
checks[`${count} generated programs give the interpreter's results`] = differential.failures.length === 0 && differential.ran === count;
for (const failure of differential.failures) {
  console.log(`\nMISMATCH seed ${failure.seed}: ${failure.error ?? JSON.stringify(failure.mismatches)}\nprogram: ${failure.program}`);
}
const bad = await runMalformed(vyre, malformed, seed);
console.log(`malformed: ${bad.ran} programs, ${bad.rejected} rejected with invalid-program, ${bad.unexpected.length} unexpected, runtime still serving: ${bad.stillServing}`);
for (const item of bad.unexpected) console.log(`  malformed #${item.index}: ${item.outcome}`);
checks[`${malformed} malformed programs are rejected and the runtime keeps serving`] = bad.unexpected.length === 0 && bad.stillServing && bad.rejected === bad.ran;
const failedChecks = Object.entries(checks).filter(([, ok]) => !ok).map(([name]) => name);
for (const name of failedChecks) console.log(`failed: ${name}`);
if (reportPath !== undefined) writeFileSync(reportPath, JSON.stringify({ passed: Object.keys(checks).length - failedChecks.length, failed: failedChecks.length, checks }, null, 1));
console.log(failedChecks.length > 0 ? 'fuzz: FAILED' : 'fuzz: ok');
// Not process.exit(): ending while a disposed runtime's Worker still tears its wgpu device
// down made Deno exit non-zero once in CI after "fuzz: ok" (the report said 3 passed); with
// exitCode the process ends when its workers have.
process.exitCode = failedChecks.length > 0 ? 1 : 0;
