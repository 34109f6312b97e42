/**
 * The memory store's least-recently-used eviction when both bounds are in play. Every
 * small record below has the same size S; the large one is about 2 S.
 */
import { describe, expect, it } from 'vitest';
import type { ShaderArtifact } from '../../src/lower/artifact.ts';
import { createManifest } from '../../src/pipeline/manifest.ts';
import type { ArtifactInput, ArtifactKey } from '../../src/pipeline/artifact-store.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { estimateRecordBytes } from '../../src/store/record.ts';

const DEVICE = 'd'.repeat(64);
const CODE = '@group(0) @binding(0) var<storage, read_write> y: array<u32>;\n@compute @workgroup_size(64) fn main() {}\n';

/** A record named by one character; `extra` characters of code make it larger (2 bytes each). */
function artifact(name: string, extra = 0): ArtifactInput {
  const identity = name.padStart(64, '0');
  const programDigest = name.padStart(64, 'a');
  const artifact: ShaderArtifact = {
    code: `// ${name}${'x'.repeat(extra)}\n${CODE}`,
    entryPoint: 'main',
    workgroupSize: [64, 1, 1],
    buffers: [{ name: 'y', binding: 0, access: 'read-write', type: 'u32' }],
    params: undefined,
    foldableGrid: true,
  };
  return {
    identity, keyVersion: 1, deviceFingerprint: DEVICE, programDigest, policy: 'wg=[64,1,1]', artifact,
    manifest: createManifest({
      pipelineId: name.padStart(16, '0'), programDigest, dispatchPolicy: 'wg=[64,1,1]', cacheHit: false, deviceFingerprint: DEVICE,
      device: 'Test GPU', browser: 'Chromium 156', libraryVersion: '0.1.0', wgslHash: 'e'.repeat(64),
    }),
  };
}

const keyOf = (input: ArtifactInput): ArtifactKey => ({
  identity: input.identity, programDigest: input.programDigest, policy: input.policy, deviceFingerprint: input.deviceFingerprint,
});
const S = estimateRecordBytes(artifact('1'));

describe('memory store eviction under both bounds', () => {
  it('evicts for the entry bound, then for the byte bound, oldest first', async () => {
    const store = createMemoryStore({ maxEntries: 3, maxBytes: 4 * S });
    for (const name of ['1', '2', '3', '4']) await store.write(artifact(name)); // 4 entries: 1 goes → 2, 3, 4 (3 S)
    const large = artifact('L', Math.ceil(S / 2) + 5); // S + 2·(S/2 + 5…) ≈ 2 S + 10
    await store.write(large); // 4 entries, ≈ 5 S: 2 goes (entries), then 3 (≈ 4 S + 10 > 4 S)
    const held = (await store.workingSet(DEVICE, 10)).map((r) => r.identity.replace(/^0+/, ''));
    expect(held).toEqual(['L', '4']);
    expect(await store.stats()).toEqual({ entries: 2, bytes: S + estimateRecordBytes(large), evictions: 3, corruptDeleted: 0, readAheadHits: 0 });
  });

  it('spares a record read since, evicting the next least recently used instead', async () => {
    const store = createMemoryStore({ maxEntries: 10, maxBytes: 3 * S });
    for (const name of ['1', '2', '3']) await store.write(artifact(name));
    await store.read(keyOf(artifact('1')));
    await store.write(artifact('4')); // 4 S > 3 S: the least recently used is now 2
    const held = (await store.workingSet(DEVICE, 10)).map((r) => r.identity.replace(/^0+/, ''));
    expect(held).toEqual(['4', '1', '3']);
  });

  it('evicts nothing when the records sit exactly on both bounds', async () => {
    const store = createMemoryStore({ maxEntries: 2, maxBytes: 2 * S });
    await store.write(artifact('1'));
    await store.write(artifact('2'));
    expect(await store.stats()).toEqual({ entries: 2, bytes: 2 * S, evictions: 0, corruptDeleted: 0, readAheadHits: 0 });
  });
});
