/** Bugs found by review, pinned so they stay fixed. */
import { describe, expect, it } from 'vitest';
import { fromWire, isVyreErrorWire } from '../../src/errors.ts';
import { FrameWriter } from '../../src/hash/framing.ts';
import { wgslArtifact } from '../../src/pipeline/wgsl-artifact.ts';
import { programDigest } from '../../src/program/digest.ts';
import { reflectModule } from '../../src/program/reflect-module.ts';
import { wgsl } from '../../src/program/wgsl-program.ts';
import { blankComments, lineColumnAt } from '../../src/program/wgsl-text.ts';

const BASE = '@group(0) @binding(0) var<storage, read_write> v: array<f32>;\n@compute @workgroup_size(64) fn main() {}';

describe('WGSL line breaks', () => {
  it.each(['\u000b', '\u000c', '\u0085', '\u2028', '\u2029', '\r'])('ends a line comment at %j', (lineBreak) => {
    expect(blankComments(`// c${lineBreak}const K = 2.0;`)).toBe(`    ${lineBreak}const K = 2.0;`);
  });

  // Was: reflect-wgsl.ts read past a `//` comment ended by U+2028. Reflection is now a real
  // parser (reflect-module.ts) that the worker runs when it builds the artifact, so the case
  // is kept for every WGSL line break, through both.
  it.each([
    ['a vertical tab', '\u000b'],
    ['a form feed', '\u000c'],
    ['NEL (U+0085)', '\u0085'],
    ['LINE SEPARATOR (U+2028)', '\u2028'],
    ['PARAGRAPH SEPARATOR (U+2029)', '\u2029'],
    ['a lone carriage return', '\r'],
  ])('reflects a declaration that follows a comment ended by %s', (_name, lineBreak) => {
    const code = `// inputs${lineBreak}@group(0) @binding(0) var<storage, read> x: array<f32>;\n@group(0) @binding(1) var<storage, read_write> y: array<f32>;\n@compute @workgroup_size(64) fn main() { y[0] = x[0]; }`;
    expect(reflectModule(code).resources.map((resource) => resource.name)).toEqual(['x', 'y']);
    expect(wgslArtifact(wgsl({ code }), {}).buffers.map((buffer) => buffer.name)).toEqual(['x', 'y']);
  });

  it('gives different digests to shaders that differ after a comment ended by a vertical tab', () => {
    const a = programDigest(wgsl({ code: `// k\u000bconst K = 2.0;\n${BASE}` }));
    const b = programDigest(wgsl({ code: `// k\u000bconst K = 3.0;\n${BASE}` }));
    expect(a).not.toBe(b);
  });

  it('counts lone \\r and \\r\\n line endings once each', () => {
    expect(lineColumnAt('a\rb\r\nc', 5)).toEqual({ line: 3, column: 1 });
  });
});

describe('wgsl() with untyped options', () => {
  it.each([
    { workgroupSize: {} },
    { workgroupSize: null },
    { buffers: 'x' },
    { buffers: {} },
    { entryPoint: null },
  ])('rejects %j with invalid-program', (options) => {
    expect(() => wgsl({ code: BASE, ...options } as never)).toThrow(expect.objectContaining({ code: 'invalid-program' }));
  });

  it('rejects binding 1000, the first past maxBindingsPerBindGroup', () => {
    expect(() => wgsl({ code: BASE, buffers: [{ name: 'v', binding: 1000, access: 'read-write', type: 'f32' }] })).toThrow(
      expect.objectContaining({ code: 'invalid-program' }),
    );
  });
});

describe('strict shapes', () => {
  it('rejects list counts that are not u32', () => {
    expect(() => new FrameWriter().list(-1)).toThrow(RangeError);
    expect(() => new FrameWriter().list(1.5)).toThrow(RangeError);
  });

  it('rejects wire errors with a non-string stack or array details', () => {
    const wire = { kind: 'vyre-error', code: 'invalid-input', message: 'm Fix: f', details: {} };
    expect(isVyreErrorWire({ ...wire, stack: 42 })).toBe(false);
    expect(isVyreErrorWire({ ...wire, details: [] })).toBe(false);
    expect(fromWire({ ...wire, stack: 42 }).code).toBe('internal');
  });
});
