/**
 * What runtime.compileTuned chooses on a real GPU (Node + Dawn, same-thread runtime,
 * memory only), with each variant's time: bench/browser/tuning-bench.ts at matmul 256,
 * 512, 1024 and 2048 and sums of 4 Mi and 16 Mi elements. Prints the table and writes the raw
 * result to $OUT/tuning.json when OUT is set. Built into .gpu/tune-gpu.mjs; run:
 * bash .gpu/run.sh .gpu/tune-gpu.mjs
 */
import { writeFileSync } from 'node:fs';
import { createRuntime } from '../../src/index.ts';
import { runTuning, tuningTable } from '../browser/tuning-bench.ts';
import { installNodeNavigator } from './node-engine.ts';

installNodeNavigator();
const runtime = await createRuntime({ worker: false, persistent: false });
try {
  const result = await runTuning(runtime, [256, 512, 1024, 2048], [1 << 22, 1 << 24]);
  console.log(tuningTable(result));
  if (process.env['OUT']) writeFileSync(`${process.env['OUT']}/tuning.json`, JSON.stringify(result, null, 1));
} finally {
  await runtime.dispose();
}
