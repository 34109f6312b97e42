/**
 * The pure and GPU layers on a real GPU, under Node with Dawn (npm package `webgpu`):
 * compile latency cold and memory-tier, dispatch latency beside raw Dawn calls, and a
 * bandwidth-bound kernel's GB/s beside the card's measured buffer-copy bandwidth.
 * Built into .gpu/gpu-bench.mjs by scripts/build-gpu-bench.mjs; run with npm run bench:gpu (docs/benchmarks.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { lowerProgram } from '../../src/lower/lower-program.ts';
import type { ResidentBufferRef } from '../../src/protocol/resident.ts';
import { KERNEL_PROGRAMS } from '../browser/kernel-programs.ts';
import { saxpyX4 } from '../../src/kernels/index.ts';
import { interleaved, rawRig, scaleInPlace } from '../browser/dispatch-bench.ts';
import { summarize } from '../summary.ts';
import { createNodeEngine } from './node-engine.ts';

type Samples = Record<string, number[]>;
const samples: Samples = {};
const push = (key: string, value: number): void => void (samples[key] ??= []).push(value);
const log = (line: string): void => console.log(line);

const { gpu, engine } = await createNodeEngine('gpu-bench');
log(`adapter: ${engine.fingerprint.readable}`);
log(`limits: maxStorageBufferBindingSize ${engine.summary.limits.maxStorageBufferBindingSize}, features ${engine.summary.features.join(' ')}`);

// 1. Compile latency: cold (lowered + compiled), memory tier (full path, and the fast path by id).
const ids: string[] = [];
for (const { program } of KERNEL_PROGRAMS) {
  const report = await engine.compile(program);
  ids.push(report.pipelineId);
  push('compile: cold (lower + GPU compile) [ms]', report.timings.total);
}
for (let r = 0; r < 50; r++) {
  for (const [index, { program }] of KERNEL_PROGRAMS.entries()) {
    push('compile: memory tier, program validated and hashed again [ms]', (await engine.compile(structuredClone(program))).timings.total);
    push('compile: memory tier, known pipeline (client fast path) [ms]', (await engine.compileKnown(ids[index] ?? ''))?.timings.total ?? Number.NaN);
  }
}
{
  // Raw Dawn baseline: the same WGSL on a fresh device, first and second time.
  const device = await (await gpu.requestAdapter())?.requestDevice();
  if (!device) throw new Error('no device');
  for (const round of ['first', 'again'] as const) {
    for (const { program } of KERNEL_PROGRAMS) {
      const artifact = lowerProgram(program, program.workgroupSize);
      const started = performance.now();
      const module = device.createShaderModule({ code: artifact.code });
      await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: artifact.entryPoint } });
      push(`raw Dawn createComputePipelineAsync, ${round} [ms]`, performance.now() - started);
    }
  }
  device.destroy();
}

// 2. Dispatch latency: 4 KiB in, 4 KiB read back.
const scale = await engine.compile(scaleInPlace);
{
  const device = await (await gpu.requestAdapter())?.requestDevice();
  if (!device) throw new Error('no device');
  const x = Float32Array.from({ length: 1024 }, (_, i) => i / 8);
  const y = new Float32Array(1024);
  const raw = await rawRig(device, 1024);
  // In turns: each call after the other way's (block 1), and 50 calls of one way in a row
  // (block 50; Dawn serves back-to-back calls on one device much faster than a call that
  // follows work on another device, so both are reported).
  const ways = { raw: () => raw.roundTrip(x, y), engine: () => engine.dispatch(scale.pipelineId, [{ x, y }]) };
  for (const [block, rounds, warmup] of [[1, 1000, 20], [50, 20, 1]] as const) {
    const timed = await interleaved(ways, rounds, warmup, block);
    const how = block === 1 ? 'alternating' : 'back to back';
    for (const value of timed['raw'] ?? []) push(`dispatch 4 KiB + readback, ${how}: raw Dawn [ms]`, value);
    for (const value of timed['engine'] ?? []) push(`dispatch 4 KiB + readback, ${how}: vyre-web engine [ms]`, value);
  }
  // 1,000 chained dispatches over resident 4 KiB buffers, in turns with raw Dawn.
  const CHAIN = 1000;
  const xs = engine.createBuffer(x) as ResidentBufferRef;
  const ys = engine.createBuffer({ type: 'f32', length: 1024 }) as ResidentBufferRef;
  const tiny = engine.createBuffer({ type: 'f32', length: 1 }) as ResidentBufferRef;
  const chain = Array.from({ length: CHAIN }, () => ({ x: xs, y: ys }));
  raw.upload(x);
  for (let r = 0; r < 21; r++) {
    let t = performance.now();
    raw.submitOnly(CHAIN);
    await raw.drain();
    if (r > 0) push('1,000 chained dispatches: raw Dawn, one encoder [dispatches/s]', CHAIN / ((performance.now() - t) / 1000));
    t = performance.now();
    await engine.dispatch(scale.pipelineId, chain, { keep: ['y'] });
    await engine.readBuffer(tiny);
    if (r > 0) push('1,000 chained dispatches: vyre-web engine, one batch [dispatches/s]', CHAIN / ((performance.now() - t) / 1000));
  }
  for (const ref of [xs, ys, tiny]) engine.destroyBuffer(ref);
  raw.destroy();
  device.destroy();
}

// 3. Bandwidth: y = 2x + y over 256 MiB (reads x and y, writes y: 768 MiB per dispatch),
//    beside copyBufferToBuffer of 256 MiB (256 MiB read + 256 MiB written).
const MIB = 1024 * 1024;
const elements = (256 * MIB) / 4;
const xRef = engine.createBuffer({ type: 'f32', length: elements }) as ResidentBufferRef;
const yRef = engine.createBuffer({ type: 'f32', length: elements }) as ResidentBufferRef;
const marker = engine.createBuffer({ type: 'f32', length: 1 }) as ResidentBufferRef;
const BATCH = 20;
for (let r = 0; r < 6; r++) {
  const batch = Array.from({ length: BATCH }, () => ({ x: xRef, y: yRef }));
  const started = performance.now();
  await engine.dispatch(scale.pipelineId, batch, { keep: ['y'] });
  await engine.readBuffer(marker);
  const wall = performance.now() - started;
  // Timestamps in a separate run: writing them between passes is not free.
  const timed = await engine.dispatch(scale.pipelineId, batch, { keep: ['y'], timing: true });
  if (r === 0) continue;
  push('kernel 256 MiB, wall over 20 dispatches [GB/s]', (BATCH * 768 * MIB) / (wall / 1000) / 1e9);
  for (const gpuMs of timed.timing?.gpuMs ?? []) if (gpuMs !== null) push('kernel 256 MiB, GPU timestamps [GB/s]', (768 * MIB) / (gpuMs / 1000) / 1e9);
}
{
  // The library's vec4 saxpy (saxpyX4, exact) over the same buffers: y = alpha·x + y, 768 MiB moved.
  const saxpy4 = await engine.compile(saxpyX4);
  for (let r = 0; r < 6; r++) {
    const batch = Array.from({ length: BATCH }, () => ({ x: xRef, y: yRef }));
    const started = performance.now();
    await engine.dispatch(saxpy4.pipelineId, batch, { keep: ['y'], params: { alpha: 2 } });
    await engine.readBuffer(marker);
    if (r > 0) push('saxpyX4 256 MiB, wall over 20 dispatches [GB/s]', (BATCH * 768 * MIB) / ((performance.now() - started) / 1000) / 1e9);
  }
}
{
  // The same kernel, hand-written raw Dawn: 20 passes in one encoder, one tiny readback.
  const device = await (await gpu.requestAdapter())?.requestDevice({ requiredLimits: { maxBufferSize: 256 * MIB, maxStorageBufferBindingSize: 256 * MIB } });
  if (!device) throw new Error('no device');
  const raw = await rawRig(device, elements);
  for (let r = 0; r < 6; r++) {
    const started = performance.now();
    raw.submitOnly(BATCH);
    await raw.drain();
    if (r > 0) push('kernel 256 MiB, raw Dawn, wall over 20 dispatches [GB/s]', (BATCH * 768 * MIB) / ((performance.now() - started) / 1000) / 1e9);
  }
  raw.destroy();
  // A vec4 copy kernel: the bandwidth a shader can reach reading 256 MiB and writing 256 MiB.
  const module = device.createShaderModule({ code: `
    @group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
    @group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
    @compute @workgroup_size(256) fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) n: vec3u) {
      let i = id.x + id.y * n.x * 256u;
      if (i < arrayLength(&src)) { dst[i] = src[i]; }
    }` });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const usage = GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | GPUBufferUsage.STORAGE;
  const a = device.createBuffer({ size: 256 * MIB, usage });
  const b = device.createBuffer({ size: 256 * MIB, usage });
  const probe = device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: a } }, { binding: 1, resource: { buffer: b } }] });
  const workgroups = (256 * MIB) / 16 / 256;
  for (let r = 0; r < 6; r++) {
    const started = performance.now();
    const encoder = device.createCommandEncoder();
    for (let n = 0; n < BATCH; n++) {
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(Math.min(workgroups, 65535), Math.ceil(workgroups / 65535), 1);
      pass.end();
    }
    encoder.copyBufferToBuffer(b, 0, probe, 0, 4);
    device.queue.submit([encoder.finish()]);
    await probe.mapAsync(GPUMapMode.READ);
    probe.unmap();
    if (r > 0) push('vec4 copy kernel 256 MiB, raw Dawn, wall over 20 [GB/s]', (BATCH * 512 * MIB) / ((performance.now() - started) / 1000) / 1e9);
  }
  a.destroy();
  b.destroy();
  probe.destroy();
  const source = device.createBuffer({ size: 256 * MIB, usage });
  const target = device.createBuffer({ size: 256 * MIB, usage });
  const tiny = device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  for (let r = 0; r < 6; r++) {
    const started = performance.now();
    const encoder = device.createCommandEncoder();
    for (let n = 0; n < BATCH; n++) encoder.copyBufferToBuffer(source, 0, target, 0, 256 * MIB);
    encoder.copyBufferToBuffer(target, 0, tiny, 0, 4);
    device.queue.submit([encoder.finish()]);
    await tiny.mapAsync(GPUMapMode.READ);
    tiny.unmap();
    if (r > 0) push('copyBufferToBuffer 256 MiB, wall over 20 copies [GB/s]', (BATCH * 512 * MIB) / ((performance.now() - started) / 1000) / 1e9);
  }
  device.destroy();
}
engine.dispose();

const summary: Record<string, ReturnType<typeof summarize>> = {};
log('\n| measurement | n | median | p95 |\n|---|---:|---:|---:|');
for (const [name, values] of Object.entries(samples)) {
  const s = summarize(values.filter(Number.isFinite));
  summary[name] = s;
  const unit = name.includes('[ms]') ? (v: number) => (v < 1 ? `${(v * 1000).toFixed(1)} µs` : `${v.toFixed(2)} ms`) : (v: number) => v.toFixed(1);
  log(`| ${name.replace(/ \[ms\]$/, '')} | ${s.n} | ${unit(s.median)} | ${unit(s.p95)} |`);
}
const median = (name: string): number => summary[name]?.median ?? Number.NaN;
const kernel = median('kernel 256 MiB, wall over 20 dispatches [GB/s]');
log(`\nvyre-web kernel / raw Dawn same kernel: ${((kernel / median('kernel 256 MiB, raw Dawn, wall over 20 dispatches [GB/s]')) * 100).toFixed(1)}%`);
log(`vyre-web kernel / copyBufferToBuffer bandwidth: ${((kernel / median('copyBufferToBuffer 256 MiB, wall over 20 copies [GB/s]')) * 100).toFixed(1)}% (goal ≥ 85%)`);
log(`vyre-web kernel / vec4 copy-kernel bandwidth: ${((kernel / median('vec4 copy kernel 256 MiB, raw Dawn, wall over 20 [GB/s]')) * 100).toFixed(1)}%`);
log(`vyre-web saxpyX4 / vec4 copy-kernel bandwidth: ${((median('saxpyX4 256 MiB, wall over 20 dispatches [GB/s]') / median('vec4 copy kernel 256 MiB, raw Dawn, wall over 20 [GB/s]')) * 100).toFixed(1)}% (goal ≥ 85%)`);
for (const how of ['alternating', 'back to back']) {
  const small = median(`dispatch 4 KiB + readback, ${how}: vyre-web engine [ms]`) / median(`dispatch 4 KiB + readback, ${how}: raw Dawn [ms]`);
  log(`small dispatch (${how}), vyre-web engine / raw Dawn: ${small.toFixed(2)}×`);
}
const chained = median('1,000 chained dispatches: vyre-web engine, one batch [dispatches/s]') / median('1,000 chained dispatches: raw Dawn, one encoder [dispatches/s]');
log(`1,000 chained dispatches, vyre-web engine / raw Dawn throughput: ${chained.toFixed(2)}×`);
const out = process.env['OUT'] ?? 'bench-results';
mkdirSync(out, { recursive: true });
writeFileSync(`${out}/gpu-results.json`, JSON.stringify({ adapter: engine.fingerprint.readable, limits: engine.summary.limits, summary, samples }, null, 2));
log(`wrote ${out}/gpu-results.json`);
