/**
 * The main thread's handle on a texture kept in the worker by a dispatch with `keep`:
 * pass it to the next dispatch as an image input (no read-back in between); free it with
 * `handle.destroy()`.
 */
import type { ResidentTextureRef } from '../protocol/images.ts';

/** A storage texture that stays on the GPU between dispatches. */
export class ResidentTexture {
  /** The plain reference that crosses the worker boundary. */
  readonly ref: ResidentTextureRef;
  readonly #onDestroy: (ref: ResidentTextureRef) => Promise<void>;

  /** @internal Made by dispatches with `keep`. */
  constructor(ref: ResidentTextureRef, onDestroy: (ref: ResidentTextureRef) => Promise<void>) {
    this.ref = ref;
    this.#onDestroy = onDestroy;
  }

  get width(): number {
    return this.ref.width;
  }

  get height(): number {
    return this.ref.height;
  }

  /** The texel format, e.g. `rgba8unorm`. */
  get format(): string {
    return this.ref.format;
  }

  /** Frees the texture; later use of this handle rejects with `invalid-input`. */
  destroy(): Promise<void> {
    return this.#onDestroy(this.ref);
  }
}
