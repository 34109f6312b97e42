/**
 * The side panels: device fingerprint, cache audit, per-tier counters and bytes, and the
 * reproducibility manifests. Each renders from one runtime call, so they always show the
 * runtime's own numbers, never ones the page computed.
 */
import type { CacheSnapshot, PipelineCacheAuditReport, PipelineReproManifest, Runtime } from '../src/index.ts';
import { byTestId, el, fill, formatBytes, hitBadge } from './dom.ts';

function definitionList(rows: readonly (readonly [string, string | Node])[]): HTMLDListElement {
  return el('dl', { class: 'facts' }, ...rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

/** Adapter info, features and the fingerprint that keys the persistent tier. */
export function renderDevice(runtime: Runtime): void {
  const { adapterInfo, features, isFallbackAdapter, limits } = runtime.device;
  const [adapter, browser, library] = runtime.deviceFingerprint.readable.split(' · ');
  fill(
    byTestId('device'),
    definitionList([
      ['adapter', adapter ?? `${adapterInfo.vendor}/${adapterInfo.architecture}`],
      ['description', adapterInfo.description || adapterInfo.device || '(not reported)'],
      ['fallback adapter', isFallbackAdapter ? 'yes (a software or compatibility adapter)' : 'no'],
      ['browser', browser ?? navigator.userAgent],
      ['library', library ?? ''],
      ['features', features.length === 0 ? '(none)' : el('span', { class: 'chips' }, ...features.map((f) => el('code', {}, f)))],
      ['max storage binding', formatBytes(limits.maxStorageBufferBindingSize)],
      ['fingerprint', el('code', { title: runtime.deviceFingerprint.digest }, `${runtime.deviceFingerprint.digest.slice(0, 16)}…`)],
    ]),
  );
}

/** Hit rate in basis points (hits over hits + misses) and the alarm for `thresholdBps`. */
export async function renderAudit(runtime: Runtime, thresholdBps: number): Promise<PipelineCacheAuditReport> {
  const report = await runtime.cacheAudit(thresholdBps);
  const rate = byTestId('audit-rate');
  rate.textContent = report.hitRateBps === null ? 'no data' : `${report.hitRateBps} bps`;
  rate.dataset['bps'] = report.hitRateBps === null ? '' : String(report.hitRateBps);
  byTestId('audit-percent').textContent = report.hitRateBps === null ? 'no hits or misses yet' : `${(report.hitRateBps / 100).toFixed(2)} % of hits + misses`;
  byTestId('audit-counts').textContent = `${report.hits} hits · ${report.misses} misses · ${report.unknowns} unknown (not in the rate)`;
  const alarm = byTestId('audit-alarm');
  const state = thresholdBps === 0 ? 'off' : report.hitRateBps === null ? 'no-data' : report.belowAlarmThreshold ? 'alarm' : 'ok';
  alarm.dataset['state'] = state;
  alarm.textContent = {
    off: 'alarm off (threshold 0)',
    'no-data': 'no alarm: no hits or misses to rate',
    alarm: `ALARM: below ${thresholdBps} bps`,
    ok: `ok: at or above ${thresholdBps} bps`,
  }[state];
  return report;
}

/** Per-tier entries, bytes and evictions, and the runtime's counters. */
export async function renderSnapshot(runtime: Runtime): Promise<CacheSnapshot> {
  const snap = await runtime.cacheSnapshot();
  const { memory, persistent, counters } = snap;
  const misses = Object.entries(counters.missReasons).filter(([, n]) => n > 0).map(([reason, n]) => `${reason} ×${n}`);
  const num = (n: number): HTMLTableCellElement => el('td', { class: 'num' }, String(n));
  fill(
    byTestId('snapshot'),
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, el('th', {}, 'tier'), el('th', { class: 'num' }, 'entries'), el('th', { class: 'num' }, 'bytes'), el('th', { class: 'num' }, 'evictions'), el('th', { class: 'num' }, 'served'))),
      el(
        'tbody',
        {},
        el('tr', { 'data-tier': 'memory' }, el('td', {}, 'memory (worker)'), num(memory.entries), el('td', { class: 'num' }, formatBytes(memory.bytes)), num(memory.evictions), num(counters.memoryHits)),
        el('tr', { 'data-tier': 'persistent' }, el('td', {}, 'persistent (IndexedDB)'), num(persistent.entries), el('td', { class: 'num' }, formatBytes(persistent.bytes)), num(persistent.evictions), num(counters.persistentHits)),
        el('tr', { 'data-tier': 'compiled' }, el('td', {}, 'compiled from scratch'), el('td', { class: 'num' }, '—'), el('td', { class: 'num' }, '—'), el('td', { class: 'num' }, '—'), num(counters.compiled)),
      ),
    ),
    definitionList([
      ['storage', snap.storage.mode === 'persistent' ? `persistent (database "${snap.storage.dbName}")` : `memory only: ${snap.storage.reason}`],
      ['joined a compile in flight', String(counters.joinedInFlight)],
      ['prewarmed at startup', String(counters.startupPrewarmed)],
      ['WGSL builds started before reflection', `${counters.builtFromGuess} (${counters.builtFromGuessUsed} kept)`],
      ['corrupt records deleted', String(persistent.corruptDeleted)],
      ['persistent-tier misses', misses.length === 0 ? 'none' : misses.join(', ')],
    ]),
  );
  return snap;
}

/** The stored manifests, most recently used first; returns them for the download button. */
export async function renderManifests(runtime: Runtime): Promise<PipelineReproManifest[]> {
  const manifests = await runtime.manifests();
  byTestId('manifest-count').textContent = `${manifests.length} stored`;
  const short = (text: string): HTMLElement => el('code', { title: text }, text.length > 12 ? `${text.slice(0, 12)}…` : text);
  fill(
    byTestId('manifests'),
    manifests.length === 0
      ? el('p', { class: 'muted' }, 'No stored pipelines. Run a workload, or the persistent tier is off.')
      : el(
          'table',
          {},
          el('thead', {}, el('tr', {}, ...['pipeline', 'program digest', 'policy', 'cache hit when stored', 'WGSL hash', 'library'].map((h) => el('th', {}, h)))),
          el(
            'tbody',
            {},
            ...manifests.map((m) =>
              el('tr', {}, el('td', {}, el('code', {}, m.pipelineId)), el('td', {}, short(m.programDigest)), el('td', {}, el('code', {}, m.dispatchPolicy)), el('td', {}, hitBadge(m.cacheHit)), el('td', {}, short(m.wgslHash)), el('td', {}, m.libraryVersion)),
            ),
          ),
        ),
  );
  return manifests;
}

/** Offers `JSON.stringify(manifests)` as a file download (a Blob URL, revoked after use). */
export function downloadJson(fileName: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const link = el('a', { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke later: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
