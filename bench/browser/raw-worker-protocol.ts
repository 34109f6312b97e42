/**
 * What the warmup suite's "raw WebGPU in a worker" baseline (`raw-worker.ts`) is sent and
 * answers. Types only, so the worker imports nothing at run time.
 */

/** One buffer of the first dispatch, bound at its index in group 0. */
export interface RawWorkerBuffer {
  /** Its initial contents (copied into the buffer), or only its size in bytes (left zero). */
  readonly data: ArrayBuffer | number;
  /** A uniform buffer; otherwise storage. */
  readonly uniform?: boolean;
}

/** The app, as the worker runs it: every shader in order, the first one dispatched once. */
export interface RawWorkerJob {
  readonly shaders: readonly { readonly name: string; readonly code: string; readonly entryPoint: string }[];
  readonly first: {
    readonly buffers: readonly RawWorkerBuffer[];
    /** The buffer read back after the dispatch (its index in `buffers`). */
    readonly readBack: number;
    readonly workgroups: number;
  };
}

/**
 * The worker's messages, in order. `at` is a moment on the shared clock
 * (`performance.timeOrigin + performance.now()`), so the page can place it on its own.
 */
export type RawWorkerMessage =
  | { readonly kind: 'device'; readonly createdAt: number; readonly adapterAskedAt: number; readonly adapterAt: number; readonly deviceAt: number; readonly adapter: string }
  | { readonly kind: 'first-result'; readonly compileMs: number; readonly output: ArrayBuffer }
  /** `databaseAt`: when the worker's IndexedDB database had opened (NaN: it did not). */
  | { readonly kind: 'all-compiled'; readonly compileMs: readonly number[]; readonly databaseAt: number }
  | { readonly kind: 'failed'; readonly message: string };
