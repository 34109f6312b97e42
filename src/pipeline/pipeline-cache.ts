/**
 * Pipeline mode: compile a program once, then serve it from the cheapest tier that has it.
 *
 *   memory      the GPU pipeline is already held          → cacheHit true,  no GPU compile
 *   persistent  the artifact comes from the store          → cacheHit null,  no lowering, GPU compile re-issued
 *   compiled    lowered and compiled from scratch          → cacheHit false, artifact written to the store
 *
 * Concurrent compiles of one identity share one flight. Every compile and prewarm is
 * observed by the telemetry. The browser's own shader cache is invisible to us, so a
 * persistent-tier compile reports `null`, never a guess.
 *
 * Backend-neutral: the one GPU operation the tiers need — build a pipeline from an
 * artifact — is injected, so this runs (and is unit-tested) under Node against the
 * memory store, and `gpu/` supplies `createComputePipelineAsync` in the browser.
 */
import type { Logger } from '../logger.ts';
import type { ShaderArtifact } from '../lower/artifact.ts';
import type { ValidationLimits } from '../program/validate.ts';
import type { CacheBounds, CacheSnapshot } from '../protocol/cache.ts';
import type { CompileReport, CompileTier, MissReason, PipelineReproManifest } from '../protocol/compile.ts';
import type { ArtifactStore, FirstUse, StoredArtifact } from './artifact-store.ts';
import { guessStoredRecord } from './build-ahead.ts';
import { replayOrder } from './replay-order.ts';
import type { DeviceFingerprint } from './fingerprint.ts';
import { loadCompilePath, type CompilePath } from './compile-path.ts';
import { loadWgslPath } from './wgsl-slot.ts';
import type { CompiledOutcome, CompileKey, StoredOutcome, TierOutcome } from './tier-lookup.ts';
import { withCacheHit } from './manifest.ts';
import { sameBuildInputs } from './build-inputs.ts';
import { LruCache, estimateArtifactBytes } from './memory-cache.ts';
import { pipelineIdOf } from './identity.ts';
import { CacheTelemetry, cacheHitOf } from './telemetry.ts';
import { emptyTimings, type MutableTimings } from './timings.ts';

/** Builds the GPU pipeline of an artifact: the one GPU operation the tiers need. */
export type BuildPipeline<G> = (artifact: ShaderArtifact, label: string) => Promise<G>;

/** A pipeline the memory tier holds: its artifact, its GPU object, its manifest. */
export interface CompiledEntry<G> {
  readonly identity: string;
  readonly pipelineId: string;
  readonly artifact: ShaderArtifact;
  readonly gpu: G;
  readonly label: string;
  /** The manifest of this pipeline, with the cache hit of the compile that built it. */
  readonly manifest: PipelineReproManifest;
}

export interface PipelineCacheOptions<G> {
  readonly build: BuildPipeline<G>;
  /** Device limits programs are validated against. */
  readonly limits: ValidationLimits;
  readonly fingerprint: DeviceFingerprint;
  /** Browser name and version, for manifests. */
  readonly browser: string;
  readonly store: ArtifactStore;
  readonly memoryBounds: CacheBounds;
  /** Reported in snapshots; the store enforces them. */
  readonly persistentBounds: CacheBounds;
  readonly logger: Logger;
}

/** What one flight produced: the entry, the tier that served it, and the time of each step. */
interface Flight<G> {
  readonly entry: CompiledEntry<G>;
  readonly tier: Exclude<CompileTier, 'memory'>;
  readonly missReason: MissReason | null;
  readonly timings: Partial<MutableTimings>;
}

/** A GPU build asked for: when, under which device generation, and its answer to come. */
interface StartedBuild<G> {
  readonly started: number;
  readonly generation: number;
  readonly gpu: Promise<G>;
}

/** A GPU build started from a guessed artifact, before the tiers gave the real one. */
interface GuessedBuild<G> {
  readonly artifact: ShaderArtifact;
  readonly build: StartedBuild<G>;
}

/** The memory tier over a persistent store, with single flight and honest telemetry. */
export class PipelineCache<G> {
  readonly telemetry = new CacheTelemetry();
  readonly #options: PipelineCacheOptions<G>;
  readonly #memory: LruCache<CompiledEntry<G>>;
  readonly #inFlight = new Map<string, Promise<Flight<G>>>();
  /** Compiles the app asked for (not the startup replay), in flight now. */
  readonly #appFlights = new Set<Promise<Flight<G>>>();
  /** Every pipeline handed out, so a handle outlives a memory-tier eviction. */
  readonly #issued = new Map<string, Omit<CompiledEntry<G>, 'gpu' | 'pipelineId'>>();
  /** Bumped by `reset()`: a build that started on the replaced device must not enter the memory tier. */
  #generation = 0;
  /** This session (runtime) and the app's first request for each pipeline in it, in order. */
  readonly #session = newSession();
  readonly #firstUses = new Map<string, FirstUse>();
  /** The startup replay's plan and progress, for snapshots; null until one starts. */
  #replay: { order: string[]; warmed: string[]; done: boolean } | null = null;
  /** GPU builds of stored records started on a guess, before their compile's key was known (build-ahead.ts). */
  readonly #builtAhead = new Map<string, Promise<Flight<G>>>();
  /** Set by the first wrong guess: the app's order has changed, so the cache stops guessing. */
  #guessedWrong = false;
  /** Persistent-tier writes of compiled pipelines by identity, which their compiles do not wait for (see {@link writesSettled}). */
  readonly #writes = new Map<string, Promise<void>>();
  /** Identities whose records this cache wrote: a later miss of the memory tier (an eviction) reads them first. */
  readonly #writtenHere = new Set<string>();

  constructor(options: PipelineCacheOptions<G>) {
    this.#options = options;
    this.#memory = new LruCache<CompiledEntry<G>>(options.memoryBounds, (entry) => estimateArtifactBytes(entry.artifact));
  }

  /**
   * Compiles `program` (untyped data from the main thread, validated here) with `policy`,
   * from the cheapest tier that has it.
   * @throws VyreError `invalid-program`, `invalid-policy`, and whatever `build` throws.
   */
  async compile(program: unknown, policy?: unknown): Promise<CompileReport> {
    const started = performance.now();
    const guess = await this.#buildAhead(program);
    // Chrome sends WebGPU calls to its GPU process in a microtask (Blink's EnsureFlush): let
    // that run, so the build is under way while this thread checks and hashes the program.
    if (guess !== undefined) await Promise.resolve();
    const path = await loadCompilePath();
    const keyStarted = performance.now();
    const key = this.#keyAfterGuess(path, program, policy, guess);
    const timings = emptyTimings();
    timings.digest = performance.now() - keyStarted;
    const firstUse = this.#firstUseOf(key.identity);
    const { entry, tier, missReason } = await this.#serve(key, timings);
    // After serving, not before: its write transaction would hold up the compile's own read.
    if (firstUse.fresh) void this.#options.store.markFirstUse(key.identity, firstUse.use).catch(() => undefined);
    this.telemetry.observe(tier, missReason);
    timings.total = performance.now() - started;
    return reportOf(entry, tier, missReason, timings);
  }

  /**
   * Like {@link compile}, but only from what is already held: the memory tier, a flight in
   * progress, or the persistent tier. Nothing is lowered or written.
   * @returns `null` when no tier holds the program with this policy (not counted as a miss).
   * @throws VyreError `invalid-program`, `invalid-policy`, and whatever `build` throws.
   */
  async compileStored(program: unknown, policy?: unknown): Promise<CompileReport | null> {
    const started = performance.now();
    const { compileKeyOf } = await loadCompilePath();
    const keyStarted = performance.now();
    const key = compileKeyOf(program, policy, this.#options.limits, this.#options.fingerprint);
    const timings = emptyTimings();
    timings.digest = performance.now() - keyStarted;
    const served = this.#memory.has(key.identity) || this.#inFlight.has(key.identity) ? await this.#serve(key, timings) : await this.#serveStored(key, timings);
    if (served === null) return null;
    this.telemetry.observe(served.tier, served.missReason);
    timings.total = performance.now() - started;
    return reportOf(served.entry, served.tier, served.missReason, timings);
  }

  /**
   * The memory-tier fast path for a program the client compiled before (a frozen program
   * object it remembers): no program crosses, nothing is validated or hashed again.
   * @returns `null` when the pipeline is no longer held; the client then compiles.
   */
  compileKnown(pipelineId: string): CompileReport | null {
    const started = performance.now();
    const held = this.pipelineInMemory(pipelineId);
    if (held === undefined) return null;
    this.telemetry.observe('memory', null);
    return reportOf(held, 'memory', null, { ...emptyTimings(), total: performance.now() - started });
  }

  /**
   * Replays the stored working set of this device in the background of a start. The app
   * comes first: while it compiles something itself, the replay waits.
   * @param onStarted - called once, when the first build is in flight (or there is none to
   *   make): from then on an app compile of that pipeline joins it instead of building again.
   * @returns how many pipelines it warmed.
   */
  async replayWorkingSet(limit: number, onStarted?: () => void): Promise<number> {
    let told = false;
    const started = (): void => {
      if (!told) onStarted?.();
      told = true;
    };
    try {
      return await this.#replayInOrder(limit, started);
    } finally {
      started();
    }
  }

  async #replayInOrder(limit: number, started: () => void): Promise<number> {
    const replay: { order: string[]; warmed: string[]; done: boolean } = { order: [], warmed: [], done: false };
    this.#replay = replay;
    // The `limit` most recently used records, in the order the app first asked for them on
    // its last visit (replay-order.ts).
    const records = replayOrder(await this.#options.store.workingSet(this.#options.fingerprint.digest, limit));
    replay.order = records.map((record) => pipelineIdOf(record.identity));
    for (const stored of records) {
      // GPU compiles are CPU-bound in many drivers: do not compete with the app's own.
      while (this.#appFlights.size > 0) await Promise.allSettled([...this.#appFlights]);
      if (this.#memory.has(stored.identity) || this.#inFlight.has(stored.identity)) continue;
      const warming = this.#replayOne(stored);
      started();
      if (await warming) replay.warmed.push(pipelineIdOf(stored.identity));
    }
    replay.done = true;
    return replay.warmed.length;
  }

  /** The entry when the memory tier holds it: no promise, for the dispatch hot path. */
  pipelineInMemory(pipelineId: string): CompiledEntry<G> | undefined {
    const issued = this.#issued.get(pipelineId);
    return issued === undefined ? undefined : this.#memory.get(issued.identity);
  }

  /** The entry of `pipelineId`, rebuilt from its artifact if the memory tier evicted it. */
  async pipeline(pipelineId: string): Promise<CompiledEntry<G> | undefined> {
    const issued = this.#issued.get(pipelineId);
    if (issued === undefined) return undefined;
    const held = this.#memory.get(issued.identity);
    if (held !== undefined) return held;
    const pending = this.#inFlight.get(issued.identity);
    if (pending !== undefined) return (await pending).entry;
    // Evicted (or the device was replaced): rebuild from the artifact, as one flight that
    // concurrent dispatches and compiles of the same identity join.
    const flight = this.#build(issued.identity, issued.artifact, issued.label, issued.manifest).then(
      ({ entry, gpuCompile }): Flight<G> => ({ entry, tier: 'persistent', missReason: null, timings: { gpuCompile } }),
    );
    return (await this.#track(issued.identity, flight, true)).entry;
  }

  /**
   * Resolves once every write of a compiled pipeline started so far has settled. A compile
   * answers as soon as its GPU build is done, before its record is stored (an IndexedDB write
   * took 2–7 ms of each cold compile); whatever reads the whole store waits for this first.
   */
  async writesSettled(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all([...this.#writes.values()]);
  }

  async snapshot(): Promise<CacheSnapshot> {
    const { store, memoryBounds, persistentBounds } = this.#options;
    await this.writesSettled();
    const stats = await store.stats();
    const memory = this.#memory;
    return {
      storage: store.status(),
      memory: { entries: memory.size, bytes: memory.bytes, evictions: memory.evictions, ...memoryBounds },
      persistent: { ...stats, ...persistentBounds },
      counters: this.telemetry.counters(),
      startupReplay: this.#replay === null ? null : { order: [...this.#replay.order], warmed: [...this.#replay.warmed], done: this.#replay.done },
    };
  }

  async clear(which: { readonly memory: boolean; readonly persistent: boolean }): Promise<void> {
    if (which.memory) this.#memory.clear();
    await this.writesSettled();
    if (which.persistent) await this.#options.store.clear();
  }

  /** The device was replaced: drop every GPU pipeline; they are rebuilt from their artifacts on demand. */
  reset(): void {
    this.#generation++;
    this.#memory.clear();
    this.#inFlight.clear();
    this.#builtAhead.clear();
  }

  /** The compile key of `program`; when it is not the `guess` built ahead, or there is none, the guessing stops. */
  #keyAfterGuess(path: CompilePath, program: unknown, policy: unknown, guess: string | undefined): CompileKey {
    let identity: string | undefined;
    try {
      const key = path.compileKeyOf(program, policy, this.#options.limits, this.#options.fingerprint);
      identity = key.identity;
      return key;
    } finally {
      if (guess !== undefined && guess !== identity) this.#guessedWrong = true;
    }
  }

  /**
   * Guesses the stored record `program` most likely is and starts its GPU build, unless the
   * start built it already; no guess once the cache has guessed wrong, while a startup replay
   * runs, or when nothing stored is plausible.
   * @returns the identity guessed, or `undefined` when there is no guess.
   */
  async #buildAhead(program: unknown): Promise<string | undefined> {
    if (!this.#mayGuess()) return undefined;
    const { store, fingerprint } = this.#options;
    // The first compiles of a start wait for the read-ahead the store began as it opened
    // (usually done by then): their own lookups would read the same database meanwhile.
    const records = await store.recordsAhead(fingerprint.digest);
    if (!this.#mayGuess()) return undefined;
    // A record built ahead and not yet claimed (at the start, below) is still a candidate.
    const taken = (identity: string): boolean => !this.#builtAhead.has(identity) && (this.#memory.has(identity) || this.#inFlight.has(identity));
    const record = guessStoredRecord(program, records, taken);
    if (record === undefined) return undefined;
    if (!this.#builtAhead.has(record.identity)) this.#startBuildAhead(record);
    return record.identity;
  }

  /**
   * At a start without a startup replay: builds last visit's first pipeline before the app
   * asks for anything, so that its first compile finds that build done or under way (and is
   * served by it when its key matches; build-ahead.ts). Nothing when the app has asked already.
   */
  async buildFirstAhead(): Promise<void> {
    if (!this.#mayGuess()) return;
    const records = await this.#options.store.recordsAhead(this.#options.fingerprint.digest);
    const first = replayOrder(records)[0];
    if (first === undefined || !this.#mayGuess() || this.#firstUses.size > 0) return;
    if (this.#memory.has(first.identity) || this.#inFlight.has(first.identity)) return;
    this.#startBuildAhead(first);
  }

  /** Starts the GPU build of a stored record ahead of its lookup; a failure is logged, and a compile that joined it gets it. */
  #startBuildAhead(record: StoredArtifact): void {
    const { logger } = this.#options;
    const label = `vyre-web ${pipelineIdOf(record.identity)}`;
    const flight = this.#build(record.identity, record.artifact, label, withCacheHit(record.manifest, null)).then(
      ({ entry, gpuCompile }): Flight<G> => ({ entry, tier: 'persistent', missReason: null, timings: { storeRead: 0, gpuCompile, firstGpuCompile: record.gpuCompileMs ?? null } }),
    );
    this.#builtAhead.set(record.identity, flight);
    this.telemetry.observeBuildAhead();
    void this.#track(record.identity, flight, true).catch((error: unknown) => {
      this.#builtAhead.delete(record.identity);
      logger.warn('build-ahead-failed', 'A stored artifact built ahead of its lookup did not compile.', { identity: record.identity, error: String(error) });
    });
  }

  /** No guess after a wrong one, or while a startup replay builds the stored records in this order already (a guess would race it). */
  #mayGuess(): boolean {
    return !this.#guessedWrong && (this.#replay === null || this.#replay.done);
  }

  /**
   * A build started ahead for `key` (see {@link #buildAhead}), as the flight of this compile:
   * its record's use is stamped as a lookup's would be. `undefined` when there is none.
   */
  #takeBuiltAhead(key: CompileKey): Promise<Flight<G>> | undefined {
    const flight = this.#builtAhead.get(key.identity);
    if (flight === undefined) return undefined;
    this.#builtAhead.delete(key.identity);
    this.telemetry.observeBuildAheadUsed();
    const { store, fingerprint } = this.#options;
    void store.read({ identity: key.identity, programDigest: key.programDigest, policy: key.policy, deviceFingerprint: fingerprint.digest }).catch(() => undefined);
    return flight;
  }

  /** Serves `key` from a build started ahead for it, from memory, by joining a flight in progress, or by starting one. */
  async #serve(key: CompileKey, timings: MutableTimings): Promise<{ entry: CompiledEntry<G>; tier: CompileTier; missReason: MissReason | null }> {
    const ahead = this.#takeBuiltAhead(key);
    if (ahead !== undefined) {
      const result = await ahead;
      Object.assign(timings, result.timings);
      return result;
    }
    const held = this.#memory.get(key.identity);
    if (held !== undefined) return { entry: held, tier: 'memory', missReason: null };
    const pending = this.#inFlight.get(key.identity);
    if (pending !== undefined) {
      // Someone else is compiling this identity right now: share their compile.
      const { entry } = await pending;
      this.telemetry.observeJoin();
      return { entry, tier: 'memory', missReason: null };
    }
    const result = await this.#track(key.identity, this.#fly(key), true);
    Object.assign(timings, result.timings);
    return result;
  }

  /**
   * Registers `flight` for single flight (and, for the app's own work, as one the startup
   * replay waits for) until it settles. Only this flight is removed then: after a `reset()`
   * a newer flight of the same identity may have taken its place.
   */
  async #track(identity: string, flight: Promise<Flight<G>>, app: boolean): Promise<Flight<G>> {
    this.#inFlight.set(identity, flight);
    if (app) this.#appFlights.add(flight);
    try {
      return await flight;
    } finally {
      if (this.#inFlight.get(identity) === flight) this.#inFlight.delete(identity);
      this.#appFlights.delete(flight);
    }
  }

  /** The persistent tier only; `null` when it does not hold `key`. */
  async #serveStored(key: CompileKey, timings: MutableTimings): Promise<{ entry: CompiledEntry<G>; tier: CompileTier; missReason: null } | null> {
    const { store, fingerprint, browser } = this.#options;
    const stored = await (await loadCompilePath()).lookUpStored(key, { store, fingerprint, browser });
    if (stored === null) return null;
    const result = await this.#track(key.identity, this.#flyStored(key, stored), true);
    Object.assign(timings, result.timings);
    return { entry: result.entry, tier: result.tier, missReason: null };
  }

  /**
   * The persistent tier, or lowering; then the GPU build. A WGSL module's build may start
   * first, from bindings guessed from its text, and serve whichever artifact the tiers give
   * when it builds the same pipeline (see {@link #startGuessedBuild}).
   */
  async #fly(key: CompileKey): Promise<Flight<G>> {
    const { store, fingerprint, browser } = this.#options;
    // A pipeline this cache compiled, and the memory tier dropped, before its record was written
    // (writes start a little after their compile: indexeddb-store.ts): its read waits for it.
    await this.#writes.get(key.identity);
    const path = await loadCompilePath();
    const guessed = this.#startGuessedBuild(path, key);
    // Chrome sends WebGPU calls to its GPU process in a microtask: let that run before reflection.
    if (guessed !== undefined) await Promise.resolve();
    const context = { store, fingerprint, browser };
    if (store.wasEmptyAtOpen() && !this.#writtenHere.has(key.identity)) {
      // It will be lowered: a WGSL module needs the reflection's chunk (loaded while the guessed build runs).
      if (key.program.kind === 'wgsl') await loadWgslPath();
      return this.#flyFirstVisit(key, path.lowerWhileReading(key, context), guessed);
    }
    const outcome: TierOutcome = await path.lookUpOrLower(key, context);
    const build = this.#buildFor(outcome.artifact, labelOf(key), guessed);
    return outcome.tier === 'persistent' ? this.#flyStored(key, outcome, build) : this.#flyCompiled(key, outcome, build);
  }

  /**
   * Starts the GPU build of a WGSL module from its guessed bindings (guessed-artifact.ts)
   * before the module is reflected: reflection of a large module takes tens of milliseconds
   * of this thread, the GPU build longer in the GPU process, and the two then overlap.
   * @returns the build and the artifact it was asked for; `undefined` when there is no guess.
   */
  #startGuessedBuild(path: CompilePath, key: CompileKey): GuessedBuild<G> | undefined {
    const artifact = path.guessedArtifact(key.program, key.constants);
    if (artifact === undefined) return undefined;
    this.telemetry.observeGuessedBuild();
    const build = this.#startBuild(artifact, labelOf(key));
    // A guess no artifact matches is dropped: its failure is nobody's. A compile it serves awaits it too.
    build.gpu.catch(() => undefined);
    return { artifact, build };
  }

  /** The guessed build when it builds what `artifact` would; else a build of `artifact`, started now. */
  #buildFor(artifact: ShaderArtifact, label: string, guessed: GuessedBuild<G> | undefined): StartedBuild<G> {
    if (guessed === undefined || !sameBuildInputs(guessed.artifact, artifact)) return this.#startBuild(artifact, label);
    this.telemetry.observeGuessedBuildUsed();
    return guessed.build;
  }

  /**
   * A compile on a store that held nothing when it opened (an app's first visit): the GPU build
   * starts from the program's own lowering while the store is read, instead of after the read
   * (1.3–2.0 ms of each cold compile in Chrome on an H200, ≈3 ms on the VM; docs/benchmarks.md).
   * Should the read find the record (another tab wrote it since), the compile is the persistent
   * tier's, as it would have been: one identity lowers to the same code, and a stored artifact
   * whose code differs all the same is built as stored.
   */
  async #flyFirstVisit(key: CompileKey, { lowered, outcome }: ReturnType<CompilePath['lowerWhileReading']>, guessed: GuessedBuild<G> | undefined): Promise<Flight<G>> {
    const build = this.#buildFor(lowered.artifact, labelOf(key), guessed);
    // Awaited below on every path but a stored artifact of other code; never left unobserved.
    build.gpu.catch(() => undefined);
    const read = await outcome;
    if (read.tier === 'compiled') return this.#flyCompiled(key, read, build);
    if (read.artifact.code !== lowered.artifact.code || read.artifact.entryPoint !== lowered.artifact.entryPoint) return this.#flyStored(key, read);
    const { entry, gpuCompile } = await this.#build(key.identity, read.artifact, labelOf(key), read.manifest, build);
    return { entry, tier: 'persistent', missReason: null, timings: { storeRead: read.storeRead, gpuCompile, firstGpuCompile: read.firstGpuCompile } };
  }

  /** A miss's GPU build (already started), then the record's write behind it. */
  async #flyCompiled(key: CompileKey, outcome: CompiledOutcome, build: StartedBuild<G>): Promise<Flight<G>> {
    const { store, logger } = this.#options;
    const { entry, gpuCompile } = await this.#build(key.identity, outcome.artifact, labelOf(key), outcome.manifest, build);
    const firstUse = this.#firstUses.get(key.identity);
    // Not awaited: the pipeline is ready, and the write would add its transaction to the compile
    // (the IndexedDB store also starts it in a later task). The store degrades on its own; a
    // failed write must never fail the compile.
    this.#writtenHere.add(key.identity);
    const write = store.write({ ...outcome.record, gpuCompileMs: gpuCompile, ...(firstUse !== undefined ? { firstUse } : {}) })
      .catch((error: unknown) => logger.warn('store-write-failed', 'Could not persist a compiled artifact.', { error: String(error) }))
      .finally(() => {
        if (this.#writes.get(key.identity) === write) this.#writes.delete(key.identity);
      });
    this.#writes.set(key.identity, write);
    const timings = { storeRead: outcome.storeRead, lower: outcome.lower, gpuCompile, storeWrite: 0 };
    return { entry, tier: 'compiled', missReason: outcome.missReason, timings };
  }

  /** The GPU build of an artifact the persistent tier gave (started here unless given): no lowering, nothing written. */
  async #flyStored(key: CompileKey, stored: StoredOutcome, build?: StartedBuild<G>): Promise<Flight<G>> {
    const { entry, gpuCompile } = await this.#build(key.identity, stored.artifact, labelOf(key), stored.manifest, build);
    return { entry, tier: 'persistent', missReason: null, timings: { storeRead: stored.storeRead, gpuCompile, firstGpuCompile: stored.firstGpuCompile } };
  }

  /** The app's first request for `identity` in this session; `fresh` the first time it is asked. */
  #firstUseOf(identity: string): { readonly use: FirstUse; readonly fresh: boolean } {
    const known = this.#firstUses.get(identity);
    if (known !== undefined) return { use: known, fresh: false };
    const use = { session: this.#session, rank: this.#firstUses.size };
    this.#firstUses.set(identity, use);
    return { use, fresh: true };
  }

  /** Warms one stored record; a failure is logged, never thrown (the replay goes on). */
  async #replayOne(stored: StoredArtifact): Promise<boolean> {
    const label = `vyre-web prewarm ${pipelineIdOf(stored.identity)}`;
    const flight = this.#build(stored.identity, stored.artifact, label, withCacheHit(stored.manifest, null)).then(
      ({ entry, gpuCompile }): Flight<G> => ({ entry, tier: 'persistent', missReason: null, timings: { gpuCompile } }),
    );
    try {
      await this.#track(stored.identity, flight, false);
      this.telemetry.observeStartupPrewarm();
      return true;
    } catch (error) {
      this.#options.logger.warn('prewarm-failed', 'A stored artifact did not compile during startup prewarm.', { identity: stored.identity, error: String(error) });
      return false;
    }
  }

  /** Asks the GPU for `artifact`'s pipeline now; {@link #build} takes the answer. */
  #startBuild(artifact: ShaderArtifact, label: string): StartedBuild<G> {
    return { started: performance.now(), generation: this.#generation, gpu: this.#options.build(artifact, label) };
  }

  /** Waits for `build` (started here unless given) and keeps its pipeline in the memory tier. */
  async #build(identity: string, artifact: ShaderArtifact, label: string, manifest: PipelineReproManifest, build = this.#startBuild(artifact, label)): Promise<{ entry: CompiledEntry<G>; gpuCompile: number }> {
    const gpu = await build.gpu;
    const entry: CompiledEntry<G> = { identity, pipelineId: pipelineIdOf(identity), artifact, gpu, label, manifest };
    // A pipeline of a replaced device is handed to the caller that waited for it (its use
    // fails as `device-lost` and is retried), but never kept for later calls.
    if (build.generation === this.#generation) this.#memory.set(identity, entry);
    this.#issued.set(entry.pipelineId, { identity, artifact, label, manifest });
    return { entry, gpuCompile: performance.now() - build.started };
  }
}

let lastSession = 0;
/** A session stamp: the time now, kept strictly increasing (two runtimes may start in one millisecond). */
function newSession(): number {
  lastSession = Math.max(Date.now(), lastSession + 0.001);
  return lastSession;
}

/** The GPU label of a compile's pipeline: its program's name and pipeline id. */
function labelOf(key: CompileKey): string {
  return `vyre-web ${key.displayName} ${pipelineIdOf(key.identity)}`;
}

function reportOf<G>(entry: CompiledEntry<G>, tier: CompileTier, missReason: MissReason | null, timings: MutableTimings): CompileReport {
  const cacheHit = cacheHitOf(tier);
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
