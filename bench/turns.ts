/**
 * The order in which benchmark ways take their turns. Each round runs every way once, in
 * an order shuffled by a seeded generator: over many rounds each way follows each other
 * way about equally often. (Rotating only which way goes first does not do that: way k
 * then always follows way k − 1, and a way that leaves the GPU or a thread warm or cold
 * biases the next one the same way every round.) Seeded so that runs are repeatable.
 */
export function turnOrders(ways: number, seed = 0x5eed): (round: number) => number[] {
  let state = seed >>> 0;
  // mulberry32: small, fast, and good enough to shuffle a handful of names.
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const order = Array.from({ length: ways }, (_, index) => index);
    for (let index = ways - 1; index > 0; index--) {
      const other = Math.floor(next() * (index + 1));
      [order[index], order[other]] = [order[other] as number, order[index] as number];
    }
    return order;
  };
}
