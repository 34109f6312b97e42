/**
 * Fuzz seed 10291 on the H200: `b = vec4<f32>(vec4<i32>(…) & vec4<i32>(65535)) * d` came
 * back rounded toward zero where the exact product lies halfway between two floats
 * (65535 · 63.625 = 4169664.375 gave 4169664.25; round-half-to-even gives 4169664.5).
 * This probe writes that product in several forms and prints each one's bits beside the
 * correctly rounded value, to find which form the GPU's compiler rounds differently.
 * Built into .gpu/tie-probe.mjs; run: bash .gpu/run.sh .gpu/tie-probe.mjs
 */
import * as vyre from '../../test/support/vyre-all.ts';
import { installNodeNavigator } from './node-engine.ts';

installNodeNavigator();

const FORMS = [
  'plain: f32(i & 65535) * d',
  'guarded (lowering v5): bits(f32(i & 65535) * d) ^ zero',
  'plain: c * d, c an f32 from the buffer',
  'guarded, c an f32 from the buffer',
  'plain: 65535.0 literal * d',
  'vec4 guarded, as the seed lowered it (lane y)',
  'guarded, both factors through the xor first',
  'plain vec4 of the same lanes (lane y)',
] as const;

const CODE = /* wgsl */ `
@group(0) @binding(0) var<storage, read> d: array<f32>;
@group(0) @binding(1) var<storage, read> ints: array<i32>;
@group(0) @binding(2) var<storage, read> floats: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
fn guard(x: f32, zero: u32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ zero); }
@compute @workgroup_size(1)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let k = id.x;
  if (k >= arrayLength(&d)) { return; }
  let one = f32(min(groups.x, 1u));
  let zero = bitcast<u32>(one) ^ 0x3f800000u;
  let dk = d[k];
  let c = f32(ints[k] & 65535);
  let cf = floats[k];
  let base = k * 8u;
  y[base + 0u] = c * dk;
  y[base + 1u] = guard(c * dk, zero);
  y[base + 2u] = cf * dk;
  y[base + 3u] = guard(cf * dk, zero);
  y[base + 4u] = 65535.0 * dk;
  let cv = vec4<f32>(vec4<i32>(ints[k], 2147483647, -2, -1130483771) & vec4<i32>(65535));
  let dv = vec4<f32>(dk, dk, dk, dk);
  y[base + 5u] = bitcast<vec4<f32>>(bitcast<vec4<u32>>(cv * dv) ^ vec4<u32>(zero)).y;
  y[base + 6u] = guard(guard(c, zero) * guard(dk, zero), zero);
  y[base + 7u] = (cv * dv).y;
}`;

const runtime = await vyre.createRuntime({ persistent: false, worker: false });
const d = Float32Array.of(63.625, 71.25, 115.125, 3.5);
const ints = Int32Array.of(2147483647, 2147483647, 2147483647, 2147483647);
const floats = Float32Array.of(65535, 65535, 65535, 65535);
const { pipeline } = await runtime.compile(vyre.wgsl({ code: CODE }));
const out = (await pipeline.dispatch({ d, ints, floats }, { outputs: { y: d.length * 8 }, invocations: d.length } as never)) as Record<string, Float32Array>;
const hex = (x: number): string => new Uint32Array(Float32Array.of(x).buffer)[0]?.toString(16) ?? '?';
for (let k = 0; k < d.length; k++) {
  const exact = 65535 * (d[k] ?? 0);
  const rounded = Math.fround(exact);
  console.log(`65535 × ${d[k]} = ${exact} exactly; round half to even: ${rounded} (0x${hex(rounded)})`);
  FORMS.forEach((form, n) => {
    const got = out['y']?.[k * 8 + n] ?? Number.NaN;
    console.log(`  ${Object.is(got, rounded) ? 'right' : 'WRONG'} ${got} (0x${hex(got)})  ${form}`);
  });
}
await runtime.dispose();
