/**
 * Repeated dispatches of one shape, across calls and within a batch, reuse their plan:
 * the same answer as planning in full, new data each time, and every mistake still caught.
 */
import { describe, expect, it } from 'vitest';
import { planDispatch, type PlanLimits } from '../../src/dispatch/dispatch-plan.ts';
import { planBatch } from '../../src/dispatch/repeat-plan.ts';
import type { ResidentBufferRef } from '../../src/protocol/resident.ts';
import type { BufferDeclaration } from '../../src/protocol/elements.ts';
import { thrownBy } from './support/thrown-by.ts';
import { VyreError } from '../../src/errors.ts';
import type { BoundBuffer } from '../../src/lower/artifact.ts';
import type { WgslType } from '../../src/protocol/wgsl-module.ts';
import { F32, PARAMS } from './support/wgsl-layouts.ts';

/** array<f32>: stride 4; a runtime-sized array's size is one element's stride, as reflection reports it. */
const F32_RUNTIME_ARRAY: WgslType = { kind: 'array', element: F32, count: null, stride: 4, size: 4, align: 4 };

const LIMITS: PlanLimits = { maxStorageBufferBindingSize: 1 << 20, maxComputeWorkgroupsPerDimension: 65535 };
const X: BufferDeclaration = { name: 'x', binding: 0, access: 'read', type: 'f32' };
const Y: BufferDeclaration = { name: 'y', binding: 1, access: 'read-write', type: 'f32' };
const OUT: BufferDeclaration = { name: 'out', binding: 2, access: 'output', type: 'u32' };

const artifact = () => ({ buffers: [X, Y, OUT], workgroupSize: [64, 1, 1] as const, params: undefined, foldableGrid: true });
const inputs = (n: number) => ({ x: new Float32Array(n).fill(1), y: new Float32Array(n).fill(2) });
type Artifact = ReturnType<typeof artifact>;
/** One call: a batch of one. */
const planWithRepeats = (shared: Artifact, given: unknown, options: Parameters<typeof planBatch>[2], limits: PlanLimits) => {
  const [plan] = planBatch(shared, [given], options, limits);
  if (plan === undefined) throw new Error('no plan');
  return plan;
};
const resident = (id: number, length = 100): ResidentBufferRef => ({ kind: 'vyre-resident-buffer', id, runtimeId: 'rt', type: 'f32', length });

describe('planBatch: across calls', () => {
  it('plans a repeat exactly as planning in full would, with the new call’s arrays', () => {
    const shared = artifact();
    planWithRepeats(shared, inputs(100), undefined, LIMITS);
    const second = inputs(100);
    const repeated = planWithRepeats(shared, second, undefined, LIMITS);
    expect(repeated).toEqual(planDispatch(artifact(), second, undefined, LIMITS));
    expect(repeated.buffers[0]?.data).toBe(second.x);
    expect(repeated.buffers[1]?.data).toBe(second.y);
    expect(repeated.buffers[2]?.data).toBeUndefined();
  });

  it('follows a change of length, order or names instead of reusing the old plan', () => {
    const shared = artifact();
    planWithRepeats(shared, inputs(100), undefined, LIMITS);
    const longer = planWithRepeats(shared, inputs(5000), undefined, LIMITS);
    expect(longer.buffers.map((buffer) => buffer.length)).toEqual([5000, 5000, 5000]);
    expect(longer.grid).toEqual([Math.ceil(5000 / 64), 1, 1]);
    // Only x given: y is then sized like an output, not uploaded.
    const xOnly = planWithRepeats(shared, { x: new Float32Array(7) }, undefined, LIMITS);
    expect(xOnly).toEqual(planDispatch(artifact(), { x: new Float32Array(7) }, undefined, LIMITS));
    const reordered = { y: new Float32Array(7), x: new Float32Array(7) };
    expect(planWithRepeats(shared, reordered, undefined, LIMITS)).toEqual(planDispatch(artifact(), reordered, undefined, LIMITS));
  });

  it('plans in full whenever options are given', () => {
    const shared = artifact();
    planWithRepeats(shared, inputs(100), undefined, LIMITS);
    const sized = planWithRepeats(shared, inputs(100), { outputs: { out: 3 } }, LIMITS);
    expect(sized.buffers[2]?.length).toBe(3);
  });

  it('still rejects a wrong type, a missing input or an unknown name after a good call', () => {
    const shared = artifact();
    planWithRepeats(shared, inputs(100), undefined, LIMITS);
    const wrongType = thrownBy(() => planWithRepeats(shared, { x: new Float32Array(100), y: new Uint32Array(100) }, undefined, LIMITS));
    expect([wrongType.code, wrongType.details['buffer']]).toEqual(['invalid-input', 'y']);
    const missing = thrownBy(() => planWithRepeats(shared, { y: new Float32Array(100) }, undefined, LIMITS));
    expect([missing.code, missing.details['buffer']]).toEqual(['invalid-input', 'x']);
    const unknown = thrownBy(() => planWithRepeats(shared, { x: new Float32Array(100), z: new Float32Array(100) }, undefined, LIMITS));
    expect([unknown.code, unknown.details['buffer']]).toEqual(['invalid-input', 'z']);
    const notAnObject = thrownBy(() => planWithRepeats(shared, [new Float32Array(100), new Float32Array(100)], undefined, LIMITS));
    expect(notAnObject.code).toBe('invalid-input');
    // And the good shape is still served afterwards.
    expect(planWithRepeats(shared, inputs(100), undefined, LIMITS).buffers[0]?.length).toBe(100);
  });

  it('plans in full under other limits, which may reject what the first ones allowed', () => {
    const shared = artifact();
    planWithRepeats(shared, inputs(100), undefined, LIMITS);
    const tight: PlanLimits = { ...LIMITS, maxStorageBufferBindingSize: 256 };
    expect(thrownBy(() => planWithRepeats(shared, inputs(100), undefined, tight)).details['limit']).toBe(256);
  });

  it('checks a resident buffer on every call, and keeps none of the caller’s arrays in the remembered plan', () => {
    const shared = artifact();
    const checked: number[] = [];
    const limits: PlanLimits = { ...LIMITS, checkResident: (ref) => void checked.push(ref.id) };
    planWithRepeats(shared, { x: new Float32Array(100), y: resident(1) }, undefined, limits);
    planWithRepeats(shared, { x: new Float32Array(100), y: resident(1) }, undefined, limits);
    // Each call checked the handle again (a destroyed handle must be caught every time).
    expect(checked).toEqual([1, 1]);
    const first = inputs(100);
    planWithRepeats(shared, first, undefined, LIMITS);
    // A repeat where x comes back as another array holds that array, not the first call's.
    const next = inputs(100);
    expect(planWithRepeats(shared, next, undefined, LIMITS).buffers[0]?.data).not.toBe(first.x);
  });
});

describe('planBatch: within a batch', () => {
  const chain = (length: number, ids: readonly number[]) => ids.map((id) => ({ x: resident(100, length), y: resident(id, length) }));

  it('plans every item of a chain over resident buffers as planning each in full would', () => {
    const batch = chain(100, [1, 2, 3, 4]);
    const options = { keep: ['y'] };
    const plans = planBatch(artifact(), batch, options, LIMITS);
    expect(plans).toEqual(batch.map((item) => planDispatch(artifact(), item, options, LIMITS)));
    expect(plans.map((plan) => plan.buffers[1]?.resident?.id)).toEqual([1, 2, 3, 4]);
    expect(plans.every((plan) => plan.buffers[1]?.keep === true)).toBe(true);
  });

  it('follows items whose shape changes in the middle of a batch', () => {
    const batch = [inputs(10), inputs(10), inputs(300), { x: new Float32Array(300), y: resident(9, 300) }, inputs(10)];
    const options = { outputs: { out: 5 } };
    expect(planBatch(artifact(), batch, options, LIMITS)).toEqual(batch.map((item) => planDispatch(artifact(), item, options, LIMITS)));
  });

  it('rejects a resident buffer destroyed or foreign in the middle of a chain, as planning in full does', () => {
    const destroyed = new Set([3]);
    const limits: PlanLimits = {
      ...LIMITS,
      checkResident: (ref) => {
        if (destroyed.has(ref.id)) throw new VyreError('invalid-input', `Resident buffer ${ref.id} was destroyed.`, 'create a new one.', { id: ref.id });
      },
    };
    const error = thrownBy(() => planBatch(artifact(), chain(100, [1, 2, 3, 4]), { keep: ['y'] }, limits));
    expect([error.code, error.details['id']]).toEqual(['invalid-input', 3]);
  });

  it('rejects a later item of the wrong type even when the first ones repeat', () => {
    const batch = [inputs(10), inputs(10), { x: new Float32Array(10), y: new Int32Array(10) }];
    const error = thrownBy(() => planBatch(artifact(), batch, { outputs: { out: 5 } }, LIMITS));
    expect([error.code, error.details['buffer']]).toEqual(['invalid-input', 'y']);
  });
});

describe('planBatch: reflected WGSL bindings', () => {
  // struct Params { N: u32, D: u32, eps: f32 } as a uniform (12 bytes, hand-derived in wgsl-layouts.ts);
  // xs: array<f32>; out: array<f32> read_write.
  const PARAMS_BUFFER: BoundBuffer = { name: 'params', binding: 0, access: 'read', type: 'u32', space: 'uniform', layout: PARAMS };
  const XS: BoundBuffer = { name: 'xs', binding: 1, access: 'read', type: 'f32', layout: F32_RUNTIME_ARRAY };
  const OUT_F32: BoundBuffer = { name: 'out', binding: 2, access: 'read-write', type: 'f32', layout: F32_RUNTIME_ARRAY };
  const reflected = () => ({ buffers: [PARAMS_BUFFER, XS, OUT_F32], workgroupSize: [64, 1, 1] as const, params: undefined, foldableGrid: false });
  const call = (N: number, eps: number) => ({ params: { N, D: 3, eps }, xs: new Float32Array(N) });
  /** The 12 bytes of Params written by hand: N and D as little-endian u32, eps as f32. */
  const paramsBytes = (N: number, D: number, eps: number) => {
    const view = new DataView(new ArrayBuffer(12));
    view.setUint32(0, N, true);
    view.setUint32(4, D, true);
    view.setFloat32(8, eps, true);
    return new Uint8Array(view.buffer);
  };

  it('packs a uniform struct’s fields again on each repeat, the plan otherwise the same as in full', () => {
    const shared = reflected();
    planWithRepeats(shared, call(8, 0.5), undefined, LIMITS);
    const second = call(8, 0.25);
    const repeated = planWithRepeats(shared, second, undefined, LIMITS);
    expect(repeated).toEqual(planDispatch(reflected(), second, undefined, LIMITS));
    expect(repeated.buffers[0]?.packed).toEqual(paramsBytes(8, 3, 0.25));
    // xs is uploaded from the caller's own memory, not a copy.
    expect(repeated.buffers[1]?.packed?.buffer).toBe(second.xs.buffer);
  });

  it('takes the new call’s bytes for a binding given as a typed array or ArrayBuffer of the same length', () => {
    const shared = reflected();
    const asBytes = (eps: number) => ({ params: paramsBytes(8, 3, eps).buffer, xs: new Float32Array(8).fill(eps) });
    planWithRepeats(shared, asBytes(1), undefined, LIMITS);
    const second = asBytes(2);
    const repeated = planWithRepeats(shared, second, undefined, LIMITS);
    expect(repeated).toEqual(planDispatch(reflected(), second, undefined, LIMITS));
    expect(repeated.buffers[0]?.packed?.buffer).toBe(second.params);
  });

  it('still names a mistyped, missing or unknown field on a repeat, as the first call would', () => {
    const shared = reflected();
    planWithRepeats(shared, call(8, 0.5), undefined, LIMITS);
    const cases = [
      { params: { N: -1, D: 3, eps: 0.5 }, field: 'params.N' },
      { params: { N: 8, eps: 0.5 }, field: 'params.D' },
      { params: { N: 8, D: 3, eps: 0.5, extra: 1 }, field: 'params.extra' },
    ];
    for (const { params, field } of cases) {
      const error = thrownBy(() => planWithRepeats(shared, { params, xs: new Float32Array(8) }, undefined, LIMITS));
      expect([error.code, error.details['field']]).toEqual(['invalid-input', field]);
    }
    expect(planWithRepeats(shared, call(8, 0.5), undefined, LIMITS).buffers[0]?.packed).toEqual(paramsBytes(8, 3, 0.5));
  });

  it('plans a new length of a runtime-sized binding in full: the read-back follows it', () => {
    const shared = reflected();
    planWithRepeats(shared, call(8, 0.5), undefined, LIMITS);
    const longer = planWithRepeats(shared, call(20, 0.5), undefined, LIMITS);
    expect(longer.buffers.map((buffer) => buffer.byteLength)).toEqual([12, 80, 80]);
    expect(longer).toEqual(planDispatch(reflected(), call(20, 0.5), undefined, LIMITS));
  });
});
