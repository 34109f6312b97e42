/**
 * Pipeline mode: compile a program once, then serve it from the cheapest tier that has it.
 *
 *   memory      the GPU pipeline is already held          → cacheHit true,  no GPU compile
 *   persistent  the artifact comes from the store          → cacheHit null,  no lowering, GPU compile re-issued
 *   compiled    lowered and compiled from scratch          → cacheHit false, artifact written to the store
 *
 * Concurrent compiles of one identity share one flight. Every compile and prewarm is
 * observed by the audit. The browser's own shader cache is invisible to us, so a
 * persistent-tier compile reports `null`, never a guess.
 */
import type { Logger } from '../logger.ts';
import type { ShaderArtifact } from '../lower/artifact.ts';
import { lowerProgram } from '../lower/lower-program.ts';
import { PipelineCacheAudit } from './audit.ts';
import { emptyTimings } from './timings.ts';
import { type CacheHit, type CompileReport, type CompileTier, type MissReason, type PipelineReproManifest } from '../protocol/compile.ts';
import type { DeviceFingerprint } from './fingerprint.ts';
import { CURRENT_PIPELINE_CACHE_KEY_VERSION, pipelineIdOf, pipelineIdentity } from './identity.ts';
import { createManifest, withCacheHit } from './manifest.ts';
import { LruCache, estimateArtifactBytes } from './memory-cache.ts';
import { type CacheBounds, type CacheSnapshot } from '../protocol/cache.ts';
import { classifyMiss } from './miss-reason.ts';
import { resolvePolicy } from './policy.ts';
import { bump, createTierCounters } from './snapshot.ts';
import { FrameWriter } from '../hash/framing.ts';
import { programDigest } from '../program/digest.ts';
import type { IrProgram } from '../protocol/ir.ts';
import type { WgslProgram } from '../protocol/program.ts';
import type { ArtifactStore, StoredArtifact } from './artifact-store.ts';
import { LIBRARY_VERSION } from '../version.ts';
import { compilePipeline, type GpuPipeline } from '../gpu/compile-pipeline.ts';
import type { DeviceSummary } from '../protocol/device.ts';
import { parseProgram } from './parse-program.ts';

export interface CompiledEntry {
  readonly identity: string;
  readonly pipelineId: string;
  readonly artifact: ShaderArtifact;
  readonly gpu: GpuPipeline;
  readonly label: string;
  /** The manifest of this pipeline, with the cache hit of the compile that built it. */
  readonly manifest: PipelineReproManifest;
}

export interface CompilerOptions {
  /** The current device; it changes when a lost device is replaced. */
  readonly device: () => GPUDevice;
  readonly summary: DeviceSummary;
  readonly fingerprint: DeviceFingerprint;
  readonly browser: string;
  readonly store: ArtifactStore;
  readonly memoryBounds: CacheBounds;
  /** Reported in snapshots; the store enforces them. */
  readonly persistentBounds: CacheBounds;
  readonly logger: Logger;
}

/** One prewarmed program's outcome. */
export interface PipelinePrewarmReport {
  readonly pipelineId: string;
  readonly cacheHit: CacheHit;
  readonly tier: CompileTier;
  readonly manifest: PipelineReproManifest;
}

export interface Compiler {
  compile(program: unknown, policy?: unknown): Promise<CompileReport>;
  compileKnown(pipelineId: string): Promise<CompileReport | null>;
  /** Replays the stored working set of this device, most recently used first. */
  prewarmFromStore(limit: number): Promise<number>;
  /** The compiled entry of `pipelineId`, rebuilding it from its artifact if the memory tier evicted it. */
  pipeline(pipelineId: string): Promise<CompiledEntry | undefined>;
  /** Like `pipeline`, synchronously, when the memory tier holds the entry; else undefined. */
  pipelineInMemory(pipelineId: string): CompiledEntry | undefined;
  audit: PipelineCacheAudit;
  snapshot(): Promise<CacheSnapshot>;
  clear(which: { memory: boolean; persistent: boolean }): Promise<void>;
  /** The device was replaced: drop every GPU pipeline; they are rebuilt from their artifacts on demand. */
  reset(): void;
}

interface Flight {
  readonly entry: CompiledEntry;
  readonly tier: Exclude<CompileTier, 'memory'>;
  readonly missReason: MissReason | null;
  readonly timings: { lower: number; storeRead: number; gpuCompile: number; storeWrite: number };
}

export function createCompiler(options: CompilerOptions): Compiler {
  const { summary, fingerprint, store, logger } = options;
  const memory = new LruCache<CompiledEntry>(options.memoryBounds, (entry) => estimateArtifactBytes(entry.artifact));
  const inFlight = new Map<string, Promise<Flight>>();
  /** Compiles the app asked for (not startup prewarm), in flight now. */
  const appFlights = new Set<Promise<Flight>>();
  /** Artifacts of every pipeline handed out, so a handle outlives a memory-tier eviction. */
  const issued = new Map<string, { identity: string; artifact: ShaderArtifact; label: string; manifest: PipelineReproManifest }>();
  const counters = createTierCounters();
  const audit = new PipelineCacheAudit();

  async function build(identity: string, artifact: ShaderArtifact, label: string, manifest: PipelineReproManifest): Promise<{ entry: CompiledEntry; gpuCompile: number }> {
    const started = performance.now();
    const gpu = await compilePipeline(options.device(), artifact, label);
    const entry: CompiledEntry = { identity, pipelineId: pipelineIdOf(identity), artifact, gpu, label, manifest };
    memory.set(identity, entry);
    issued.set(entry.pipelineId, { identity, artifact, label, manifest });
    return { entry, gpuCompile: performance.now() - started };
  }

  async function fly(program: WgslProgram | IrProgram, key: { identity: string; programDigest: string; policy: string }, workgroupSize: readonly [number, number, number]): Promise<Flight> {
    const pipelineId = pipelineIdOf(key.identity);
    const label = `vyre-web ${program.kind === 'ir' ? program.name ?? 'program' : program.entryPoint} ${pipelineId}`;
    const readStarted = performance.now();
    const read = await store.read({ ...key, deviceFingerprint: fingerprint.digest });
    const storeRead = performance.now() - readStarted;
    if (read.kind === 'hit') {
      const manifest = withCacheHit(read.record.manifest, null);
      const { entry, gpuCompile } = await build(key.identity, read.record.artifact, label, manifest);
      return { entry, tier: 'persistent', missReason: null, timings: { lower: 0, storeRead, gpuCompile, storeWrite: 0 } };
    }
    const missReason = classifyMiss(read.evidence);
    const lowerStarted = performance.now();
    const artifact = program.kind === 'ir' ? lowerProgram(program, workgroupSize) : wgslArtifact(program);
    const lower = performance.now() - lowerStarted;
    const manifest = createManifest({
      pipelineId,
      programDigest: key.programDigest,
      dispatchPolicy: key.policy,
      cacheHit: false,
      deviceFingerprint: fingerprint.digest,
      device: fingerprint.readable,
      browser: options.browser,
      libraryVersion: LIBRARY_VERSION,
      wgslHash: new FrameWriter().label('vyre-web/wgsl-hash/v1').string(artifact.code).digestHex(),
    });
    const { entry, gpuCompile } = await build(key.identity, artifact, label, manifest);
    const writeStarted = performance.now();
    try {
      await store.write({ ...key, keyVersion: CURRENT_PIPELINE_CACHE_KEY_VERSION, deviceFingerprint: fingerprint.digest, artifact, manifest });
    } catch (error) {
      // The store degrades on its own; a failed write must never fail the compile.
      logger.warn('store-write-failed', 'Could not persist a compiled artifact.', { error: String(error) });
    }
    const storeWrite = performance.now() - writeStarted;
    return { entry, tier: 'compiled', missReason, timings: { lower, storeRead, gpuCompile, storeWrite } };
  }

  async function compile(value: unknown, policyValue?: unknown): Promise<CompileReport> {
    const started = performance.now();
    const timings = emptyTimings();
    const program = parseProgram(value, summary.limits);
    const policy = resolvePolicy(policyValue, program.workgroupSize, program.kind === 'ir');
    const digest = programDigest(program);
    const identity = pipelineIdentity({ programDigest: digest, policyString: policy.string, deviceFingerprint: fingerprint.digest });
    timings.digest = performance.now() - started;

    const held = memory.get(identity);
    const pending = held === undefined ? inFlight.get(identity) : undefined;
    let entry: CompiledEntry;
    let tier: CompileTier = 'memory';
    let missReason: MissReason | null = null;
    if (held !== undefined) {
      entry = held;
    } else if (pending !== undefined) {
      // Someone else is compiling this identity right now: share their compile.
      entry = (await pending).entry;
      counters.joinedInFlight = bump(counters.joinedInFlight);
    } else {
      const flight = fly(program, { identity, programDigest: digest, policy: policy.string }, policy.workgroupSize);
      inFlight.set(identity, flight);
      appFlights.add(flight);
      let result: Flight;
      try {
        result = await flight;
      } finally {
        inFlight.delete(identity);
        appFlights.delete(flight);
      }
      ({ entry, tier, missReason } = result);
      Object.assign(timings, result.timings);
    }
    const cacheHit: CacheHit = tier === 'memory' ? true : tier === 'persistent' ? null : false;
    record(tier, cacheHit, missReason);
    timings.total = performance.now() - started;
    return reportOf(entry, tier, cacheHit, missReason, timings);
  }

  /**
   * The memory-tier fast path for a program the client has compiled before (a frozen
   * program object it remembers): no program crosses the boundary, nothing is validated
   * or hashed again. `null` when the pipeline is no longer held; the client then compiles.
   */
  async function compileKnown(pipelineId: string): Promise<CompileReport | null> {
    const started = performance.now();
    const known = typeof pipelineId === 'string' ? issued.get(pipelineId) : undefined;
    const held = known === undefined ? undefined : memory.get(known.identity);
    if (held === undefined) return null;
    record('memory', true, null);
    return reportOf(held, 'memory', true, null, { ...emptyTimings(), total: performance.now() - started });
  }

  function reportOf(entry: CompiledEntry, tier: CompileTier, cacheHit: CacheHit, missReason: MissReason | null, timings: CompileReport['timings']): CompileReport {
    return {
      pipelineId: entry.pipelineId,
      tier,
      cacheHit,
      missReason,
      timings,
      manifest: withCacheHit(entry.manifest, cacheHit),
      entryPoint: entry.artifact.entryPoint,
      workgroupSize: entry.artifact.workgroupSize,
      buffers: entry.artifact.buffers,
    };
  }

  function record(tier: CompileTier, cacheHit: CacheHit, missReason: MissReason | null): void {
    audit.observe(cacheHit);
    if (tier === 'memory') counters.memoryHits = bump(counters.memoryHits);
    else if (tier === 'persistent') counters.persistentHits = bump(counters.persistentHits);
    else counters.compiled = bump(counters.compiled);
    if (missReason !== null) counters.missReasons[missReason] = bump(counters.missReasons[missReason]);
  }

  async function prewarmFromStore(limit: number): Promise<number> {
    // The working set is the `limit` most recently used records; they are replayed oldest
    // first, i.e. in the order the app compiled them last time, because an app tends to ask
    // for its pipelines in the same order every load: its first compile should be warm first.
    // (Measured: most-recent-first warmed the app's first kernel last; docs/benchmarks.md.)
    const records = (await store.workingSet(fingerprint.digest, limit)).reverse();
    let warmed = 0;
    for (const stored of records) {
      // The app comes first: while it compiles something itself, the replay waits, so the
      // two do not compete for the same cores (GPU compiles are CPU-bound in many drivers).
      while (appFlights.size > 0) await Promise.allSettled([...appFlights]);
      if (memory.has(stored.identity) || inFlight.has(stored.identity)) continue;
      const flight = warmOne(stored);
      inFlight.set(stored.identity, flight);
      try {
        await flight;
        warmed++;
        counters.startupPrewarmed = bump(counters.startupPrewarmed);
        record('persistent', null, null);
      } catch (error) {
        logger.warn('prewarm-failed', 'A stored artifact did not compile during startup prewarm.', { identity: stored.identity, error: String(error) });
      } finally {
        inFlight.delete(stored.identity);
      }
    }
    return warmed;
  }

  async function warmOne(stored: StoredArtifact): Promise<Flight> {
    const label = `vyre-web prewarm ${pipelineIdOf(stored.identity)}`;
    const { entry, gpuCompile } = await build(stored.identity, stored.artifact, label, withCacheHit(stored.manifest, null));
    return { entry, tier: 'persistent', missReason: null, timings: { lower: 0, storeRead: 0, gpuCompile, storeWrite: 0 } };
  }

  /** The entry when the memory tier holds it: no promise, for the dispatch hot path. */
  function pipelineInMemory(pipelineId: string): CompiledEntry | undefined {
    const known = issued.get(pipelineId);
    return known === undefined ? undefined : memory.get(known.identity);
  }

  async function pipeline(pipelineId: string): Promise<CompiledEntry | undefined> {
    const known = issued.get(pipelineId);
    if (known === undefined) return undefined;
    const held = memory.get(known.identity);
    if (held !== undefined) return held;
    const pending = inFlight.get(known.identity);
    if (pending !== undefined) return (await pending).entry;
    return (await build(known.identity, known.artifact, known.label, known.manifest)).entry;
  }

  async function snapshot(): Promise<CacheSnapshot> {
    const stats = await store.stats();
    return {
      storage: store.status(),
      memory: { entries: memory.size, bytes: memory.bytes, evictions: memory.evictions, ...options.memoryBounds },
      persistent: { ...stats, ...options.persistentBounds },
      counters: { ...counters, missReasons: { ...counters.missReasons } },
    };
  }

  return {
    compile,
    compileKnown,
    prewarmFromStore,
    pipeline,
    pipelineInMemory,
    audit,
    snapshot,
    async clear(which) {
      if (which.memory) memory.clear();
      if (which.persistent) await store.clear();
    },
    reset() {
      memory.clear();
      inFlight.clear();
    },
  };
}

/** A WGSL-source program needs no lowering: its artifact is its own text and declarations. */
function wgslArtifact(program: WgslProgram): ShaderArtifact {
  return {
    code: program.code,
    entryPoint: program.entryPoint,
    workgroupSize: program.workgroupSize,
    buffers: program.buffers,
    params: undefined,
    foldableGrid: false,
  };
}
