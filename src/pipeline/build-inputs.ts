/**
 * Whether two artifacts build the same GPU pipeline: the same code, entry point and override
 * constants, and the same bind group layouts. The layouts are compared as gpu/compile-pipeline.ts
 * makes them: per buffer its group, binding and binding type ({@link bufferBindingType});
 * images and per-dispatch parameters are never guessed, so an artifact with any does not match.
 */
import { bufferBindingType, type BoundBuffer, type ShaderArtifact } from '../lower/artifact.ts';

export function sameBuildInputs(a: ShaderArtifact, b: ShaderArtifact): boolean {
  return (
    a.code === b.code &&
    a.entryPoint === b.entryPoint &&
    a.params === undefined &&
    b.params === undefined &&
    (a.images ?? []).length === 0 &&
    (b.images ?? []).length === 0 &&
    sameConstants(a.constants ?? {}, b.constants ?? {}) &&
    layoutOf(a.buffers) === layoutOf(b.buffers)
  );
}

/** The bind group layout entries of `buffers`, as one comparable string. */
function layoutOf(buffers: readonly BoundBuffer[]): string {
  return buffers
    .map((buffer) => ({ group: buffer.group ?? 0, binding: buffer.binding, type: bufferBindingType(buffer) }))
    .sort((x, y) => x.group - y.group || x.binding - y.binding)
    .map(({ group, binding, type }) => `${group}:${binding}:${type}`)
    .join(' ');
}

function sameConstants(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => Object.is(a[name], b[name]));
}
