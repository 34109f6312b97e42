/**
 * Images in, images out: image-processing shaders written as real ones are (a sampled
 * texture and a sampler in, a storage texture out, a uniform, two bind groups) against
 * plain-JS references (test/browser/image-corpus/), from each kind of input the library
 * takes (ImageData, raw pixels, ImageBitmap, OffscreenCanvas, canvas, <img>, VideoFrame, a
 * kept texture), a read_write storage texture that is both input and output, and every bad
 * input rejected with invalid-input while the runtime keeps serving.
 */
import type { HarnessPage } from './support/engine.ts';
import { expect, test } from './support/fixtures.ts';
import { ACCUMULATE_LUMA, BOX_BLUR, INVERT_RGBA8UINT, RESOLVE_MEAN, RGB_TO_YCBCR, SOBEL } from './image-corpus/shaders.ts';
import { accumulateLumaReference, boxBlurReference, compareImages, invertRgba8uintReference, resolveMeanReference, rgbToYcbcrReference, sobelReference, type R32uintImage, type RgbaImage } from './image-corpus/reference.ts';
import { testPicture } from './image-corpus/images.ts';
import { createProfile } from './support/persistent-browser.ts';

type InputKind = 'image-data' | 'raw' | 'bitmap' | 'offscreen-canvas' | 'canvas' | 'image-element' | 'video-frame';

interface ImageRun {
  readonly image: { readonly data: number[]; readonly width: number; readonly height: number; readonly isImageData: boolean; readonly format: string | null };
  readonly tiers: string[];
  readonly texturesCreated: number[];
  /** Whether the caller's input (the one object both dispatches took) still holds the picture afterwards: not detached, closed or emptied. */
  readonly sourceIntact: boolean;
}

/**
 * Compiles `code`, dispatches it twice on `picture` given as `kind` (the same input object
 * both times: the library copies it, never transfers or closes it), and returns output
 * `dst` as plain data.
 */
function runImageShader(page: HarnessPage, code: string, picture: RgbaImage, kind: InputKind, extra: { params?: Record<string, number>; format?: string } = {}): Promise<ImageRun> {
  return page.evaluate(
    async ({ code, pixels, width, height, kind, extra }) => {
      const vyre = window.vyre;
      const runtime = await vyre.createRuntime({ persistent: false });
      const bytes = Uint8ClampedArray.from(pixels);
      const imageData = new ImageData(bytes, width, height);
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [width, height];
      canvas.getContext('2d')?.putImageData(imageData, 0, 0);
      const source = async (): Promise<unknown> => {
        switch (kind) {
          case 'image-data': return imageData;
          case 'raw': return { data: new Uint8Array(bytes), width, height, ...(extra.format === undefined ? {} : { format: extra.format }) };
          case 'bitmap': return createImageBitmap(imageData, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
          case 'offscreen-canvas': {
            const offscreen = new OffscreenCanvas(width, height);
            offscreen.getContext('2d')?.putImageData(imageData, 0, 0);
            return offscreen;
          }
          case 'canvas': return canvas;
          case 'image-element': {
            // A same-origin PNG made here: the canvas encoded, loaded from an object URL.
            const png = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
            if (png === null) throw new Error('canvas.toBlob gave no PNG');
            const image = new Image();
            image.src = URL.createObjectURL(png);
            await image.decode();
            URL.revokeObjectURL(image.src);
            return image;
          }
          case 'video-frame': return new VideoFrame(canvas, { timestamp: 0 });
        }
      };
      /** Whether `value` still holds the whole picture: a transferred bitmap or ImageData is empty, a closed VideoFrame has no format. */
      const isIntact = (value: unknown): boolean => {
        if (typeof VideoFrame !== 'undefined' && value instanceof VideoFrame) return value.format !== null && value.displayWidth === width;
        if (value instanceof HTMLImageElement) return value.complete && value.naturalWidth === width;
        if (value instanceof ImageBitmap || value instanceof HTMLCanvasElement || value instanceof OffscreenCanvas) return value.width === width && value.height === height;
        return (value as { data: ArrayLike<number> }).data.length === width * height * 4;
      };
      const build = await runtime.compile(vyre.wgsl({ code }));
      const inputs = { src: await source(), ...(extra.params === undefined ? {} : { params: extra.params }) };
      const tiers = [build.tier];
      const first = await build.pipeline.dispatch(inputs as never);
      const texturesCreated = [(await runtime.gpuStats()).texturesCreated];
      // The second dispatch of the same shapes takes its textures from the pool.
      const second = await build.pipeline.dispatch(inputs as never);
      texturesCreated.push((await runtime.gpuStats()).texturesCreated);
      tiers.push((await runtime.compile(vyre.wgsl({ code }))).tier);
      const sourceIntact = isIntact(inputs.src);
      if (typeof VideoFrame !== 'undefined' && inputs.src instanceof VideoFrame) inputs.src.close(); // the caller's frame: closing it is the caller's job
      const out = (second as Record<string, unknown>)['dst'] as { data: ArrayLike<number>; width: number; height: number; format?: string };
      const same = Array.from(((first as Record<string, unknown>)['dst'] as { data: ArrayLike<number> }).data).join() === Array.from(out.data).join();
      await runtime.dispose();
      if (!same) throw new Error('two dispatches of the same input differ');
      return { image: { data: Array.from(out.data), width: out.width, height: out.height, isImageData: out instanceof ImageData, format: out.format ?? null }, tiers, texturesCreated, sourceIntact };
    },
    { code, pixels: Array.from(picture.data), width: picture.width, height: picture.height, kind, extra },
  );
}

function asImage(run: ImageRun): RgbaImage {
  return { data: Uint8ClampedArray.from(run.image.data), width: run.image.width, height: run.image.height };
}

/** An opaque copy of `picture`: a canvas premultiplies alpha, which would change translucent pixels. */
function opaque(picture: RgbaImage): RgbaImage {
  const data = Uint8ClampedArray.from(picture.data);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { data, width: picture.width, height: picture.height };
}

test('a box blur (sampler + texture_2d in group 0, storage texture + uniform in group 1) matches the reference within one 8-bit step, from ImageData, to ImageData', async ({ vyrePage }) => {
  const picture = testPicture(37, 23, 1);
  const run = await runImageShader(vyrePage, BOX_BLUR, picture, 'image-data', { params: { radius: 2, _pad0: 0, _pad1: 0, _pad2: 0 } });
  expect(run.image.isImageData).toBe(true);
  expect([run.image.width, run.image.height]).toEqual([37, 23]);
  const comparison = compareImages(asImage(run), boxBlurReference(picture, 2), 1);
  expect(comparison.first).toEqual([]);
  expect(run.tiers).toEqual(['compiled', 'memory']);
  expect(run.texturesCreated[1], 'textures reused by the second dispatch').toBe(run.texturesCreated[0]);
});

test('a Sobel edge filter matches the reference within one 8-bit step, from raw pixels { data, width, height }', async ({ vyrePage }) => {
  const picture = testPicture(64, 48, 2);
  const run = await runImageShader(vyrePage, SOBEL, picture, 'raw', { params: { scale: 0.5, _pad0: 0, _pad1: 0, _pad2: 0 } });
  const reference = sobelReference(picture, 0.5);
  expect(compareImages(asImage(run), reference, 1).first).toEqual([]);
  // Not a flat image: the edges of the picture are there.
  expect(reference.data.some((value, i) => i % 4 === 0 && value > 100)).toBe(true);
});

// Opaque: Firefox keeps a bitmap premultiplied even with premultiplyAlpha 'none', so the
// colour of a translucent pixel came back up to 4 steps off there (Chrome kept it exact).
test('an RGB → YCbCr conversion matches the reference within one 8-bit step, from an opaque ImageBitmap (copyExternalImageToTexture)', async ({ vyrePage }) => {
  const picture = opaque(testPicture(37, 23, 3));
  const run = await runImageShader(vyrePage, RGB_TO_YCBCR, picture, 'bitmap');
  expect(run.sourceIntact, 'the bitmap was cloned, not transferred').toBe(true);
  expect(compareImages(asImage(run), rgbToYcbcrReference(picture), 1).first).toEqual([]);
});

test('an OffscreenCanvas input is copied into an ImageBitmap on the main thread and matches the reference', async ({ vyrePage }) => {
  const picture = opaque(testPicture(30, 17, 4));
  const run = await runImageShader(vyrePage, RGB_TO_YCBCR, picture, 'offscreen-canvas');
  expect(compareImages(asImage(run), rgbToYcbcrReference(picture), 1).first).toEqual([]);
});

test('an HTMLCanvasElement input is copied into an ImageBitmap on the main thread, stays the caller\'s, and matches the reference', async ({ vyrePage }) => {
  const picture = opaque(testPicture(30, 17, 12));
  const run = await runImageShader(vyrePage, RGB_TO_YCBCR, picture, 'canvas');
  expect(run.sourceIntact).toBe(true);
  expect(compareImages(asImage(run), rgbToYcbcrReference(picture), 1).first).toEqual([]);
});

test('an HTMLImageElement of a same-origin PNG (made in the page, loaded from an object URL) is blurred to match the reference', async ({ vyrePage }) => {
  // Opaque: the PNG is encoded from a 2D canvas, which keeps colour premultiplied.
  const picture = opaque(testPicture(37, 23, 13));
  const run = await runImageShader(vyrePage, BOX_BLUR, picture, 'image-element', { params: { radius: 2, _pad0: 0, _pad1: 0, _pad2: 0 } });
  expect(run.sourceIntact).toBe(true);
  expect(compareImages(asImage(run), boxBlurReference(picture, 2), 1).first).toEqual([]);
  expect(run.texturesCreated[1], 'textures reused by the second dispatch').toBe(run.texturesCreated[0]);
});

test('a VideoFrame input is copied, not transferred: the caller\'s frame stays open for both dispatches, and the result matches the reference', async ({ vyrePage }) => {
  const picture = opaque(testPicture(30, 17, 14));
  const run = await runImageShader(vyrePage, RGB_TO_YCBCR, picture, 'video-frame');
  expect(run.sourceIntact, 'the frame is still open after both dispatches').toBe(true);
  expect(compareImages(asImage(run), rgbToYcbcrReference(picture), 1).first).toEqual([]);
});

test('an integer image (rgba8uint in and out) matches the reference exactly and comes back raw, not as ImageData', async ({ vyrePage }) => {
  const picture = testPicture(37, 23, 5);
  const run = await runImageShader(vyrePage, INVERT_RGBA8UINT, picture, 'raw');
  expect(run.image.isImageData).toBe(false);
  expect(run.image.format).toBe('rgba8uint');
  expect(compareImages(asImage(run), invertRgba8uintReference(picture), 0).first).toEqual([]);
});

interface AccumulateRun {
  /** The `sum` read back after each pooled dispatch, and its format. */
  readonly pooled: { readonly data: number[]; readonly format: string }[];
  readonly texturesCreated: number[];
  /** What the kept dispatch returned for `sum`: its class, size and format. */
  readonly kept: { readonly kind: string; readonly width: number; readonly height: number; readonly format: string };
  /** The kept sum resolved to its mean (`RESOLVE_MEAN`), as RGBA bytes. */
  readonly mean: number[];
}

/**
 * Runs `ACCUMULATE_LUMA` three times: `frames[0]` then `frames[1]` onto `starts[0]` and
 * `starts[1]`, pooled and read back, then `frames[2]` onto `starts[2]` kept on the GPU and
 * resolved over `frameCount` frames by `RESOLVE_MEAN`.
 */
function runAccumulate(page: HarnessPage, frames: readonly RgbaImage[], starts: readonly R32uintImage[], frameCount: number): Promise<AccumulateRun> {
  return page.evaluate(
    async ({ accumulate, resolve, frames, starts, width, height, frameCount }) => {
      const vyre = window.vyre;
      const runtime = await vyre.createRuntime({ persistent: false });
      const accumulator = (await runtime.compile(vyre.wgsl({ code: accumulate }))).pipeline;
      const resolver = (await runtime.compile(vyre.wgsl({ code: resolve }))).pipeline;
      const inputs = (i: number) => ({ frame: { data: Uint8Array.from(frames[i] ?? []), width, height }, sum: { data: Uint32Array.from(starts[i] ?? []), width, height } });
      const pooled: { data: number[]; format: string }[] = [];
      const texturesCreated: number[] = [];
      for (const i of [0, 1]) {
        const sum = ((await accumulator.dispatch(inputs(i) as never)) as unknown as Record<string, { data: Uint32Array; format: string }>)['sum'];
        pooled.push({ data: Array.from(sum?.data ?? []), format: sum?.format ?? 'none' });
        texturesCreated.push((await runtime.gpuStats()).texturesCreated);
      }
      const kept = ((await accumulator.dispatch(inputs(2) as never, { keep: ['sum'] })) as unknown as Record<string, { width: number; height: number; format: string; destroy(): Promise<void> }>)['sum'];
      if (kept === undefined) throw new Error('the kept dispatch returned no sum');
      const params = { frames: frameCount, _pad0: 0, _pad1: 0, _pad2: 0 };
      const mean = ((await resolver.dispatch({ sum: kept, params } as never)) as unknown as Record<string, ImageData>)['dst'];
      await kept.destroy();
      await runtime.dispose();
      return { pooled, texturesCreated, kept: { kind: kept.constructor.name, width: kept.width, height: kept.height, format: kept.format }, mean: Array.from(mean?.data ?? []) };
    },
    { accumulate: ACCUMULATE_LUMA, resolve: RESOLVE_MEAN, frames: frames.map((frame) => Array.from(frame.data)), starts: starts.map((start) => Array.from(start.data)), width: frames[0]?.width ?? 0, height: frames[0]?.height ?? 0, frameCount },
  );
}

test('a read_write storage texture (r32uint) starts from its input and is read back, pooled and refilled, or kept; matches the reference exactly', async ({ vyrePage }) => {
  const [width, height] = [37, 23];
  const zero: R32uintImage = { data: new Uint32Array(width * height), width, height };
  // The sum after one earlier frame: no texel of a fresh texture (all zero) holds it by chance.
  const earlier = accumulateLumaReference(zero, testPicture(width, height, 15));
  // Inverted, the second frame's luma is far from the first's: a pooled texture left holding the first sum would show.
  const frames = [testPicture(width, height, 16), invertRgba8uintReference(testPicture(width, height, 17)), testPicture(width, height, 18)];
  const afterFirst = accumulateLumaReference(earlier, frames[0] as RgbaImage);
  // The kept dispatch starts from the first sum, not the second (which the pooled texture last held).
  const run = await runAccumulate(vyrePage, frames, [earlier, earlier, afterFirst], 3);
  expect(run.pooled.map((sum) => sum.format)).toEqual(['r32uint', 'r32uint']);
  expect(run.pooled[0]?.data, 'the first sum, from a new texture').toEqual(Array.from(afterFirst.data));
  expect(run.pooled[1]?.data, 'the second sum, from the pooled texture refilled').toEqual(Array.from(accumulateLumaReference(earlier, frames[1] as RgbaImage).data));
  expect(run.texturesCreated[1], 'the second dispatch took its textures from the pool').toBe(run.texturesCreated[0]);
  expect(run.kept).toEqual({ kind: 'ResidentTexture', width, height, format: 'r32uint' });
  const mean = resolveMeanReference(accumulateLumaReference(afterFirst, frames[2] as RgbaImage), 3);
  expect(compareImages({ data: Uint8ClampedArray.from(run.mean), width, height }, mean, 1).first).toEqual([]);
});

/** The static server: another origin than the page's, which sends no CORS headers. */
const OTHER_ORIGIN = `http://localhost:${Number(process.env.VYRE_TEST_PORT ?? 5183) + 1}`;

test('bad image inputs are each rejected with invalid-input, a Fix and the binding named; nothing leaks and the runtime keeps serving', async ({ vyrePage }) => {
  const picture = testPicture(16, 8, 6);
  const result = await vyrePage.evaluate(
    async ({ blur, invert, pixels, width, height, imageUrl }) => {
      const vyre = window.vyre;
      const runtime = await vyre.createRuntime({ persistent: false });
      const blurPipeline = (await runtime.compile(vyre.wgsl({ code: blur }))).pipeline;
      const invertPipeline = (await runtime.compile(vyre.wgsl({ code: invert }))).pipeline;
      const params = { radius: 1, _pad0: 0, _pad1: 0, _pad2: 0 };
      const good = () => blurPipeline.dispatch({ src: new ImageData(Uint8ClampedArray.from(pixels), width, height), params } as never);
      await good();
      const texturesAfterFirst = (await runtime.gpuStats()).texturesCreated;
      const image = new Image();
      image.src = imageUrl; // another origin, no CORS: a tainted image
      await image.decode();
      const closed = await createImageBitmap(new ImageData(width, height));
      closed.close();
      const closedFrame = new VideoFrame(await createImageBitmap(new ImageData(width, height)), { timestamp: 0 });
      closedFrame.close();
      const taintedCanvas = document.createElement('canvas');
      taintedCanvas.width = 4;
      taintedCanvas.height = 4;
      taintedCanvas.getContext('2d')?.drawImage(image, 0, 0);
      const cases: Record<string, () => Promise<unknown>> = {
        'raw pixels of the wrong length': () => blurPipeline.dispatch({ src: { data: new Uint8Array(10), width, height }, params } as never),
        'a size that is not a positive integer': () => blurPipeline.dispatch({ src: { data: new Uint8Array(0), width: 0, height }, params } as never),
        'a format the binding cannot read (rgba32float into texture_2d<u32>)': () => invertPipeline.dispatch({ src: { data: new Float32Array(width * height * 4), width, height } } as never),
        'an unknown format name': () => blurPipeline.dispatch({ src: { data: new Uint8Array(width * height * 4), width, height, format: 'rgba9unorm' }, params } as never),
        'an ImageBitmap for an integer texture': async () => invertPipeline.dispatch({ src: await createImageBitmap(new ImageData(width, height)) } as never),
        'no input for a texture': () => blurPipeline.dispatch({ params } as never),
        'an input for the written storage texture': () => blurPipeline.dispatch({ src: new ImageData(width, height), dst: new ImageData(width, height), params } as never),
        'an unknown sampler setting': () => blurPipeline.dispatch({ src: new ImageData(width, height), params } as never, { samplers: { samp: { filter: 'linear' } } } as never),
        'a sampler setting WebGPU does not know': () => blurPipeline.dispatch({ src: new ImageData(width, height), params } as never, { samplers: { samp: { magFilter: 'cubic' } } } as never),
        'a bad output size': () => blurPipeline.dispatch({ src: new ImageData(width, height), params } as never, { outputs: { dst: { width: -1, height: 2 } } }),
        'a tainted (cross-origin) image': () => blurPipeline.dispatch({ src: image, params } as never),
        'a closed ImageBitmap': () => blurPipeline.dispatch({ src: closed, params } as never),
        'a closed VideoFrame': () => blurPipeline.dispatch({ src: closedFrame, params } as never),
        'a canvas tainted by a cross-origin image': () => blurPipeline.dispatch({ src: taintedCanvas, params } as never),
      };
      const outcomes: Record<string, { code: string; message: string; binding: unknown } | string> = {};
      for (const [name, run] of Object.entries(cases)) {
        try {
          await run();
          outcomes[name] = 'resolved';
        } catch (error) {
          outcomes[name] = vyre.isVyreError(error) ? { code: error.code, message: error.message, binding: error.details['binding'] } : `not a VyreError: ${String(error)}`;
        }
      }
      const after = await good();
      const texturesAfterAll = (await runtime.gpuStats()).texturesCreated;
      await runtime.dispose();
      return { outcomes, served: (after as unknown as Record<string, { width: number }>)['dst']?.width, texturesAfterFirst, texturesAfterAll };
    },
    { blur: BOX_BLUR, invert: INVERT_RGBA8UINT, pixels: Array.from(picture.data), width: picture.width, height: picture.height, imageUrl: `${OTHER_ORIGIN}/test/browser/pages/pixels-4x4.png` },
  );
  expect(Object.entries(result.outcomes).filter(([, outcome]) => typeof outcome === 'string')).toEqual([]);
  for (const [name, outcome] of Object.entries(result.outcomes)) {
    expect(outcome, name).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/Fix: /) });
    if (typeof outcome === 'object') expect(['src', 'dst', 'samp'], `${name}: ${outcome.message}`).toContain(outcome.binding);
  }
  expect(result.served).toBe(16);
  // Every texture a failed dispatch took went back to the pool: the last good dispatch made none.
  expect(result.texturesAfterAll).toBe(result.texturesAfterFirst);
});

test('a 3-step chain (blur → YCbCr → blur) keeps its textures on the GPU between steps and matches the composed references; a destroyed texture is refused', async ({ vyrePage }) => {
  const picture = testPicture(37, 23, 7);
  const result = await vyrePage.evaluate(
    async ({ blur, ycbcr, pixels, width, height }) => {
      const vyre = window.vyre;
      const runtime = await vyre.createRuntime({ persistent: false });
      const blurPipeline = (await runtime.compile(vyre.wgsl({ code: blur }))).pipeline;
      const ycbcrPipeline = (await runtime.compile(vyre.wgsl({ code: ycbcr }))).pipeline;
      const params = { radius: 1, _pad0: 0, _pad1: 0, _pad2: 0 };
      const step1 = (await blurPipeline.dispatch({ src: new ImageData(Uint8ClampedArray.from(pixels), width, height), params } as never, { keep: ['dst'] })) as unknown as Record<string, unknown>;
      const kept1 = step1['dst'];
      const step2 = (await ycbcrPipeline.dispatch({ src: kept1 } as never, { keep: ['dst'] })) as unknown as Record<string, unknown>;
      const kept2 = step2['dst'];
      const step3 = (await blurPipeline.dispatch({ src: kept2, params } as never)) as unknown as Record<string, ImageData>;
      const kinds = [kept1, kept2].map((value) => (value instanceof ImageData ? 'ImageData' : (value as { constructor: { name: string } }).constructor.name));
      const sizes = [kept1, kept2].map((value) => [(value as { width: number }).width, (value as { height: number }).height, (value as { format: string }).format]);
      await (kept1 as { destroy(): Promise<void> }).destroy();
      let afterDestroy = 'resolved';
      try {
        await ycbcrPipeline.dispatch({ src: kept1 } as never);
      } catch (error) {
        afterDestroy = vyre.isVyreError(error) ? `${error.code}: ${error.message}` : String(error);
      }
      await (kept2 as { destroy(): Promise<void> }).destroy();
      const final = step3['dst'];
      await runtime.dispose();
      return { kinds, sizes, afterDestroy, final: final === undefined ? null : { data: Array.from(final.data), width: final.width, height: final.height } };
    },
    { blur: BOX_BLUR, ycbcr: RGB_TO_YCBCR, pixels: Array.from(picture.data), width: picture.width, height: picture.height },
  );
  expect(result.kinds).toEqual(['ResidentTexture', 'ResidentTexture']);
  expect(result.sizes).toEqual([[37, 23, 'rgba8unorm'], [37, 23, 'rgba8unorm']]);
  expect(result.afterDestroy).toMatch(/^invalid-input: .*destroyed.*Fix: /);
  const expected = boxBlurReference(rgbToYcbcrReference(boxBlurReference(picture, 1)), 1);
  // Each step rounds to 8 bits; a one-step difference after step 1 or 2 can move the last blur by one more.
  expect(result.final).not.toBeNull();
  if (result.final !== null) expect(compareImages({ ...result.final, data: Uint8ClampedArray.from(result.final.data) }, expected, 2).first).toEqual([]);
});

test('with transfer: true an ImageBitmap moves to the worker without a copy (the caller\'s is detached), with the same result', async ({ vyrePage }) => {
  const picture = opaque(testPicture(20, 12, 8));
  const result = await vyrePage.evaluate(
    async ({ code, pixels, width, height }) => {
      const vyre = window.vyre;
      const runtime = await vyre.createRuntime({ persistent: false });
      const { pipeline } = await runtime.compile(vyre.wgsl({ code }));
      const bitmap = () => createImageBitmap(new ImageData(Uint8ClampedArray.from(pixels), width, height), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
      const copied = await bitmap();
      const moved = await bitmap();
      const a = ((await pipeline.dispatch({ src: copied } as never)) as unknown as Record<string, ImageData>)['dst'];
      const b = ((await pipeline.dispatch({ src: moved } as never, { transfer: true })) as unknown as Record<string, ImageData>)['dst'];
      await runtime.dispose();
      return { same: Array.from(a?.data ?? []).join() === Array.from(b?.data ?? []).join(), copiedWidth: copied.width, movedWidth: moved.width };
    },
    { code: RGB_TO_YCBCR, pixels: Array.from(picture.data), width: picture.width, height: picture.height },
  );
  expect(result).toEqual({ same: true, copiedWidth: 20, movedWidth: 0 });
});

test('after a browser restart an image pipeline comes from the persistent tier, with its texture bindings, and gives the same pixels', async () => {
  test.setTimeout(120_000);
  const picture = testPicture(24, 16, 9);
  const profile = createProfile();
  const run = async () => {
    const browser = await profile.launch();
    try {
      return await browser.page.evaluate(
        async ({ code, pixels, width, height }) => {
          const vyre = window.vyre;
          const runtime = await vyre.createRuntime({ persistent: { dbName: 'vyre-images-restart' } });
          const build = await runtime.compile(vyre.wgsl({ code }));
          const out = ((await build.pipeline.dispatch({ src: new ImageData(Uint8ClampedArray.from(pixels), width, height), params: { radius: 1, _pad0: 0, _pad1: 0, _pad2: 0 } } as never)) as unknown as Record<string, ImageData>)['dst'];
          await runtime.dispose();
          return { tier: build.tier, pixels: Array.from(out?.data ?? []) };
        },
        { code: BOX_BLUR, pixels: Array.from(picture.data), width: picture.width, height: picture.height },
      );
    } finally {
      await browser.close();
    }
  };
  try {
    const first = await run();
    const second = await run();
    expect([first.tier, second.tier]).toEqual(['compiled', 'persistent']);
    expect(second.pixels).toEqual(first.pixels);
    expect(compareImages({ data: Uint8ClampedArray.from(second.pixels), width: 24, height: 16 }, boxBlurReference(picture, 1), 1).first).toEqual([]);
  } finally {
    profile.remove();
  }
});

test("imageOutputs picks ImageBitmap or raw texels, and options.outputs sizes the output texture (the grid follows it)", async ({ vyrePage }) => {
  const picture = testPicture(20, 12, 10);
  const result = await vyrePage.evaluate(
    async ({ code, pixels, width, height }) => {
      const vyre = window.vyre;
      const runtime = await vyre.createRuntime({ persistent: false });
      const { pipeline } = await runtime.compile(vyre.wgsl({ code }));
      const src = () => new ImageData(Uint8ClampedArray.from(pixels), width, height);
      const dst = (outputs: unknown) => (outputs as Record<string, unknown>)['dst'];
      const bitmap = dst(await pipeline.dispatch({ src: src() } as never, { imageOutputs: 'bitmap' })) as ImageBitmap;
      const raw = dst(await pipeline.dispatch({ src: src() } as never, { imageOutputs: 'raw' })) as { data: Uint8Array; width: number; height: number; format: string };
      const small = dst(await pipeline.dispatch({ src: src() } as never, { outputs: { dst: { width: 10, height: 6 } } })) as ImageData;
      await runtime.dispose();
      return {
        bitmap: { isBitmap: bitmap instanceof ImageBitmap, width: bitmap.width, height: bitmap.height },
        raw: { isImageData: (raw as unknown) instanceof ImageData, array: raw.data.constructor.name, width: raw.width, height: raw.height, format: raw.format, data: Array.from(raw.data) },
        small: { width: small.width, height: small.height, data: Array.from(small.data) },
      };
    },
    { code: RGB_TO_YCBCR, pixels: Array.from(picture.data), width: picture.width, height: picture.height },
  );
  expect(result.bitmap).toEqual({ isBitmap: true, width: 20, height: 12 });
  expect(result.raw).toMatchObject({ isImageData: false, array: 'Uint8Array', width: 20, height: 12, format: 'rgba8unorm' });
  const reference = rgbToYcbcrReference(picture);
  expect(compareImages({ data: Uint8ClampedArray.from(result.raw.data), width: 20, height: 12 }, reference, 1).first).toEqual([]);
  // The top-left 10×6 of the full conversion: the shader reads src at the output texel's coordinates.
  const corner = new Uint8ClampedArray(10 * 6 * 4);
  for (let y = 0; y < 6; y++) corner.set(reference.data.subarray(y * 20 * 4, y * 20 * 4 + 40), y * 40);
  expect([result.small.width, result.small.height]).toEqual([10, 6]);
  expect(compareImages({ data: Uint8ClampedArray.from(result.small.data), width: 10, height: 6 }, { data: corner, width: 10, height: 6 }, 1).first).toEqual([]);
});

test("with transfer: true an ImageData's pixels move to the worker (the caller's are detached), with the same result", async ({ vyrePage }) => {
  const picture = testPicture(20, 12, 11);
  const result = await vyrePage.evaluate(
    async ({ code, pixels, width, height }) => {
      const vyre = window.vyre;
      const runtime = await vyre.createRuntime({ persistent: false });
      const { pipeline } = await runtime.compile(vyre.wgsl({ code }));
      const copied = new ImageData(Uint8ClampedArray.from(pixels), width, height);
      const moved = new ImageData(Uint8ClampedArray.from(pixels), width, height);
      const a = ((await pipeline.dispatch({ src: copied } as never)) as unknown as Record<string, ImageData>)['dst'];
      const b = ((await pipeline.dispatch({ src: moved } as never, { transfer: true })) as unknown as Record<string, ImageData>)['dst'];
      await runtime.dispose();
      return { same: Array.from(a?.data ?? []).join() === Array.from(b?.data ?? []).join(), copiedBytes: copied.data.byteLength, movedBytes: moved.data.byteLength };
    },
    { code: RGB_TO_YCBCR, pixels: Array.from(picture.data), width: picture.width, height: picture.height },
  );
  expect(result).toEqual({ same: true, copiedBytes: 20 * 12 * 4, movedBytes: 0 });
});

test('a chain of kept textures is validated once: after the first rounds no step waits on a validation scope, though the pool hands out new textures', async ({ vyrePage }) => {
  const picture = opaque(testPicture(24, 16, 21));
  const result = await vyrePage.evaluate(
    async ({ code, pixels, width, height }) => {
      const vyre = window.vyre;
      const runtime = await vyre.createRuntime({ persistent: false });
      const { pipeline } = await runtime.compile(vyre.wgsl({ code }));
      const params = { radius: 1, _pad0: 0, _pad1: 0, _pad2: 0 };
      const validated: number[] = [];
      const created: number[] = [];
      for (let round = 0; round < 4; round++) {
        let current: unknown = new ImageData(Uint8ClampedArray.from(pixels), width, height);
        const kept: { destroy(): Promise<void> }[] = [];
        // Twenty kept steps: more than the pool keeps idle per class (16), so some textures are new every round.
        for (let step = 0; step < 20; step++) {
          current = ((await pipeline.dispatch({ src: current, params } as never, { keep: ['dst'] })) as unknown as Record<string, { destroy(): Promise<void> }>)['dst'];
          kept.push(current as { destroy(): Promise<void> });
        }
        await Promise.all(kept.map((texture) => texture.destroy()));
        const stats = await runtime.gpuStats();
        validated.push(stats.validatedSubmits);
        created.push(stats.texturesCreated);
      }
      await runtime.dispose();
      return { validated, created };
    },
    { code: BOX_BLUR, pixels: Array.from(picture.data), width: picture.width, height: picture.height },
  );
  // Textures keep being created (the pool keeps 16 idle of this size), so bind groups are new every round…
  expect(result.created[3]).toBeGreaterThan(result.created[1] ?? 0);
  // …but their shapes were validated in the first round: the last two rounds add no scope.
  expect(result.validated[3]).toBe(result.validated[1]);
});

test('a chain in one dispatchBatch: previousOutput binds the last item\'s output on the GPU, in one submit; only the last output comes back, equal to three dispatches one by one', async ({ vyrePage }) => {
  const picture = testPicture(29, 19, 22);
  const result = await vyrePage.evaluate(
    async ({ blur, pixels, width, height }) => {
      const vyre = window.vyre;
      const runtime = await vyre.createRuntime({ persistent: false });
      const { pipeline } = await runtime.compile(vyre.wgsl({ code: blur }));
      const params = { radius: 1, _pad0: 0, _pad1: 0, _pad2: 0 };
      const image = () => new ImageData(Uint8ClampedArray.from(pixels), width, height);
      const submitsBefore = (await runtime.gpuStats()).submits;
      const chained = (await pipeline.dispatchBatch([{ src: image(), params }, { src: vyre.previousOutput('dst'), params }, { src: vyre.previousOutput('dst'), params }] as never)) as unknown as Record<string, ImageData>[];
      const submits = (await runtime.gpuStats()).submits - submitsBefore;
      // The same three blurs one by one, each read back and sent again.
      let current: ImageData = image();
      for (let step = 0; step < 3; step++) current = ((await pipeline.dispatch({ src: current, params } as never)) as unknown as Record<string, ImageData>)['dst'] as ImageData;
      const last = chained[2]?.['dst'];
      await runtime.dispose();
      return {
        submits,
        namesPerItem: chained.map((outputs) => Object.keys(outputs)),
        same: last !== undefined && last.width === current.width && Array.from(last.data).join() === Array.from(current.data).join(),
        last: last === undefined ? null : { data: Array.from(last.data), width: last.width, height: last.height },
      };
    },
    { blur: BOX_BLUR, pixels: Array.from(picture.data), width: picture.width, height: picture.height },
  );
  expect(result.submits).toBe(1);
  expect(result.namesPerItem).toEqual([[], [], ['dst']]);
  expect(result.same).toBe(true);
  const expected = boxBlurReference(boxBlurReference(boxBlurReference(picture, 1), 1), 1);
  expect(result.last).not.toBeNull();
  if (result.last !== null) expect(compareImages({ ...result.last, data: Uint8ClampedArray.from(result.last.data) }, expected, 2).first).toEqual([]);
});

test('previousOutput in the first item of a batch, naming no written texture, or in a single dispatch is refused with invalid-input and a Fix; the runtime keeps serving', async ({ vyrePage }) => {
  const outcomes = await vyrePage.evaluate(async ({ blur }) => {
    const vyre = window.vyre;
    const runtime = await vyre.createRuntime({ persistent: false });
    const { pipeline } = await runtime.compile(vyre.wgsl({ code: blur }));
    const params = { radius: 1, _pad0: 0, _pad1: 0, _pad2: 0 };
    const image = new ImageData(4, 4);
    const cases: Record<string, () => Promise<unknown>> = {
      'first item': () => pipeline.dispatchBatch([{ src: vyre.previousOutput('dst'), params }] as never),
      'a name the shader does not write': () => pipeline.dispatchBatch([{ src: image, params }, { src: vyre.previousOutput('src'), params }] as never),
      'a single dispatch': () => pipeline.dispatch({ src: vyre.previousOutput('dst'), params } as never),
    };
    const seen: Record<string, string> = {};
    for (const [name, run] of Object.entries(cases)) {
      try {
        await run();
        seen[name] = 'resolved';
      } catch (error) {
        seen[name] = vyre.isVyreError(error) ? `${error.code}: ${error.message}` : String(error);
      }
    }
    const after = (await pipeline.dispatch({ src: image, params } as never)) as unknown as Record<string, ImageData>;
    await runtime.dispose();
    return { seen, served: after['dst']?.width ?? null };
  }, { blur: BOX_BLUR });
  for (const [name, outcome] of Object.entries(outcomes.seen)) expect(outcome, name).toMatch(/^invalid-input: .*previousOutput.*Fix: /s);
  expect(outcomes.served).toBe(4);
});
