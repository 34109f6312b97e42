/**
 * The stored records of this device, read ahead in one background transaction as the store
 * opens, so that the lookups of an app's start-up (a dozen pipelines
 * compiled one after another) are served without a transaction each. A lookup's own
 * read-only transaction cost 1.05–1.16 ms of every persistent-tier compile on the H200 in
 * real Chrome (docs/benchmarks.md, warmup suite), against a goal of the whole compile within
 * 1 ms of raw WebGPU's.
 *
 * A record is served once (the memory tier holds the pipeline afterwards) and is checked
 * when read, like any other. One written meanwhile (another tab, a recompile) is forgotten,
 * so that the newer one is read instead.
 */
import type { StoredArtifact } from '../pipeline/artifact-store.ts';

/** Records read ahead: the device's most recently used ones, as the startup replay takes them. */
export const READ_AHEAD_LIMIT = 32;

/** The most recently used records, and whether they are every record there was (fewer than asked for). */
export interface NewestRead {
  readonly records: StoredArtifact[];
  readonly all: boolean;
}

export class ReadAhead {
  #records = new Map<string, StoredArtifact>();
  #state: 'idle' | 'loading' | 'done' = 'idle';
  /** Written while the read ran (its copy is older), or every record when the store was cleared. */
  readonly #outdated = new Set<string>();
  #clearedWhileLoading = false;
  /** Every record the read gave, most recent first, while they are known to be all the store holds; else undefined. */
  #whole: readonly StoredArtifact[] | undefined;
  #hits = 0;
  /** Settles once the read has (or has nothing to do); never rejects. */
  #settled: Promise<void> = Promise.resolve();

  /**
   * `load` reads up to {@link READ_AHEAD_LIMIT} checked records, most recently used first, of
   * one device or (undefined) of any; a failure leaves nothing read ahead.
   */
  constructor(private readonly load: (deviceFingerprint: string | undefined) => Promise<NewestRead>) {}

  /** Starts reading ahead for `deviceFingerprint`, or for any device; only the first call reads. */
  start(deviceFingerprint?: string): void {
    if (this.#state !== 'idle') return;
    this.#state = 'loading';
    const settle = ({ records, all }: NewestRead): void => {
      if (!this.#clearedWhileLoading) for (const record of records) if (!this.#outdated.has(record.identity)) this.#records.set(record.identity, record);
      // Written or cleared meanwhile: the read no longer shows the whole store.
      if (all && !this.#clearedWhileLoading && this.#outdated.size === 0) this.#whole = records;
      this.#outdated.clear();
      this.#state = 'done';
    };
    this.#settled = this.load(deviceFingerprint).then(settle, () => settle({ records: [], all: false }));
  }

  /**
   * The `limit` most recently used records of `deviceFingerprint`, as the store's own working
   * set read would give them, when the read ahead holds every record the store had and none was
   * written or cleared since; `undefined` otherwise (or before the read settled). Taking a
   * record to serve a lookup does not change the store, so it does not count.
   */
  workingSet(deviceFingerprint: string, limit: number): StoredArtifact[] | undefined {
    if (this.#whole === undefined) return undefined;
    return this.#whole.filter((record) => record.deviceFingerprint === deviceFingerprint).slice(0, Math.max(0, Math.floor(limit)));
  }

  /** Resolves once a read under way has settled (at once when none is). */
  settled(): Promise<void> {
    return this.#settled;
  }

  /** The record of `identity` read ahead, taken (served once); `undefined` when there is none (yet). */
  take(identity: string): StoredArtifact | undefined {
    const record = this.#records.get(identity);
    if (record === undefined) return undefined;
    this.#records.delete(identity);
    this.#hits++;
    return record;
  }

  /** The records read ahead and not yet taken, most recently used first; none while loading. */
  records(): StoredArtifact[] {
    return [...this.#records.values()];
  }

  /** Drops the record of `identity`, written anew; without one, every record (the store was cleared). */
  forget(identity?: string): void {
    this.#whole = undefined;
    if (identity === undefined) {
      this.#records.clear();
      if (this.#state === 'loading') this.#clearedWhileLoading = true;
      return;
    }
    this.#records.delete(identity);
    if (this.#state === 'loading') this.#outdated.add(identity);
  }

  /** Lookups served from the records read ahead so far. */
  get hits(): number {
    return this.#hits;
  }
}
