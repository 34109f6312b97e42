/**
 * A `PipelineCache` under Node: the one GPU operation (`build`) is a recording fake that
 * can hold builds until the test settles them by hand, or fail them; the persistent tier
 * is the real memory store. A "page reload" is a second cache over the same store.
 */
import { expect } from 'vitest';
import { VyreError } from '../../../src/errors.ts';
import type { ShaderArtifact } from '../../../src/lower/artifact.ts';
import { createLogger, type LogEntry } from '../../../src/logger.ts';
import type { ArtifactKey, ArtifactStore, StoreRead, StoreStats, StoredArtifact } from '../../../src/pipeline/artifact-store.ts';
import { deviceFingerprint, type DeviceFacts, type DeviceFingerprint } from '../../../src/pipeline/fingerprint.ts';
import { PipelineCache, type BuildPipeline } from '../../../src/pipeline/pipeline-cache.ts';
import { program } from '../../../src/program/builder.ts';
import { DEFAULT_VALIDATION_LIMITS } from '../../../src/program/validate.ts';
import type { CacheBounds } from '../../../src/protocol/cache.ts';
import type { IrProgram } from '../../../src/protocol/ir.ts';
import { parseRecord } from '../../../src/store/record.ts';
import { createMemoryStore } from '../../../src/store/memory-store.ts';
import { loadCompilePath } from '../../../src/pipeline/compile-path.ts';

// A start loads the compile path while its device is made (worker/api.ts): the caches here
// start as after that, so that one task (`settle`) lets a compile reach its build.
await loadCompilePath();

// ---- programs and devices ------------------------------------------------------------

/**
 * `y[i] = scale × x[i] + y[i]`: a saxpy whose body (the constant) differs per `scale`, so
 * every scale has its own program digest and WGSL.
 */
export function saxpy(scale: number): IrProgram {
  return program({ name: 'saxpy', workgroupSize: 64 }, (b) => {
    const x = b.buffer('x', 'f32', 'read');
    const y = b.buffer('y', 'f32', 'read-write');
    const i = b.let('i', b.linearIndex());
    b.if(i.lt(y.length()), () => y.store(i, x.load(i).mul(b.f32(scale)).add(y.load(i))));
  });
}

const DEVICE_FACTS: DeviceFacts = {
  adapterInfo: { vendor: 'nvidia', architecture: 'hopper', device: '0x2330', description: 'NVIDIA H100 80GB HBM3' },
  isFallbackAdapter: false,
  features: ['shader-f16', 'timestamp-query'],
  limits: { maxComputeWorkgroupSizeX: 1024, maxComputeInvocationsPerWorkgroup: 1024 },
  browser: { name: 'Chromium', version: '156.0.8078.73' },
  libraryVersion: '0.1.0',
  loweringVersion: 1,
};

/** The device of most tests. */
export const THIS_DEVICE: DeviceFingerprint = deviceFingerprint(DEVICE_FACTS);
/** The same GPU after a browser update: another fingerprint, so other cache keys. */
export const OTHER_DEVICE: DeviceFingerprint = deviceFingerprint({ ...DEVICE_FACTS, browser: { name: 'Chromium', version: '157.0.8100.12' } });

/** Bounds no test reaches. */
export const ROOMY: CacheBounds = { maxEntries: 1000, maxBytes: 1 << 30 };

// ---- a fake build --------------------------------------------------------------------

/** What the fake build returns in place of a `GPUComputePipeline`. */
export interface FakePipeline {
  /** 1 for the first build of this fake, then 2, 3 …: tells two builds of one artifact apart. */
  readonly serial: number;
  readonly label: string;
  readonly code: string;
}

export interface BuildCall {
  readonly artifact: ShaderArtifact;
  readonly label: string;
}

/** A build the test settles by hand (while {@link FakeBuild.holding}). */
export interface HeldBuild {
  readonly call: BuildCall;
  release(): void;
  fail(error: unknown): void;
}

/** A recording `build`: instant by default; held while `holding`; failing where `failWith` says. */
export class FakeBuild {
  /** Every call, in call order. */
  readonly calls: BuildCall[] = [];
  /** Builds waiting for `release` or `fail`, in call order; settled ones stay listed. */
  readonly held: HeldBuild[] = [];
  /** While true, every new build waits in {@link FakeBuild.held}. */
  holding = false;
  /** The error a build of `artifact` throws, or undefined to succeed. */
  failWith: (artifact: ShaderArtifact) => unknown = () => undefined;

  readonly build: BuildPipeline<FakePipeline> = (artifact, label) => {
    const call: BuildCall = { artifact, label };
    this.calls.push(call);
    const serial = this.calls.length;
    const finish = (): FakePipeline => {
      const error = this.failWith(artifact);
      if (error !== undefined) throw error;
      return { serial, label, code: artifact.code };
    };
    if (!this.holding) return Promise.resolve().then(finish);
    return new Promise<FakePipeline>((resolve, reject) => {
      this.held.push({ call, release: () => { try { resolve(finish()); } catch (error) { reject(error); } }, fail: reject });
    });
  };

  /** The WGSL of every build, in call order. */
  get codes(): string[] {
    return this.calls.map((call) => call.artifact.code);
  }

  /** The held build at `index`; fails the test when there is none. */
  heldAt(index: number): HeldBuild {
    const held = this.held[index];
    if (held === undefined) throw new Error(`no held build #${index}; ${this.held.length} held`);
    return held;
  }
}

// ---- caches ----------------------------------------------------------------------------

export interface CacheUnderTest {
  readonly cache: PipelineCache<FakePipeline>;
  readonly fake: FakeBuild;
  readonly store: ArtifactStore;
  /** Every warning the cache logged. */
  readonly logs: LogEntry[];
}

export interface OpenCacheOptions {
  /** The persistent tier; share it between caches to simulate a reload. Default: a fresh roomy memory store. */
  readonly store?: ArtifactStore;
  readonly fingerprint?: DeviceFingerprint;
  readonly memoryBounds?: CacheBounds;
  readonly fake?: FakeBuild;
}

/** A pipeline cache with a fresh fake build and logger over `store` (a fresh memory store by default). */
export function openCache(options: OpenCacheOptions = {}): CacheUnderTest {
  const store = options.store ?? createMemoryStore(ROOMY);
  const fake = options.fake ?? new FakeBuild();
  const logs: LogEntry[] = [];
  const cache = new PipelineCache<FakePipeline>({
    build: fake.build,
    limits: DEFAULT_VALIDATION_LIMITS,
    fingerprint: options.fingerprint ?? THIS_DEVICE,
    browser: 'Chromium 156.0.8078.73',
    store,
    memoryBounds: options.memoryBounds ?? ROOMY,
    persistentBounds: ROOMY,
    logger: createLogger((entry) => logs.push(entry)),
  });
  return { cache, fake, store, logs };
}

/** The page reloads: a new cache (empty memory tier, new fake build) over the same store. */
export function reload(previous: CacheUnderTest, options: Omit<OpenCacheOptions, 'store'> = {}): CacheUnderTest {
  return openCache({ ...options, store: previous.store });
}

/** Lets every pending promise chain run (the memory store settles at once). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The VyreError `promise` rejects with; fails the test when it rejects with anything else or resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<VyreError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VyreError);
    return error as VyreError;
  }
  throw new Error('expected a VyreError, but the promise resolved');
}

/** A `shader-compilation` error, as `compilePipeline` throws for WGSL the GPU compiler rejects. */
export function shaderError(): VyreError {
  return new VyreError('shader-compilation', 'The WGSL did not compile: line 1:1: fake error', 'correct the shader.');
}

/** The identities the store holds for `fingerprint`, most recently used first. */
export async function storedIdentities(store: ArtifactStore, fingerprint: DeviceFingerprint = THIS_DEVICE): Promise<string[]> {
  return (await store.workingSet(fingerprint.digest, Number.MAX_SAFE_INTEGER)).map((record) => record.identity);
}

/** The full identity of the stored record of `pipelineId` (its first 16 hex characters). */
export async function identityOf(store: ArtifactStore, pipelineId: string, fingerprint: DeviceFingerprint = THIS_DEVICE): Promise<string> {
  const identity = (await storedIdentities(store, fingerprint)).find((candidate) => candidate.startsWith(pipelineId));
  if (identity === undefined) throw new Error(`the store holds no record of pipeline ${pipelineId}`);
  return identity;
}

/** `store`'s methods as own properties, so that a spread can replace one of them. */
export function delegatingStore(store: ArtifactStore): ArtifactStore {
  return {
    status: () => store.status(),
    read: (key) => store.read(key),
    write: (input) => store.write(input),
    workingSet: (device, limit) => store.workingSet(device, limit),
    markFirstUse: (identity, use) => store.markFirstUse(identity, use),
    recordsAhead: (device) => store.recordsAhead(device),
    wasEmptyAtOpen: () => store.wasEmptyAtOpen(),
    manifests: () => store.manifests(),
    stats: () => store.stats(),
    clear: () => store.clear(),
    flush: () => store.flush(),
    close: () => store.close(),
  };
}

// ---- a store whose records can be damaged --------------------------------------------

/** A change to a stored record as the database would hand it back (untyped, like storage). */
export type Damage = (record: Record<string, unknown>) => void;

export interface DamageableStore {
  readonly store: ArtifactStore;
  /** From now on, reads of `identity` see the record with `damage` applied. */
  damage(identity: string, damage: Damage): void;
}

/**
 * The memory store keeps records as live objects and has no integrity check on read, and
 * `ArtifactStore` has no `delete`; so this wrapper plays the IndexedDB store's part
 * (`persistent-artifacts.ts`): a damaged record goes through the real `parseRecord`; one
 * that fails it reads as a `corrupt` miss, is counted in `corruptDeleted`, and is gone
 * (hidden from reads, listings and stats) until a write of its identity replaces it.
 */
export function createDamageableStore(inner: ArtifactStore = createMemoryStore(ROOMY)): DamageableStore {
  const damaged = new Map<string, Damage>();
  const deleted = new Map<string, number>(); // identity → bytes
  let corruptDeleted = 0;
  const noSuchIdentity = 'f'.repeat(64);
  /** The store's evidence for `key`, as if its identity were absent (the corrupt record still counts, as in IndexedDB). */
  const evidenceFor = async (key: ArtifactKey): Promise<StoreRead> => inner.read({ ...key, identity: noSuchIdentity });

  const store: ArtifactStore = {
    status: () => inner.status(),
    wasEmptyAtOpen: () => inner.wasEmptyAtOpen(),
    async read(key) {
      if (deleted.has(key.identity)) return evidenceFor(key);
      const read = await inner.read(key);
      const damage = damaged.get(key.identity);
      if (read.kind === 'miss' || damage === undefined) return read;
      const raw = structuredClone(read.record) as unknown as Record<string, unknown>;
      damage(raw);
      const parsed = parseRecord(raw, key.identity);
      if (parsed.ok) return { kind: 'hit', record: parsed.record };
      const miss = await evidenceFor(key);
      damaged.delete(key.identity);
      deleted.set(key.identity, read.record.bytes);
      corruptDeleted++;
      return miss.kind === 'miss' ? { kind: 'miss', evidence: { ...miss.evidence, corrupt: true } } : miss;
    },
    async write(input) {
      damaged.delete(input.identity);
      deleted.delete(input.identity);
      await inner.write(input);
    },
    async workingSet(fingerprint, limit) {
      const all: StoredArtifact[] = await inner.workingSet(fingerprint, Number.MAX_SAFE_INTEGER);
      return all.filter((record) => !deleted.has(record.identity)).slice(0, Math.max(0, Math.floor(limit)));
    },
    markFirstUse: (identity, use) => (deleted.has(identity) ? Promise.resolve() : inner.markFirstUse(identity, use)),
    // A damaged record is only found damaged when read: none is offered ahead.
    recordsAhead: async (device) => (await inner.recordsAhead(device)).filter((record) => !deleted.has(record.identity) && !damaged.has(record.identity)),
    flush: () => inner.flush(),
    async manifests() {
      const hidden = new Set([...deleted.keys()].map((identity) => identity.slice(0, 16)));
      return (await inner.manifests()).filter((manifest) => !hidden.has(manifest.pipelineId));
    },
    async stats(): Promise<StoreStats> {
      const stats = await inner.stats();
      const hiddenBytes = [...deleted.values()].reduce((sum, bytes) => sum + bytes, 0);
      return { ...stats, entries: stats.entries - deleted.size, bytes: stats.bytes - hiddenBytes, corruptDeleted };
    },
    async clear() {
      damaged.clear();
      deleted.clear();
      await inner.clear();
    },
    close: () => inner.close(),
  };
  return { store, damage: (identity, damage) => damaged.set(identity, damage) };
}
