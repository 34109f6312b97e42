/**
 * Compile latency per tier over the kernel library, seen inside the worker (the build's
 * own `timings.total`) and from the main thread (wall time around `runtime.compile`),
 * with raw `createComputePipelineAsync` of the same WGSL on the main thread as the
 * baseline; and persistent-store lookup latency with 10,000 records.
 */
import * as vyre from '../../test/support/vyre-all.ts';
import { lowerProgram } from '../../src/lower/lower-program.ts';
import { createManifest } from '../../src/pipeline/manifest.ts';
import { openIndexedDbStore } from '../../src/store/indexeddb-store.ts';
import { KERNEL_PROGRAMS } from './kernel-programs.ts';

type Samples = Record<string, number[]>;

function push(samples: Samples, key: string, value: number): void {
  (samples[key] ??= []).push(value);
}

export async function compileTiers(repetitions: number): Promise<{ samples: Samples; device: string }> {
  const samples: Samples = {};
  const dbName = `bench-tiers-${Date.now()}`;
  let runtime = await vyre.createRuntime({ persistent: { dbName } });
  const device = runtime.deviceFingerprint.readable;
  for (const { program } of KERNEL_PROGRAMS) {
    const started = performance.now();
    const build = await runtime.compile(program);
    push(samples, 'compiled: main thread', performance.now() - started);
    push(samples, 'compiled: in worker', build.timings.total);
  }
  for (let r = 0; r < repetitions; r++) {
    for (const { program } of KERNEL_PROGRAMS) {
      const started = performance.now();
      const build = await runtime.compile(program);
      push(samples, 'memory: main thread', performance.now() - started);
      push(samples, 'memory: in worker', build.timings.total);
    }
  }
  // The same programs as unfrozen copies: no client fast path, so the worker validates and hashes each time.
  for (let r = 0; r < repetitions; r++) {
    for (const { program } of KERNEL_PROGRAMS) {
      const copy = structuredClone(program);
      const started = performance.now();
      const build = await runtime.compile(copy);
      push(samples, 'memory, unfrozen copy: main thread', performance.now() - started);
      push(samples, 'memory, unfrozen copy: in worker', build.timings.total);
    }
  }
  await runtime.dispose();
  // A new runtime on the same database: every kernel comes from the persistent tier.
  runtime = await vyre.createRuntime({ persistent: { dbName } });
  for (const { program } of KERNEL_PROGRAMS) {
    const started = performance.now();
    const build = await runtime.compile(program);
    push(samples, 'persistent: main thread', performance.now() - started);
    push(samples, 'persistent: in worker', build.timings.total);
    push(samples, 'persistent: store read', build.timings.storeRead);
  }
  await runtime.dispose();
  // Baseline: the same WGSL compiled with raw WebGPU on the main thread, fresh device.
  const adapter = await navigator.gpu.requestAdapter();
  const gpuDevice = await adapter?.requestDevice();
  if (gpuDevice) {
    for (const { program } of KERNEL_PROGRAMS) {
      const artifact = lowerProgram(program, program.workgroupSize);
      const started = performance.now();
      const module = gpuDevice.createShaderModule({ code: artifact.code });
      await gpuDevice.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: artifact.entryPoint } });
      push(samples, 'raw WebGPU compile (baseline)', performance.now() - started);
    }
    gpuDevice.destroy();
  }
  return { samples, device };
}

export async function storeLookup(records: number, lookups: number): Promise<{ samples: Samples; stored: number }> {
  const dbName = `bench-store-${Date.now()}`;
  const artifact = lowerProgram(vyre.saxpy, vyre.saxpy.workgroupSize);
  const identity = (k: number): string => k.toString(16).padStart(64, '0');
  const device = 'd'.repeat(64);
  const store = await openIndexedDbStore({ dbName, limits: { maxEntries: records * 2, maxBytes: 1024 * 1024 * 1024 } });
  const started = performance.now();
  const batch: Promise<void>[] = [];
  for (let k = 1; k <= records; k++) {
    const id = identity(k);
    const manifest = createManifest({ pipelineId: id.slice(0, 16), programDigest: id, dispatchPolicy: 'wg=[64,1,1]', cacheHit: false, deviceFingerprint: device, device: 'bench', browser: 'bench', libraryVersion: vyre.LIBRARY_VERSION, wgslHash: id });
    batch.push(store.write({ identity: id, keyVersion: 1, deviceFingerprint: device, programDigest: id, policy: 'wg=[64,1,1]', artifact, manifest }));
    if (batch.length >= 64) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  const samples: Samples = { 'fill (ms per record)': [(performance.now() - started) / records] };
  const stats = await store.stats();
  for (let n = 0; n < lookups; n++) {
    const id = identity(1 + Math.floor(Math.random() * records));
    const t = performance.now();
    const read = await store.read({ identity: id, programDigest: id, policy: 'wg=[64,1,1]', deviceFingerprint: device });
    push(samples, read.kind === 'hit' ? 'lookup hit' : 'lookup miss (unexpected)', performance.now() - t);
    const missing = identity(records + 1 + n);
    const t2 = performance.now();
    await store.read({ identity: missing, programDigest: missing, policy: 'wg=[64,1,1]', deviceFingerprint: device });
    push(samples, 'lookup miss (with evidence)', performance.now() - t2);
  }
  store.close();
  indexedDB.deleteDatabase(dbName);
  return { samples, stored: stats.entries };
}
