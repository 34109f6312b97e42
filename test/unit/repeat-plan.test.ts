/**
 * Repeated dispatches of one shape reuse their plan: same answer as planning in full,
 * new data each time, and every mistake still caught.
 */
import { describe, expect, it } from 'vitest';
import { planDispatch, type PlanLimits } from '../../src/pipeline/dispatch-plan.ts';
import { planWithRepeats } from '../../src/pipeline/repeat-plan.ts';
import type { BufferDeclaration } from '../../src/program/types.ts';
import { thrownBy } from './support/thrown-by.ts';

const LIMITS: PlanLimits = { maxStorageBufferBindingSize: 1 << 20, maxComputeWorkgroupsPerDimension: 65535 };
const X: BufferDeclaration = { name: 'x', binding: 0, access: 'read', type: 'f32' };
const Y: BufferDeclaration = { name: 'y', binding: 1, access: 'read-write', type: 'f32' };
const OUT: BufferDeclaration = { name: 'out', binding: 2, access: 'output', type: 'u32' };

const artifact = () => ({ buffers: [X, Y, OUT], workgroupSize: [64, 1, 1] as const, params: undefined, foldableGrid: true });
const inputs = (n: number) => ({ x: new Float32Array(n).fill(1), y: new Float32Array(n).fill(2) });

describe('planWithRepeats', () => {
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

  it('gives no shortcut to a resident buffer, and keeps none of the caller’s arrays in the remembered plan', () => {
    const shared = artifact();
    const resident = { kind: 'vyre-resident-buffer', id: 1, runtimeId: 'rt', type: 'f32', length: 100 } as const;
    const checked: number[] = [];
    const limits: PlanLimits = { ...LIMITS, checkResident: (ref) => void checked.push(ref.id) };
    planWithRepeats(shared, { x: new Float32Array(100), y: resident }, undefined, limits);
    planWithRepeats(shared, { x: new Float32Array(100), y: resident }, undefined, limits);
    // Each call checked the handle again (a destroyed handle must be caught every time).
    expect(checked).toEqual([1, 1]);
    const first = inputs(100);
    planWithRepeats(shared, first, undefined, LIMITS);
    // A repeat where x comes back as another array holds that array, not the first call's.
    const next = inputs(100);
    expect(planWithRepeats(shared, next, undefined, LIMITS).buffers[0]?.data).not.toBe(first.x);
  });
});
