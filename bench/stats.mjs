// Shared by the benchmark command and its suites: sample summaries and time formatting.

/** Milliseconds for a table cell: µs below 1 ms, '–' for no data. */
export const fmt = (ms) => (!Number.isFinite(ms) ? '–' : ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

/** n, median and p95 (nearest rank) of a list of numbers; NaN for an empty list. */
export function summarize(values) {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return { n: sorted.length, median: at(0.5), p95: at(0.95) };
}
