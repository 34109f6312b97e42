/**
 * The engine on Dawn under Node, as the GPU benchmarks run it: the `webgpu` package's
 * globals installed, a memory-only store (Node has no IndexedDB), default bounds.
 */
import { create, globals } from 'webgpu';
import { createEngine, type Engine } from '../../src/gpu/engine.ts';
import { createLogger } from '../../src/logger.ts';
import { DEFAULT_MEMORY_BOUNDS, DEFAULT_PERSISTENT_BOUNDS } from '../../src/pipeline/limits.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';

/**
 * Installs the WebGPU globals and a `navigator` with Dawn's `gpu`, as a worker has them,
 * so the runtime's same-thread mode runs under Node.
 */
export function installNodeNavigator(): void {
  Object.assign(globalThis, globals);
  Object.assign(globalThis, { navigator: { gpu: create([]), userAgent: `Node.js/${process.version}` } });
}

export async function createNodeEngine(runtimeId: string): Promise<{ gpu: GPU; engine: Engine }> {
  Object.assign(globalThis, globals);
  const gpu = create([]) as unknown as GPU;
  const engine = await createEngine(gpu, {
    browser: { name: 'node-dawn', version: process.version },
    store: createMemoryStore(DEFAULT_PERSISTENT_BOUNDS),
    memoryBounds: DEFAULT_MEMORY_BOUNDS,
    persistentBounds: DEFAULT_PERSISTENT_BOUNDS,
    logger: createLogger(),
    runtimeId,
  });
  return { gpu, engine };
}
