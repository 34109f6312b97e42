/**
 * A WGSL compile's GPU build started from the bindings its text suggests, before the module is
 * reflected (pipeline-cache.ts, `#startGuessedBuild`): it serves the compile when reflection
 * agrees, and otherwise the pipeline is built again from the reflection, the guess's build
 * (or its failure) dropped. The GPU build is the recording fake of the other cache tests.
 */
import { describe, expect, it } from 'vitest';
import { wgsl } from '../../src/program/wgsl-program.ts';
import { openCache, rejectionOf, saxpy, settle, shaderError } from './support/pipeline-cache-fixture.ts';

const AGREEING = wgsl({
  code: '@group(0) @binding(0) var<storage> a: array<f32>;\n@group(0) @binding(1) var<storage, read_write> out: array<u32>;\n@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { out[id.x] = u32(a[id.x]); }\n',
});

/** `spare` is unused by the entry point, but a local of that name makes the text suggest it is. */
const MISLEADING = wgsl({
  code: '@group(0) @binding(0) var<storage, read_write> out: array<u32>;\n@group(0) @binding(1) var<storage> spare: array<u32>;\n@compute @workgroup_size(1) fn main() { let spare = 2u; out[0] = spare; }\n',
});

describe('PipelineCache: a WGSL build started from guessed bindings', () => {
  it('starts before reflection and serves the compile when reflection agrees: one build', async () => {
    const { cache, fake } = openCache();
    fake.holding = true;
    const compiling = cache.compile(AGREEING);
    await settle();
    expect(fake.calls).toHaveLength(1);
    // The build was asked for with the guess: bindings without the layouts reflection adds.
    expect(fake.calls[0]?.artifact.buffers.map((buffer) => [buffer.name, buffer.layout])).toEqual([['a', undefined], ['out', undefined]]);
    fake.heldAt(0).release();
    const report = await compiling;
    expect(report).toMatchObject({ tier: 'compiled', cacheHit: false, entryPoint: 'main', workgroupSize: [64, 1, 1] });
    expect(report.buffers.map((buffer) => [buffer.name, buffer.access])).toEqual([['a', 'read'], ['out', 'read-write']]);
    const held = await cache.pipeline(report.pipelineId);
    // The pipeline is the guessed build's; the artifact kept with it is the reflected one.
    expect(held?.gpu.serial).toBe(1);
    expect(held?.artifact.buffers.map((buffer) => buffer.layout?.kind)).toEqual(['array', 'array']);
    expect(fake.calls).toHaveLength(1);
    expect((await cache.snapshot()).counters).toMatchObject({ builtFromGuess: 1, builtFromGuessUsed: 1, compiled: 1 });
  });

  it('is built again from the reflection when the guess was wrong; the compile gets the second build', async () => {
    const { cache, fake } = openCache();
    const report = await cache.compile(MISLEADING);
    expect(fake.calls.map((call) => call.artifact.buffers.map((buffer) => buffer.name))).toEqual([['out', 'spare'], ['out']]);
    expect(report.buffers.map((buffer) => buffer.name)).toEqual(['out']);
    expect((await cache.pipeline(report.pipelineId))?.gpu.serial).toBe(2);
    expect((await cache.snapshot()).counters).toMatchObject({ builtFromGuess: 1, builtFromGuessUsed: 0, compiled: 1 });
  });

  it('a wrong guess whose build fails does not fail the compile', async () => {
    const { cache, fake } = openCache();
    fake.failWith = (artifact) => (artifact.buffers.some((buffer) => buffer.name === 'spare') ? shaderError() : undefined);
    const report = await cache.compile(MISLEADING);
    expect(report).toMatchObject({ tier: 'compiled' });
    expect(fake.calls).toHaveLength(2);
  });

  it('a confirmed guess whose build fails fails the compile with that error, stores nothing, and the next compile builds again', async () => {
    const { cache, fake, store } = openCache();
    const error = shaderError();
    fake.failWith = () => error;
    expect(await rejectionOf(cache.compile(AGREEING))).toBe(error);
    expect(fake.calls).toHaveLength(1);
    expect((await store.stats()).entries).toBe(0);
    fake.failWith = () => undefined;
    expect(await cache.compile(AGREEING)).toMatchObject({ tier: 'compiled', missReason: 'empty-cache' });
    expect(fake.calls).toHaveLength(2);
  });

  it('is not made for an IR program, a module with a texture, or a compile the memory tier serves', async () => {
    const { cache, fake } = openCache();
    const textured = wgsl({ code: '@group(0) @binding(0) var<storage, read_write> out: array<f32>;\n@group(0) @binding(1) var tex: texture_2d<f32>;\n@compute @workgroup_size(1) fn main() { out[0] = textureLoad(tex, vec2i(0, 0), 0).x; }\n' });
    await cache.compile(saxpy(2));
    await cache.compile(textured);
    await cache.compile(AGREEING);
    await cache.compile(AGREEING);
    expect(fake.calls).toHaveLength(3);
    expect((await cache.snapshot()).counters).toMatchObject({ builtFromGuess: 1, builtFromGuessUsed: 1, memoryHits: 1 });
  });
});
