/**
 * Memory for large read-backs, made while the GPU works.
 *
 * A read-back copies the mapped staging buffer into new memory (the mapped range dies at
 * `unmap()`), and that memory then moves to the main thread. For a large output, most of
 * that copy's time is not the copy but the new memory: the allocator's zero-fill or, for
 * memory fresh from the OS, a page fault on every 4 KiB page at first write. An 8 MB
 * output: allocating and copying took 1.1 ms where copying into memory already touched
 * took 0.5 ms (Node 20 on the development VM). That memory cannot be reused, since it is
 * handed to the caller, but it can be made before the map settles: the worker waits there
 * anyway. So a dispatch asks for its large outputs' memory right after its submit, touches
 * one byte per page, and copies into it once the map settles.
 */

/** Read-backs from this size get their memory ahead; below it the wait is too short to matter. */
export const LAND_AHEAD_FROM_BYTES = 256 * 1024;

/** The smallest page size of the platforms WebGPU runs on: one write per page faults it in. */
const PAGE_BYTES = 4096;

/** Memory made ahead, by the staging buffer whose bytes will land in it. */
export type Landings = ReadonlyMap<GPUBuffer, ArrayBuffer>;

/**
 * New memory of `bytes` for each large read-back, every page written once.
 * @param readbacks - each staging buffer and how many bytes will be copied out of it.
 */
export function landAhead(readbacks: readonly { readonly staging: GPUBuffer; readonly bytes: number }[]): Landings {
  const landings = new Map<GPUBuffer, ArrayBuffer>();
  for (const { staging, bytes } of readbacks) {
    if (bytes < LAND_AHEAD_FROM_BYTES) continue;
    landings.set(staging, touchedBuffer(bytes));
  }
  return landings;
}

/** A new buffer of `bytes` whose every page has been written (with the zero it holds). */
export function touchedBuffer(bytes: number): ArrayBuffer {
  const buffer = new ArrayBuffer(bytes);
  const view = new Uint8Array(buffer);
  for (let offset = 0; offset < bytes; offset += PAGE_BYTES) view[offset] = 0;
  return buffer;
}

/**
 * The first `bytes` of `mapped`, copied into `landing` when it is that size, else into new memory.
 * @param mapped - a mapped range; valid only until its buffer is unmapped.
 */
export function copyOut(mapped: ArrayBuffer, bytes: number, landing: ArrayBuffer | undefined): ArrayBuffer {
  if (landing === undefined || landing.byteLength !== bytes) return mapped.slice(0, bytes);
  new Uint8Array(landing).set(new Uint8Array(mapped, 0, bytes));
  return landing;
}
