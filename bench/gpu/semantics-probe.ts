/**
 * Corner cases of docs/semantics.md on a real GPU, each against the reference interpreter:
 * round half to even on f32 and vec4<f32>, abs of a rotated i32, and an exact f32 dot
 * product whose sums a reassociating compiler would change. Prints one line per case.
 * Built into .gpu/semantics-probe.mjs; run: bash .gpu/run.sh .gpu/semantics-probe.mjs
 */
import * as vyre from '../../test/support/vyre-all.ts';
import { installNodeNavigator } from './node-engine.ts';

installNodeNavigator();
const runtime = await vyre.createRuntime({ persistent: false, worker: false });

const roundScalar = vyre.program({ name: 'round-f32' }, (b) => {
  const x = b.buffer('x', 'f32', 'read');
  const y = b.buffer('y', 'f32', 'output');
  const i = b.let('i', b.linearIndex());
  b.if(i.lt(x.length()), () => y.store(i, x.load(i).round()));
});
const roundVector = vyre.mapKernel('round-vec4', 'vec4<f32>', (_b, v) => v.round());
const absRotr = vyre.program({ name: 'abs-rotr' }, (b) => {
  const y = b.buffer('y', 'i32', 'output');
  const i = b.let('i', b.linearIndex());
  b.if(i.lt(y.length()), () => y.store(i, b.i32(-1).rotr(y.length()).abs()));
});
const dot4 = vyre.program({ name: 'dot4' }, (b) => {
  const a = b.buffer('a', 'vec4<f32>', 'read');
  const c = b.buffer('c', 'vec4<f32>', 'read');
  const y = b.buffer('y', 'f32', 'output', { sizing: { kind: 'same-as', buffer: 'a' } });
  const i = b.let('i', b.linearIndex());
  b.if(i.lt(a.length()), () => y.store(i, a.load(i).dot(c.load(i))));
});

const halves = Float32Array.from({ length: 64 }, (_, k) => (k - 32) + 0.5);
const big = 2 ** 24;
const dotA = Float32Array.from({ length: 4096 }, (_, k) => [big, 1, -big, 1][k % 4]! * (1 + (k >> 2) % 3));
const dotC = Float32Array.from({ length: 4096 }, (_, k) => [1, 1, 1, 0.75][k % 4]!);
const cases = [
  { name: 'round ties to even, f32', program: roundScalar, inputs: { x: halves }, options: {} },
  { name: 'round ties to even, vec4<f32>', program: roundVector, inputs: { x: halves }, options: {} },
  { name: 'abs(rotr(-1i, n))', program: absRotr, inputs: {}, options: { outputs: { y: 64 } } },
  { name: 'dot of vec4<f32> in order (2^24 + 1 − 2^24 + 1)', program: dot4, inputs: { a: dotA, c: dotC }, options: {} },
] as const;
for (const { name, program, inputs, options } of cases) {
  const { pipeline } = await runtime.compile(program);
  const gpu = await pipeline.dispatch(inputs as Record<string, Float32Array>, options);
  const cpu = vyre.runReference(program, inputs as Record<string, Float32Array>, options);
  const got = Array.from(gpu['y'] ?? []);
  const want = Array.from(cpu['y'] ?? []);
  const differing = want.flatMap((value, k) => (Object.is(value, got[k]) ? [] : [`[${k}] gpu ${got[k]} cpu ${value}`]));
  console.log(`${name}: ${differing.length === 0 ? 'agrees' : `${differing.length} of ${want.length} differ: ${differing.slice(0, 4).join('; ')}`}`);
}
await runtime.dispose();
