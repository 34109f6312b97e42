/** Small DOM and formatting helpers; the page builds its DOM from text only (no innerHTML). */
import type { CacheHit, CompileTier } from '../src/index.ts';

type Child = Node | string | null | undefined | false;

/**
 * Creates an element with attributes (`data-*`, `class`, …) and children.
 * @example el('td', { class: 'num' }, '12 ms')
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: readonly Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

/** The element with `data-testid`, or a thrown error naming it (a missing one is our bug). */
export function byTestId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.querySelector<T>(`[data-testid="${id}"]`);
  if (node === null) throw new Error(`demo/index.html has no [data-testid="${id}"]`);
  return node;
}

/** Milliseconds with precision that suits the size: 0.012 ms, 4.3 ms, 812 ms, 2.41 s. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/** `now ÷ first` as a factor: 0.12×, 1.0×, 3.4×; a dash when `first` is not positive. */
export function formatRatio(now: number, first: number): string {
  if (!(first > 0) || !Number.isFinite(now)) return '—';
  const ratio = now / first;
  return `${ratio < 0.1 ? ratio.toFixed(3) : ratio < 10 ? ratio.toFixed(2) : ratio.toFixed(0)}×`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** The cache-hit word the legend explains: hit (true), miss (false), unknown (null). */
export function hitWord(hit: CacheHit): 'hit' | 'miss' | 'unknown' {
  return hit === true ? 'hit' : hit === false ? 'miss' : 'unknown';
}

/** A coloured badge for a cache-hit value (colours match the chart's tier colours). */
export function hitBadge(hit: CacheHit): HTMLElement {
  const word = hitWord(hit);
  return el('span', { class: `badge badge-${word}` }, word);
}

/** Tier colours, shared by charts, badges and the legend. */
export const TIER_COLORS: Readonly<Record<CompileTier, string>> = {
  compiled: '#d1242f',
  persistent: '#8250df',
  memory: '#1a7f37',
};

/** Tiers in the order a cache warms up: from scratch, from IndexedDB, from the worker's memory. */
export const TIERS: readonly CompileTier[] = ['compiled', 'persistent', 'memory'];

/** Replaces `node`'s children. */
export function fill(node: Element, ...children: readonly Child[]): void {
  node.replaceChildren();
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
}
