/**
 * Large inputs the caller keeps cross to the worker in bands ahead of their dispatch
 * (src/protocol/staging.ts), the worker uploading each band while the next is copied:
 * arrays for plain buffers, and pixels (rows padded to 256 bytes) for textures. Results
 * are checked against plain-JS references computed in the page; `gpuStats().stagedUploads`
 * shows that the staged path (not the whole-copy one) ran. The tests ask for bands
 * (`inputBands: 'always'`): the default sends them only from 4 logical cores.
 */
import { expect, test } from './support/fixtures.ts';

/** y[i] = x[i] + 3, over a plain array<u32>: stageable (no layout). */
const ADD_THREE = /* wgsl */ `
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x + id.y * 65535u * 64u;
  if (i < arrayLength(&y)) { y[i] = x[i] + 3u; }
}`;

/** dst = src with red and blue swapped: exact for rgba8unorm, and any misplaced row shows. */
const SWAP_RED_BLUE = /* wgsl */ `
@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba8unorm, write>;
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let size = textureDimensions(dst);
  if (id.x >= size.x || id.y >= size.y) { return; }
  textureStore(dst, id.xy, textureLoad(src, id.xy, 0).bgra);
}`;

test('a 3 MiB array the caller keeps is staged in bands: the result matches the reference, the array is unchanged, and the next dispatch reuses the staging buffer', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const runtime = await window.vyre.createRuntime({ persistent: false, inputBands: 'always' });
    const { pipeline } = await runtime.compile(window.vyre.wgsl({ code }));
    // 3 MiB and 20 bytes: three whole 1 MiB bands and a short one.
    const n = 786_437;
    const x = new Uint32Array(n).map((_, i) => (i * 2_654_435_761) >>> 0);
    const wrong: string[] = [];
    const stats = [await runtime.gpuStats()];
    for (let round = 0; round < 2; round++) {
      const y = (await pipeline.dispatch({ x }, { outputs: { y: n } }))['y'] ?? new Uint32Array(0);
      if (y.length !== n) wrong.push(`round ${round}: ${y.length} outputs`);
      for (let i = 0; i < n; i++) if (y[i] !== ((x[i] ?? 0) + 3) >>> 0) { wrong.push(`round ${round}: y[${i}]`); break; }
      stats.push(await runtime.gpuStats());
    }
    const intact = x.length === n && x[n - 1] === ((n - 1) * 2_654_435_761) >>> 0;
    await runtime.dispose();
    return { wrong, intact, staged: stats.map((s) => s.stagedUploads), created: stats.map((s) => s.buffersCreated) };
  }, ADD_THREE);
  expect(result.wrong).toEqual([]);
  expect(result.intact).toBe(true);
  expect(result.staged).toEqual([0, 1, 2]);
  expect(result.created[2], 'the second dispatch takes every buffer from the pool').toBe(result.created[1]);
});

test('a batch of three large inputs stages each one, and each item gets its own result', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const runtime = await window.vyre.createRuntime({ persistent: false, inputBands: 'always' });
    const { pipeline } = await runtime.compile(window.vyre.wgsl({ code }));
    const n = 600_000; // 2.4 MB: three bands each
    const inputs = [10, 20, 30].map((base) => ({ x: new Uint32Array(n).map((_, i) => base * 1_000_000 + i) }));
    const outputs = await pipeline.dispatchBatch(inputs, { outputs: { y: n } });
    const ok = outputs.map((out, item) => Array.from(out['y'] ?? []).every((v, i) => v === (item + 1) * 10_000_000 + i + 3));
    const staged = (await runtime.gpuStats()).stagedUploads;
    await runtime.dispose();
    return { ok, staged };
  }, ADD_THREE);
  expect(result).toEqual({ ok: [true, true, true], staged: 3 });
});

test('with transfer: true a large array is moved whole, not staged, and detached', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const runtime = await window.vyre.createRuntime({ persistent: false, inputBands: 'always' });
    const { pipeline } = await runtime.compile(window.vyre.wgsl({ code }));
    const x = new Uint32Array(786_432).map((_, i) => i);
    const y = (await pipeline.dispatch({ x }, { transfer: true }))['y'] ?? new Uint32Array(0);
    const staged = (await runtime.gpuStats()).stagedUploads;
    await runtime.dispose();
    return { staged, detached: x.length === 0, last: y[786_431] };
  }, ADD_THREE);
  expect(result).toEqual({ staged: 0, detached: true, last: 786_434 });
});

test('a 1000×525 ImageData (rows of 4,000 bytes, padded to 4,096 in its bands) is staged and comes back exact through a texture shader', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const runtime = await window.vyre.createRuntime({ persistent: false, inputBands: 'always' });
    const { pipeline } = await runtime.compile(window.vyre.wgsl({ code }));
    const [width, height] = [1000, 525];
    const pixels = new Uint8ClampedArray(width * height * 4).map((_, i) => (i * 7 + (i >> 12)) & 255);
    const image = new ImageData(pixels, width, height);
    const out = (await pipeline.dispatch({ src: image } as never)) as unknown as Record<string, ImageData>;
    const dst = out['dst'];
    let firstWrong = -1;
    for (let i = 0; i < width * height * 4 && dst !== undefined; i++) {
      const channel = i % 4;
      const source = channel === 0 ? i + 2 : channel === 2 ? i - 2 : i;
      if (dst.data[i] !== pixels[source]) { firstWrong = i; break; }
    }
    const staged = (await runtime.gpuStats()).stagedUploads;
    await runtime.dispose();
    return { size: [dst?.width, dst?.height], firstWrong, staged, intact: image.data.length === width * height * 4 };
  }, SWAP_RED_BLUE);
  expect(result).toEqual({ size: [1000, 525], firstWrong: -1, staged: 1, intact: true });
});

test('staged pixels of the wrong size get invalid-input naming the binding; the staging buffer goes back to the pool and the runtime keeps serving', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const runtime = await window.vyre.createRuntime({ persistent: false, inputBands: 'always' });
    const { pipeline } = await runtime.compile(window.vyre.wgsl({ code }));
    // 1000×525 pixels' bytes, declared 999 wide: staged (whole rows of 4,000 bytes), then refused by planning.
    const bad = { data: new Uint8Array(1000 * 525 * 4), width: 999, height: 525 };
    const errors: { code: string; binding: unknown; fix: boolean }[] = [];
    const created: number[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await pipeline.dispatch({ src: bad } as never);
      } catch (error) {
        const e = error as { code: string; details: Record<string, unknown>; message: string };
        errors.push({ code: e.code, binding: e.details['binding'], fix: e.message.includes('Fix:') });
      }
      created.push((await runtime.gpuStats()).buffersCreated);
    }
    const good = (await pipeline.dispatch({ src: new ImageData(new Uint8ClampedArray(1000 * 525 * 4).fill(9), 1000, 525) } as never)) as unknown as Record<string, ImageData>;
    const stats = await runtime.gpuStats();
    await runtime.dispose();
    return { errors, created, goodPixel: good['dst']?.data[4 * 1234 + 1], staged: stats.stagedUploads };
  }, SWAP_RED_BLUE);
  expect(result.errors).toEqual([
    { code: 'invalid-input', binding: 'src', fix: true },
    { code: 'invalid-input', binding: 'src', fix: true },
  ]);
  expect(result.created[1], 'the second failed dispatch reuses the first one\'s staging buffer').toBe(result.created[0]);
  expect(result.goodPixel).toBe(9);
  expect(result.staged).toBe(3);
});

test('inputBands decides: never sends large inputs whole, auto sends bands only from 4 logical cores, anything else is invalid-input with a Fix', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const staged = async (inputBands: 'auto' | 'never'): Promise<number> => {
      const runtime = await window.vyre.createRuntime({ persistent: false, inputBands });
      const { pipeline } = await runtime.compile(window.vyre.wgsl({ code }));
      const y = (await pipeline.dispatch({ x: new Uint32Array(786_432).fill(4) }))['y'];
      if (y?.[786_431] !== 7) throw new Error('wrong result');
      const count = (await runtime.gpuStats()).stagedUploads;
      await runtime.dispose();
      return count;
    };
    let bad: { code: string; fix: boolean } | null = null;
    try {
      await window.vyre.createRuntime({ persistent: false, inputBands: 'sometimes' as never });
    } catch (error) {
      bad = { code: (error as { code: string }).code, fix: String((error as Error).message).includes('Fix:') };
    }
    return { never: await staged('never'), auto: await staged('auto'), manyCores: navigator.hardwareConcurrency >= 4, bad };
  }, ADD_THREE);
  expect(result.never).toBe(0);
  expect(result.auto).toBe(result.manyCores ? 1 : 0);
  expect(result.bad).toEqual({ code: 'invalid-input', fix: true });
});
