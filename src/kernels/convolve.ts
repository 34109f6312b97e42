/**
 * 1-D convolution (correlation form) of f32 with a short filter, zero-padded at the edges.
 */
import { program } from '../program/builder.ts';

/**
 * `y[i] = Σ_{k < taps} w[k] · x[i + k − radius]` for every `i < x.length`, where
 * `taps = w.length` and `x` reads 0 outside `0 … x.length − 1`.
 *
 * - Inputs: `x` (`read`, f32), `w` (`read`, f32: the filter taps).
 * - Outputs: `y` (`output`, f32, as long as `x`).
 * - Params: `radius` (u32): how far the filter reaches left of `i`; a centred filter of
 *   `2r + 1` taps has `radius = r`.
 * - Dispatch options: `{ params: { radius } }`; the default grid covers `y`.
 * - Floats: `acc = acc + w[k] · x[…]` for k in increasing order from `+0`, a separate
 *   product and sum each rounded to f32 — exact under docs/semantics.md (the GPU, the
 *   interpreter and a plain loop rounding the same way agree bit for bit). Against the
 *   exact sum: `|y − exact| ≤ (taps + 1) · 2⁻²⁴ · Σ_k |w[k] · x[…]|` (first order).
 *
 * Workgroup size 64; indexed by `linear-index`, so grids of any size fold.
 */
export const convolve1d = program({ name: 'convolve-1d-f32', workgroupSize: 64 }, (b) => {
  const x = b.buffer('x', 'f32', 'read');
  const w = b.buffer('w', 'f32', 'read');
  const y = b.buffer('y', 'f32', 'output', { sizing: { kind: 'same-as', buffer: 'x' } });
  const radius = b.param('radius', 'u32');
  const i = b.let('i', b.linearIndex());
  const n = b.let('n', x.length());
  b.if(i.lt(n), () => {
    const acc = b.let('acc', b.f32(0));
    b.loop('k', 0, w.length(), (k) => {
      // i + k − radius as u32: in range only when i + k ≥ radius (no wrap) and below n.
      const reach = b.let('reach', i.add(k));
      const j = b.let('j', reach.sub(radius));
      const sample = b.select(reach.ge(radius).and(j.lt(n)), x.load(j), 0);
      acc.set(acc.add(w.load(k).mul(sample)));
    });
    y.store(i, acc);
  });
  return { x, w, y };
});
