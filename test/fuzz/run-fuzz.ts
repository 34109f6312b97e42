/**
 * The fuzz loops, run inside a browser page against the real runtime (worker + WebGPU):
 * - differential: each generated program on the GPU and in the reference interpreter;
 * - malformed: each broken program must be rejected with `invalid-program`, and the
 *   runtime must still compile and dispatch a valid program afterwards.
 */
import type * as Vyre from '../support/vyre-all.ts';
import { isVectorType } from '../../src/protocol/ir.ts';
import { compareOutputs, type Mismatch } from './compare.ts';
import { generateCase } from './generate.ts';
import { malformedProgram } from './malform.ts';

export interface DifferentialReport {
  readonly ran: number;
  /** How many of them use vector types (about half; see generate.ts). */
  readonly withVectors: number;
  readonly failures: readonly { seed: number; mismatches?: readonly Mismatch[]; error?: string; program: string }[];
}

export async function runDifferential(vyre: typeof Vyre, count: number, seed: number): Promise<DifferentialReport> {
  const runtime = await vyre.createRuntime({ persistent: false });
  const failures: { seed: number; mismatches?: readonly Mismatch[]; error?: string; program: string }[] = [];
  let withVectors = 0;
  try {
    for (let n = 0; n < count; n++) {
      const testCase = generateCase(seed + n);
      if (testCase.program.buffers.some((buffer) => isVectorType(buffer.type))) withVectors++;
      try {
        const reference = vyre.runReference(testCase.program, testCase.inputs, testCase.options);
        const { pipeline } = await runtime.compile(testCase.program);
        const gpu = await pipeline.dispatch(testCase.inputs, testCase.options);
        const mismatches = compareOutputs(gpu, reference);
        if (mismatches.length > 0) failures.push({ seed: testCase.seed, mismatches, program: JSON.stringify(testCase.program) });
      } catch (error) {
        const text = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
        failures.push({ seed: testCase.seed, error: text, program: JSON.stringify(testCase.program) });
      }
    }
  } finally {
    await runtime.dispose();
  }
  return { ran: count, withVectors, failures };
}

export interface MalformedReport {
  readonly ran: number;
  readonly rejected: number;
  readonly unexpected: readonly { index: number; outcome: string }[];
  /** A valid program still compiled and dispatched correctly after all the bad ones. */
  readonly stillServing: boolean;
}

export async function runMalformed(vyre: typeof Vyre, count: number, seed: number): Promise<MalformedReport> {
  const runtime = await vyre.createRuntime({ persistent: false });
  const unexpected: { index: number; outcome: string }[] = [];
  let rejected = 0;
  try {
    for (let index = 0; index < count; index++) {
      const bad = malformedProgram(seed, index);
      try {
        await runtime.compile(bad as never);
        unexpected.push({ index, outcome: 'compiled' });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'invalid-program') rejected++;
        else unexpected.push({ index, outcome: `${code ?? 'no code'}: ${(error as Error).message}` });
      }
    }
    const valid = generateCase(seed);
    const { pipeline } = await runtime.compile(valid.program);
    const gpu = await pipeline.dispatch(valid.inputs, valid.options);
    const stillServing = compareOutputs(gpu, vyre.runReference(valid.program, valid.inputs, valid.options)).length === 0;
    return { ran: count, rejected, unexpected, stillServing };
  } finally {
    await runtime.dispose();
  }
}
