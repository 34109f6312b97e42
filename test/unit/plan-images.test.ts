/**
 * Planning a dispatch's images: a 32-bit float texture bound to a filterable
 * `texture_2d<f32>` needs the device's `float32-filterable`, whether it comes as pixels or
 * as a kept texture (a WebGPU validation error otherwise, not a clear `invalid-input`).
 */
import { describe, expect, it } from 'vitest';
import { planImages, type ImageLimits } from '../../src/dispatch/plan-images.ts';
import type { WgslImageResource } from '../../src/protocol/wgsl-module.ts';
import { isVyreError } from '../../src/errors.ts';

const SAMPLED: WgslImageResource = { kind: 'texture', name: 'src', group: 0, binding: 0, dimension: '2d', sampleType: 'float', multisampled: false };
const KEPT_R32F = { kind: 'vyre-resident-texture', id: 1, runtimeId: 'r', width: 2, height: 2, format: 'r32float' } as const;
const PIXELS_R32F = { data: new Float32Array(4), width: 2, height: 2, format: 'r32float' };

function plan(input: unknown, features: readonly string[]): unknown {
  const limits: ImageLimits = { maxTextureDimension2D: 8192, features, checkResident: () => undefined };
  try {
    return planImages([SAMPLED], new Map([['src', input]]), new Map(), undefined, limits).textures[0]?.format;
  } catch (error) {
    return isVyreError(error) ? { code: error.code, message: error.message } : error;
  }
}

describe('float32 textures bound as filterable', () => {
  it.each([
    ['r32float pixels', PIXELS_R32F],
    ['a kept r32float texture', KEPT_R32F],
  ])('refuses %s without float32-filterable, with invalid-input and a Fix', (_name, input) => {
    expect(plan(input, [])).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/cannot filter \(no float32-filterable\).*Fix: /s) });
  });

  it.each([
    ['r32float pixels', PIXELS_R32F],
    ['a kept r32float texture', KEPT_R32F],
  ])('takes %s on a device with float32-filterable', (_name, input) => {
    expect(plan(input, ['float32-filterable'])).toBe('r32float');
  });
});
