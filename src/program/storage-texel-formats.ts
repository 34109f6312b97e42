/**
 * The storage texel formats, in a file of their own: the store checks records against them,
 * and importing them from reflect-images.ts would bring WGSL reflection (wgsl_reflect) into
 * the worker's start-up script (pipeline/compile-path.ts says why that stays out).
 */

/** Texel formats WGSL allows in `texture_storage_*` (WGSL §6.5.5, plus WebGPU's tier-1 extras). */
export const STORAGE_TEXEL_FORMATS = [
  'rgba8unorm', 'rgba8snorm', 'rgba8uint', 'rgba8sint', 'rgba16uint', 'rgba16sint', 'rgba16float',
  'r32uint', 'r32sint', 'r32float', 'rg32uint', 'rg32sint', 'rg32float', 'rgba32uint', 'rgba32sint', 'rgba32float', 'bgra8unorm',
  'r8unorm', 'r8snorm', 'r8uint', 'r8sint', 'rg8unorm', 'rg8snorm', 'rg8uint', 'rg8sint', 'r16uint', 'r16sint', 'r16float',
  'rg16uint', 'rg16sint', 'rg16float', 'rgb10a2uint', 'rgb10a2unorm', 'rg11b10ufloat',
] as const;
