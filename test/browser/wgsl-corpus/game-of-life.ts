/**
 * Conway's game of life on a torus: the board's size as a `vec2<u32>` in a storage binding
 * of its own, cells as `array<u32>` (0 or 1), an 8×8 workgroup per tile, and generations
 * run by feeding each dispatch's output back in as the next one's input.
 */
import { defineShader, randomInts, uint32Output } from './support.ts';

export const GAME_OF_LIFE_WGSL: string = /* wgsl */ `
@group(0) @binding(0) var<storage, read> size: vec2<u32>;
@group(0) @binding(1) var<storage, read> current: array<u32>;
@group(0) @binding(2) var<storage, read_write> next: array<u32>;

fn cellAt(x: i32, y: i32) -> u32 {
  let w = i32(size.x);
  let h = i32(size.y);
  let wx = (x + w) % w;   // wrap around: the board is a torus
  let wy = (y + h) % h;
  return current[u32(wy * w + wx)];
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (gid.x >= size.x || gid.y >= size.y) { return; }
  let x = i32(gid.x);
  let y = i32(gid.y);
  var neighbours = 0u;
  for (var dy = -1; dy <= 1; dy++) {
    for (var dx = -1; dx <= 1; dx++) {
      if (dx != 0 || dy != 0) { neighbours += cellAt(x + dx, y + dy); }
    }
  }
  let alive = cellAt(x, y) == 1u;
  next[gid.y * size.x + gid.x] = select(0u, 1u, neighbours == 3u || (alive && neighbours == 2u));
}
`;

/** A 45 × 30 board (neither side a multiple of 8), about a third alive. */
export function lifeInputs(): { width: number; height: number; cells: Uint32Array } {
  const width = 45;
  const height = 30;
  return { width, height, cells: Uint32Array.from(randomInts(width * height, 501, 0, 2), (v) => (v === 0 ? 1 : 0)) };
}

/** One generation of Conway's rules (B3/S23) on a torus. */
export function lifeReference(width: number, height: number, cells: ArrayLike<number>): Uint32Array {
  const next = new Uint32Array(width * height);
  const at = (x: number, y: number) => cells[((y + height) % height) * width + ((x + width) % width)] ?? 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (dx !== 0 || dy !== 0) n += at(x + dx, y + dy);
      next[y * width + x] = n === 3 || (at(x, y) === 1 && n === 2) ? 1 : 0;
    }
  }
  return next;
}

/** Generations run, each checked against the reference applied to the GPU's previous board. */
const GENERATIONS = 6;

export const gameOfLife = defineShader(
  "Conway's game of life with a vec2<u32> size buffer",
  ['vec2<u32> size in its own storage binding', 'array<u32> cells', '2-D workgroups (8, 8) with a bounds guard', 'outputs sized by the outputs option', 'output fed back as input'],
  async (run) => {
    const { width, height, cells } = lifeInputs();
    const pipeline = await run.compile({ code: GAME_OF_LIFE_WGSL });
    let board = cells;
    for (let generation = 1; generation <= GENERATIONS; generation++) {
      const out = await pipeline.dispatch(
        { size: [width, height], current: board },
        { grid: [Math.ceil(width / 8), Math.ceil(height / 8), 1], outputs: { next: width * height } },
      );
      const next = uint32Output(out, 'next');
      run.exact(`generation ${generation}`, next, lifeReference(width, height, board));
      board = next;
    }
    run.fingerprint(board);
  },
);
