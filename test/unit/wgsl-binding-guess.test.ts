/**
 * The guess at a WGSL module's bindings that lets its GPU build start before reflection
 * (src/program/wgsl-binding-guess.ts, src/pipeline/build-inputs.ts): what it reads, when it
 * declines to guess, and — on the real-idiom corpus and the compile-heavy shaders — that
 * whenever it guesses, reflection agrees, so no build is made twice.
 */
import { describe, expect, it } from 'vitest';
import { heavyShaders } from '../../bench/browser/heavy-shaders.ts';
import type { ShaderArtifact } from '../../src/lower/artifact.ts';
import { guessedArtifact } from '../../src/pipeline/guessed-artifact.ts';
import { sameBuildInputs } from '../../src/pipeline/build-inputs.ts';
import { wgslArtifact } from '../../src/pipeline/wgsl-artifact.ts';
import { guessBindings } from '../../src/program/wgsl-binding-guess.ts';
import { wgsl } from '../../src/program/wgsl-program.ts';
import { WGSL_MUTATION_SOURCES } from '../fuzz/mutate-wgsl.ts';

const ENTRY = '@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { out[id.x] = u32(a[id.x]) + p.n; }';

describe('guessing a module\'s bindings from its text', () => {
  it('reads group, binding, address space and access, in either attribute order, sorted as reflection sorts', () => {
    const code = [
      '@binding(1) @group(0) var<storage, read_write> out: array<u32>;',
      '@group(0) @binding(0) var<storage> a: array<f32>;',
      '@group(1)@binding(0)var<uniform>p:Params;',
      'struct Params { n: u32 }',
      ENTRY,
    ].join('\n');
    expect(guessBindings(code, null)).toEqual({
      entryPoint: 'main',
      buffers: [
        { name: 'a', group: 0, binding: 0, space: 'storage', access: 'read' },
        { name: 'out', group: 0, binding: 1, space: 'storage', access: 'read-write' },
        { name: 'p', group: 1, binding: 0, space: 'uniform', access: 'read' },
      ],
    });
  });

  it('names the one @compute function, past other attributes, and takes the program\'s own name when it agrees', () => {
    const code = '@group(0) @binding(0) var<storage, read_write> out: array<u32>;\nfn helper() {}\n@compute\n@workgroup_size(8, 8)\nfn blur_rows() { out[0] = 1u; }';
    expect(guessBindings(code, null)?.entryPoint).toBe('blur_rows');
    expect(guessBindings(code, 'blur_rows')?.entryPoint).toBe('blur_rows');
    expect(guessBindings(code, 'main')).toBeUndefined();
  });

  it('leaves out a buffer the text never mentions again, as reflection does for an unused one', () => {
    const code = '@group(0) @binding(0) var<storage, read_write> out: array<u32>;\n@group(0) @binding(1) var<storage> spare: array<u32>;\n@compute @workgroup_size(1) fn main() { out[0] = 1u; }';
    expect(guessBindings(code, null)?.buffers.map((buffer) => buffer.name)).toEqual(['out']);
  });

  it('does not read declarations or entry points inside comments', () => {
    const code = '// @group(0) @binding(5) var<storage> old: array<u32>;\n/* @compute fn other() {} */\n@group(0) @binding(0) var<storage, read_write> out: array<u32>;\n@compute @workgroup_size(1) fn main() { out[0] = 1u; }';
    expect(guessBindings(code, null)).toEqual({ entryPoint: 'main', buffers: [{ name: 'out', group: 0, binding: 0, space: 'storage', access: 'read-write' }] });
  });

  it('declines to guess for two compute entry points, a texture or sampler, a computed binding number, or no entry point', () => {
    const buffer = '@group(0) @binding(0) var<storage, read_write> out: array<u32>;\n';
    const entry = '@compute @workgroup_size(1) fn main() { out[0] = 1u; }\n';
    expect(guessBindings(buffer + entry + '@compute @workgroup_size(1) fn second() { out[1] = 2u; }', null)).toBeUndefined();
    expect(guessBindings(buffer + '@group(0) @binding(1) var tex: texture_2d<f32>;\n' + entry, null)).toBeUndefined();
    expect(guessBindings(buffer + '@group(0) @binding(2) var smp: sampler;\n' + entry, null)).toBeUndefined();
    expect(guessBindings('const B = 1u;\n@group(0) @binding(B) var<storage, read_write> out: array<u32>;\n' + entry, null)).toBeUndefined();
    expect(guessBindings(buffer + 'fn main() { out[0] = 1u; }', null)).toBeUndefined();
  });
});

describe('a guessed build serves a compile only when reflection builds the same pipeline', () => {
  const code = '@group(0) @binding(0) var<storage> a: array<f32>;\n@group(0) @binding(1) var<storage, read_write> out: array<u32>;\n@compute @workgroup_size(64) fn main() { out[0] = u32(a[0]); }';
  const reflected = (): ShaderArtifact => wgslArtifact(wgsl({ code }), {});

  it('matches its reflection, whose buffers carry full layouts the guess lacks', () => {
    const guess = guessedArtifact(wgsl({ code }), {});
    expect(guess).toBeDefined();
    expect(guess !== undefined && sameBuildInputs(guess, reflected())).toBe(true);
  });

  it('differs on another binding type, binding number, entry point, code or constant value', () => {
    const real = reflected();
    const [a, out] = real.buffers;
    if (a === undefined || out === undefined) throw new Error('expected two buffers');
    expect(sameBuildInputs({ ...real, buffers: [{ ...a, access: 'read-write' }, out] }, real)).toBe(false);
    expect(sameBuildInputs({ ...real, buffers: [{ ...a, binding: 2 }, out] }, real)).toBe(false);
    expect(sameBuildInputs({ ...real, buffers: [a, { ...out, space: 'uniform' }] }, real)).toBe(false);
    expect(sameBuildInputs({ ...real, buffers: [out] }, real)).toBe(false);
    expect(sameBuildInputs({ ...real, entryPoint: 'other' }, real)).toBe(false);
    expect(sameBuildInputs({ ...real, code: `${real.code}\n` }, real)).toBe(false);
    expect(sameBuildInputs({ ...real, constants: { N: 1 } }, { ...real, constants: { N: 2 } })).toBe(false);
    expect(sameBuildInputs({ ...real, constants: { N: 1 } }, { ...real, constants: { N: 1 } })).toBe(true);
  });

  it('is never made for an IR program or a WGSL program with declared buffers', () => {
    expect(guessedArtifact(wgsl({ code, buffers: [{ name: 'out', binding: 1, type: 'u32', access: 'read-write' }] }), {})).toBeUndefined();
  });

  it('agrees with reflection on every corpus and compile-heavy shader it guesses for, and guesses for most', () => {
    const sources = [...WGSL_MUTATION_SOURCES.map(({ code: source }) => source), ...heavyShaders().map((shader) => shader.code)];
    let guessed = 0;
    for (const source of sources) {
      const program = wgsl({ code: source });
      const guess = guessedArtifact(program, {});
      if (guess === undefined) continue;
      guessed++;
      expect(sameBuildInputs(guess, wgslArtifact(program, {})), source.slice(0, 80)).toBe(true);
    }
    expect(guessed).toBeGreaterThanOrEqual(sources.length / 2);
  });
});
