/**
 * Record writes held back for a while after their compile (see `WRITE_BEHIND_MS` in
 * indexeddb-store.ts), released at once when a read must see them. IndexedDB runs a read after
 * the read-write transactions created before it, so a read that first releases the held writes
 * and waits until each has created its transaction finds every record asked to be written
 * before it, as when writes began at once (a miss's reason depends on what the store holds).
 */

interface HeldWrite {
  release(): void;
  readonly begun: Promise<void>;
}

/** One write's hold: `ready` when it may go on, and `begun()` to call once its transaction exists (or it gave up). */
export interface WriteHold {
  readonly ready: Promise<void>;
  begun(): void;
}

export class WritesBehind {
  readonly #held = new Set<HeldWrite>();

  constructor(private readonly delayMs: number) {}

  get size(): number {
    return this.#held.size;
  }

  /** Holds one write for the delay, or until {@link release}. */
  hold(): WriteHold {
    let markBegun!: () => void;
    const begun = new Promise<void>((resolve) => (markBegun = resolve));
    let release!: () => void;
    const ready = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.delayMs);
      release = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    const held: HeldWrite = { release, begun };
    this.#held.add(held);
    return {
      ready,
      begun: () => {
        this.#held.delete(held);
        markBegun();
      },
    };
  }

  /** Lets every held write go now; resolves once each has begun. */
  async release(): Promise<void> {
    const held = [...this.#held];
    for (const write of held) write.release();
    await Promise.all(held.map((write) => write.begun));
  }
}
