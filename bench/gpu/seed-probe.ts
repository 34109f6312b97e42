/**
 * Why does a fuzz seed differ on this GPU? Runs each seed's program (test/fuzz/generate.ts)
 * through the runtime (same-thread mode, Node + Dawn) and the reference interpreter, and
 * prints every mismatching element with its bits. For the `dot` of seed 10291
 * (`out_f[i] = dot(A, B)`, exact policy; see docs/benchmarks.md, "Results: NVIDIA H200")
 * it also recomputes the element in plain JS in the ways a compiler might have done it
 * (sum in order, pairwise, fused into the adds, subnormal products flushed) and says
 * which of them gives the GPU's bits.
 * Built into .gpu/seed-probe.mjs; run: bash .gpu/run.sh .gpu/seed-probe.mjs [seed …]
 */
import * as vyre from '../../test/support/vyre-all.ts';
import { installNodeNavigator } from './node-engine.ts';
import { generateCase, type FuzzCase } from '../../test/fuzz/generate.ts';
import { compareOutputs } from '../../test/fuzz/compare.ts';

installNodeNavigator();
const f = Math.fround;
const bits = (x: number): string => `${x} (0x${new Uint32Array(Float32Array.of(x).buffer)[0]?.toString(16)})`;

/** Seed 10291's `out_f[i]`, recomputed: A, B and the four products, then the ways to sum them. */
function dotWays(testCase: FuzzCase, i: number): Record<string, number> {
  const load = testCase.inputs['vin_f'] as Float32Array;
  const pf = f(testCase.options.params['pf'] ?? 0);
  const pi = testCase.options.params['pi'] ?? 0;
  const l = [0, 1, 2, 3].map((c) => load[i * 4 + c] ?? 0);
  const shifted = l.map((x) => f(x + 66.375));
  const a = [Math.min(shifted[0]!, -40.25), Math.min(shifted[1]!, pf), Math.min(shifted[2]!, -89.25), Math.min(shifted[3]!, pf)];
  const c = [pi & 65535, 2147483647 & 65535, -2 & 65535, -1130483771 & 65535].map(f);
  const d = [f(pf - l[0]!), f(66.875 - l[1]!), f(62 - l[2]!), f(pf - l[3]!)];
  const b = c.map((x, k) => f(x * d[k]!));
  const exact = a.map((x, k) => x * b[k]!); // exact in a double: 24 + 24 bits
  const p = exact.map(f);
  const ftz = p.map((x) => (Math.abs(x) < 2 ** -126 ? 0 : x));
  const inOrder = (q: number[]) => f(f(f(q[0]! + q[1]!) + q[2]!) + q[3]!);
  return {
    'in order (the semantics)': inOrder(p),
    'pairwise (x+y)+(z+w)': f(f(p[0]! + p[1]!) + f(p[2]! + p[3]!)),
    'reversed ((w+z)+y)+x': f(f(f(p[3]! + p[2]!) + p[1]!) + p[0]!),
    'fused: fma into each add': f(f(f(exact[0]! + exact[1]!) + exact[2]!) + exact[3]!),
    'fused: last product into the last add': f(f(f(p[0]! + p[1]!) + p[2]!) + exact[3]!),
    'subnormal products flushed': inOrder(ftz),
    'double sum, one rounding': f(exact[0]! + exact[1]! + exact[2]! + exact[3]!),
  };
}

async function probe(seed: number): Promise<void> {
  const testCase = generateCase(seed);
  const runtime = await vyre.createRuntime({ persistent: false, worker: false });
  try {
    const reference = vyre.runReference(testCase.program, testCase.inputs, testCase.options);
    const { pipeline } = await runtime.compile(testCase.program);
    const gpu = (await pipeline.dispatch(testCase.inputs, testCase.options)) as Record<string, ArrayLike<number>>;
    const mismatches = compareOutputs(gpu, reference, 16);
    console.log(`seed ${seed}: ${mismatches.length} mismatching elements; params ${JSON.stringify(testCase.options.params)}`);
    for (const m of mismatches) {
      console.log(`  ${JSON.stringify(m)}`);
      if (seed === 10291 && m.buffer === 'out_f') {
        const got = gpu['out_f']?.[m.index] ?? Number.NaN;
        for (const [way, value] of Object.entries(dotWays(testCase, m.index))) console.log(`    ${Object.is(value, got) ? 'GPU =' : '     '} ${way}: ${bits(value)}`);
        console.log(`    GPU: ${bits(got)}`);
      }
    }
  } catch (error) {
    console.log(`seed ${seed}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await runtime.dispose();
  }
}

const seeds = process.argv.slice(2).map(Number);
for (const seed of seeds.length > 0 ? seeds : [10291, 6071, 5029]) await probe(seed);
