/**
 * Commands that already passed WebGPU validation on this device, so repeats may skip the
 * validation error scope (and its round trip to the GPU process).
 *
 * Why a repeat cannot fail where the first run passed: a command here is (the shapes of
 * its bind groups, grid, number of read-backs). A shape pins the pipeline, every buffer's
 * size and usage and every binding size, every texture's size, format and usage, and which
 * entries alias (bind-group-cache.ts); uploads, clears and copies use exactly those sizes;
 * staging buffers come from the pool with the same usage, at least the same size and
 * unmapped. WebGPU validation of such a command depends on nothing else, except destroyed
 * objects: a bind group over a destroyed buffer or pooled texture is dropped from the cache
 * before it can be reused, and a destroyed kept texture is refused before anything binds it. A lost device replaces the dispatcher, and this
 * set with it. Errors that slip past anyway still reach the device's `uncapturederror`
 * listener, which counts and logs them.
 */

/** Bound on remembered commands; past it the set starts over (first runs pay a scope again). */
const MAX_COMMANDS = 4096;

export class ValidatedCommands {
  private readonly commands = new Set<string>();

  static name(bindGroupId: number | string, grid: readonly [number, number, number], readbacks: number): string {
    return `${bindGroupId}/${grid[0]},${grid[1]},${grid[2]}/${readbacks}`;
  }

  hasAll(commands: readonly string[]): boolean {
    for (const command of commands) if (!this.commands.has(command)) return false;
    return true;
  }

  add(commands: readonly string[]): void {
    for (const command of commands) {
      if (this.commands.size >= MAX_COMMANDS) this.commands.clear();
      this.commands.add(command);
    }
  }
}
