/**
 * The differential fuzzer on a real GPU: generated IR programs through vyre-web's runtime
 * (same-thread mode, on Dawn under Node), each against the CPU reference interpreter, then
 * malformed programs that must all be rejected with `invalid-program` while the runtime
 * keeps serving. The same loops as `npm run fuzz` in Chrome (test/fuzz/run-fuzz.ts).
 * Built into .gpu/fuzz-gpu.mjs; run: bash .gpu/run.sh .gpu/fuzz-gpu.mjs [count] [seed] [malformed]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as vyre from '../../test/support/vyre-all.ts';
import { installNodeNavigator } from './node-engine.ts';
import { runDifferential, runMalformed } from '../../test/fuzz/run-fuzz.ts';

installNodeNavigator();
const [count, seed, malformed] = [process.argv[2] ?? '1000', process.argv[3] ?? '7000', process.argv[4] ?? '500'].map(Number);
const sameThread: typeof vyre = { ...vyre, createRuntime: (options = {}) => vyre.createRuntime({ ...options, worker: false }) };

const started = performance.now();
const differential = await runDifferential(sameThread, count ?? 1000, seed ?? 7000);
const rejected = await runMalformed(sameThread, malformed ?? 500, seed ?? 7000);
console.log(`differential: ${differential.ran} programs from seed ${seed} (${differential.withVectors} with vectors), ${differential.failures.length} mismatching or failing`);
for (const failure of differential.failures.slice(0, 5)) console.log(JSON.stringify({ seed: failure.seed, error: failure.error, mismatches: failure.mismatches }));
console.log(`malformed: ${rejected.rejected}/${rejected.ran} rejected with invalid-program; unexpected ${rejected.unexpected.length}; still serving: ${rejected.stillServing}`);
console.log(`took ${((performance.now() - started) / 1000).toFixed(1)} s`);
const out = process.env['OUT'] ?? 'bench-results';
mkdirSync(out, { recursive: true });
writeFileSync(`${out}/fuzz-gpu.json`, JSON.stringify({ count, seed, differential, malformed: rejected }, null, 2));
