/**
 * The order the startup replay warms stored pipelines in: the order the app first asked
 * for them on its last visit. An app asks for its pipelines in much the same order every
 * load, so its first compile is warmed first and waits least.
 *
 * By last use alone that order is lost: every use refreshes `lastUsed`, so after a visit
 * that compiled A, B, C the records read C, B, A — and a replay that itself refreshed
 * them, or a page that used A again last, scrambles it further (measured on the H200:
 * the app's first kernel came 13th of 13). Each record keeps instead its first use of
 * the latest session that used it ({@link FirstUse}).
 */
import type { StoredArtifact } from './artifact-store.ts';

/**
 * `records` in replay order: the latest session's pipelines in the order the app first
 * asked for them, then older sessions' (newest session first, each in its own order),
 * then records without a first use (stored by an older version, or warmed but never
 * asked for), least recently used first as before. Does not change `records`.
 */
export function replayOrder(records: readonly StoredArtifact[]): StoredArtifact[] {
  return [...records].sort((a, b) => {
    const sessionA = a.firstUse?.session ?? -1;
    const sessionB = b.firstUse?.session ?? -1;
    if (sessionA !== sessionB) return sessionB - sessionA;
    if (a.firstUse !== undefined && b.firstUse !== undefined) return a.firstUse.rank - b.firstUse.rank;
    return a.lastUsed - b.lastUsed;
  });
}
