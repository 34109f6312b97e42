/**
 * Stored artifact records: what the checksum covers, and the integrity check every
 * read from the persistent tier goes through (it must reject every kind of damage with
 * a reason, and never throw on anything).
 */
import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/hash/framing.ts';
import type { ShaderArtifact } from '../../src/lower/artifact.ts';
import { createManifest } from '../../src/pipeline/manifest.ts';
import { RECORD_SCHEMA_VERSION, type ArtifactInput, type StoredArtifact } from '../../src/pipeline/artifact-store.ts';
import type { WgslType } from '../../src/protocol/wgsl-module.ts';
import { checksumOf, createRecord, estimateRecordBytes, parseRecord } from '../../src/store/record.ts';
import { prng } from '../fuzz/random.ts';

const hex = (c: string): string => c.repeat(64);

const ARTIFACT: ShaderArtifact = {
  code: '@group(0) @binding(0) var<storage, read> x: array<f32>;\n@compute @workgroup_size(64) fn main() {}\n',
  entryPoint: 'main',
  workgroupSize: [64, 1, 1],
  buffers: [
    { name: 'x', binding: 0, access: 'read', type: 'f32' },
    { name: 'y', binding: 1, access: 'output', type: 'u32', sizing: { kind: 'dispatch' } },
    { name: 'z', binding: 2, access: 'read-write', type: 'i32', sizing: { kind: 'static', count: 16 } },
    { name: 'w', binding: 3, access: 'output', type: 'f32', sizing: { kind: 'same-as', buffer: 'x' } },
  ],
  params: { binding: 4, fields: [{ name: 'k', type: 'u32' }, { name: 'scale', type: 'f32' }], byteSize: 16 },
  foldableGrid: true,
};

/**
 * `struct Params { N: u32, eps: f32 }` laid out by hand from the WGSL rules: two 4-byte
 * scalars at offsets 0 and 4; the struct aligns to its widest member (4) and its size,
 * 8, is already a multiple of that.
 */
const PARAMS_LAYOUT: WgslType = {
  kind: 'struct',
  name: 'Params',
  members: [
    { name: 'N', type: { kind: 'scalar', scalar: 'u32', size: 4, align: 4 }, offset: 0 },
    { name: 'eps', type: { kind: 'scalar', scalar: 'f32', size: 4, align: 4 }, offset: 4 },
  ],
  size: 8,
  align: 4,
};

/** `array<vec4f>`, runtime-sized: a vec4f is 16 bytes aligned to 16, so the stride is 16 (and so is `size`). */
const VEC4_ARRAY_LAYOUT: WgslType = {
  kind: 'array',
  element: { kind: 'vector', scalar: 'f32', components: 4, size: 16, align: 16 },
  count: null,
  stride: 16,
  size: 16,
  align: 16,
};

/** The artifact of a reflected WGSL module: buffers with group, space and layout, and override constants. */
const WGSL_ARTIFACT: ShaderArtifact = {
  code: [
    'struct Params { N: u32, eps: f32 }',
    'override WG: u32 = 64;',
    '@group(0) @binding(0) var<storage, read_write> points: array<vec4f>;',
    '@group(1) @binding(0) var<uniform> params: Params;',
    '@compute @workgroup_size(WG) fn main() {}',
  ].join('\n'),
  entryPoint: 'main',
  workgroupSize: [64, 1, 1],
  buffers: [
    { name: 'points', binding: 0, access: 'read-write', type: 'f32', space: 'storage', layout: VEC4_ARRAY_LAYOUT },
    { name: 'params', binding: 0, access: 'read', type: 'u32', group: 1, space: 'uniform', layout: PARAMS_LAYOUT },
  ],
  params: undefined,
  foldableGrid: false,
  constants: { WG: 64, scale: 0.5 },
};

function artifactInput(): ArtifactInput {
  return {
    identity: hex('1'),
    keyVersion: 1,
    deviceFingerprint: hex('d'),
    programDigest: hex('2'),
    policy: 'wg=[64,1,1]',
    artifact: ARTIFACT,
    manifest: createManifest({
      pipelineId: '1111111111111111',
      programDigest: hex('2'),
      dispatchPolicy: 'wg=[64,1,1]',
      cacheHit: false,
      deviceFingerprint: hex('d'),
      device: 'Test GPU (vendor, arch)',
      browser: 'Chromium 156.0.0.0',
      libraryVersion: '0.1.0',
      wgslHash: hex('e'),
    }),
  };
}

function wgslInput(): ArtifactInput {
  return { ...artifactInput(), artifact: WGSL_ARTIFACT };
}

const NOW = 1_700_000_000_000;
const valid = (): StoredArtifact => createRecord(artifactInput(), NOW);
const validWgsl = (): StoredArtifact => createRecord(wgslInput(), NOW);
const withSchema = (input: ArtifactInput) => ({ ...input, schemaVersion: RECORD_SCHEMA_VERSION });

/** Every leaf of `value` as a path of keys and indices. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [path];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...path, Array.isArray(value) ? Number(key) : key]));
}

/** A deep copy of `value` with the leaf at `path` replaced by `change(leaf)`. */
function changedAt<T>(value: T, path: readonly (string | number)[], change: (leaf: unknown) => unknown): T {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  node[last] = change(node[last]);
  return copy as T;
}

function altered(leaf: unknown): unknown {
  if (typeof leaf === 'string') return `${leaf}x`;
  if (typeof leaf === 'number') return leaf + 1;
  if (typeof leaf === 'boolean') return !leaf;
  if (leaf === null) return true;
  throw new Error(`no alteration for ${String(leaf)}`);
}

describe('checksumOf', () => {
  it('is 64 lowercase hex characters and the same for the same content', () => {
    expect(checksumOf(withSchema(artifactInput()))).toMatch(/^[0-9a-f]{64}$/);
    expect(checksumOf(withSchema(artifactInput()))).toBe(checksumOf(withSchema(artifactInput())));
  });

  const input = withSchema(artifactInput());
  const paths = leafPaths(input);
  it('covers a representative set of fields (sanity check of the sweep below)', () => {
    expect(paths.length).toBeGreaterThan(40);
    expect(paths).toContainEqual(['artifact', 'params', 'fields', 1, 'type']);
    expect(paths).toContainEqual(['manifest', 'cacheHit']);
  });

  it.each(paths.map((path) => [path.join('.'), path] as const))('changes when %s changes', (_, path) => {
    expect(checksumOf(changedAt(input, path, altered))).not.toBe(checksumOf(input));
  });

  it.each([
    ['a sizing removed', changedAt(input, ['artifact', 'buffers', 1], (b) => ({ ...(b as object), sizing: undefined }))],
    ['the params removed', changedAt(input, ['artifact', 'params'], () => undefined)],
    ['a buffer removed', changedAt(input, ['artifact', 'buffers'], (b) => (b as unknown[]).slice(1))],
    ['two buffers swapped', changedAt(input, ['artifact', 'buffers'], (b) => [...(b as unknown[])].reverse())],
    ['a param field removed', changedAt(input, ['artifact', 'params', 'fields'], (f) => (f as unknown[]).slice(1))],
    ['cacheHit null instead of false', changedAt(input, ['manifest', 'cacheHit'], () => null)],
    ['a static count of 0', changedAt(input, ['artifact', 'buffers', 2, 'sizing', 'count'], () => 0)],
  ])('changes with %s', (_, changed) => {
    expect(checksumOf(changed)).not.toBe(checksumOf(input));
  });

  it('changes when characters move between adjacent fields', () => {
    const a = { ...input, deviceFingerprint: 'ab', programDigest: 'c' };
    const b = { ...input, deviceFingerprint: 'a', programDigest: 'bc' };
    expect(checksumOf(a)).not.toBe(checksumOf(b));
  });

  it('is the SHA-256 of the framing documented in record.ts', () => {
    const small: ArtifactInput = {
      ...artifactInput(),
      artifact: { code: 'C', entryPoint: 'main', workgroupSize: [8, 4, 2], buffers: [{ name: 'x', binding: 0, access: 'read', type: 'u32' }], params: undefined, foldableGrid: false },
    };
    const m = small.manifest;
    const w = new FrameWriter().label('vyre-web/stored-artifact/v1');
    w.string(small.identity).f64(1).f64(RECORD_SCHEMA_VERSION).string(small.deviceFingerprint).string(small.programDigest).string(small.policy);
    w.label('artifact').string('C').string('main').list(3).f64(8).f64(4).f64(2);
    // list 8 · name · binding · access · type · sizing (list 0: absent) · group 0 · space "" · layout ""
    w.list(1).list(8).string('x').f64(0).string('read').string('u32').list(0).f64(0).string('').string('');
    // params absent · foldableGrid false · no constants
    w.list(0).u32(0).list(0);
    w.label('manifest').f64(1).string(m.backendId).string(m.pipelineId).string(m.programDigest).string(m.dispatchPolicy).u32(0);
    w.string(m.deviceFingerprint).string(m.device).string(m.browser).string(m.libraryVersion).string(m.wgslHash);
    expect(checksumOf(withSchema(small))).toBe(w.digestHex());
  });

  it('is the SHA-256 of the documented framing for a reflected buffer with group, space and layout, and constants', () => {
    const small: ArtifactInput = {
      ...artifactInput(),
      artifact: {
        code: 'C',
        entryPoint: 'main',
        workgroupSize: [8, 4, 2],
        buffers: [{ name: 'params', binding: 2, access: 'read', type: 'u32', group: 1, space: 'uniform', layout: PARAMS_LAYOUT }],
        params: undefined,
        foldableGrid: false,
        constants: { scale: 0.5, WG: 64 },
      },
    };
    // The layout as JSON text, written out by hand from PARAMS_LAYOUT (not JSON.stringify of it).
    const layoutJson =
      '{"kind":"struct","name":"Params","members":[' +
      '{"name":"N","type":{"kind":"scalar","scalar":"u32","size":4,"align":4},"offset":0},' +
      '{"name":"eps","type":{"kind":"scalar","scalar":"f32","size":4,"align":4},"offset":4}' +
      '],"size":8,"align":4}';
    const m = small.manifest;
    const w = new FrameWriter().label('vyre-web/stored-artifact/v1');
    w.string(small.identity).f64(1).f64(RECORD_SCHEMA_VERSION).string(small.deviceFingerprint).string(small.programDigest).string(small.policy);
    w.label('artifact').string('C').string('main').list(3).f64(8).f64(4).f64(2);
    w.list(1).list(8).string('params').f64(2).string('read').string('u32').list(0).f64(1).string('uniform').string(layoutJson);
    // Constants in name order: "WG" sorts before "scale" (code units: 'W' < 's').
    w.list(0).u32(0).list(2).string('WG').f64(64).string('scale').f64(0.5);
    w.label('manifest').f64(1).string(m.backendId).string(m.pipelineId).string(m.programDigest).string(m.dispatchPolicy).u32(0);
    w.string(m.deviceFingerprint).string(m.device).string(m.browser).string(m.libraryVersion).string(m.wgslHash);
    expect(checksumOf(withSchema(small))).toBe(w.digestHex());
  });
});

describe('createRecord', () => {
  it('adds schema version, checksum, size and timestamps to a plain copy of the input', () => {
    const record = valid();
    expect(record).toMatchObject({ ...artifactInput(), schemaVersion: RECORD_SCHEMA_VERSION, createdAt: NOW, lastUsed: NOW });
    expect(record.checksum).toBe(checksumOf(withSchema(artifactInput())));
    expect(record.bytes).toBe(estimateRecordBytes(artifactInput()));
    expect(record.artifact).not.toBe(ARTIFACT);
  });

  it('leaves timestamps out of the checksum', () => {
    expect(createRecord(artifactInput(), 1).checksum).toBe(createRecord(artifactInput(), 2).checksum);
  });

  it('estimates size from the WGSL text: 2 bytes per character more code', () => {
    const longer = { ...artifactInput(), artifact: { ...ARTIFACT, code: `${ARTIFACT.code}${' '.repeat(1000)}` } };
    expect(estimateRecordBytes(longer) - estimateRecordBytes(artifactInput())).toBe(2000);
    expect(Number.isInteger(estimateRecordBytes(artifactInput()))).toBe(true);
  });
});

describe('parseRecord', () => {
  it('reads back what createRecord made', () => {
    expect(parseRecord(valid(), hex('1'))).toEqual({ ok: true, record: valid() });
  });

  it('reads back a record after structured clone (what IndexedDB stores) and after JSON', () => {
    expect(parseRecord(structuredClone(valid()))).toEqual({ ok: true, record: valid() });
    const viaJson: unknown = JSON.parse(JSON.stringify(createRecord({ ...artifactInput(), artifact: { ...ARTIFACT, params: undefined } }, NOW)));
    expect(parseRecord(viaJson).ok).toBe(true);
  });

  it('keeps the first use and first GPU compile time as bookkeeping: outside the checksum, read back, a malformed one dropped', () => {
    const kept = createRecord({ ...artifactInput(), firstUse: { session: 1700000000000, rank: 3 }, gpuCompileMs: 18.5 }, NOW);
    expect(kept.checksum).toBe(valid().checksum);
    expect(parseRecord(structuredClone(kept))).toEqual({ ok: true, record: { ...valid(), firstUse: { session: 1700000000000, rank: 3 }, gpuCompileMs: 18.5 } });
    // Bookkeeping orders the replay and informs a report; damage to it is no reason to rebuild.
    for (const junk of [{ firstUse: { session: 'x', rank: 0 } }, { firstUse: null }, { gpuCompileMs: -1 }, { gpuCompileMs: Number.NaN }]) {
      expect(parseRecord({ ...valid(), ...junk })).toEqual({ ok: true, record: valid() });
    }
  });

  it('returns a fresh object without unknown extra fields', () => {
    const parsed = parseRecord({ ...valid(), extra: 1 });
    expect(parsed.ok && 'extra' in parsed.record).toBe(false);
  });

  const damaged: [string, (r: StoredArtifact) => unknown, RegExp][] = [
    ['a bad checksum', (r) => ({ ...r, checksum: '0'.repeat(64) }), /checksum/],
    ['truncated WGSL', (r) => ({ ...r, artifact: { ...r.artifact, code: r.artifact.code.slice(0, 20) } }), /checksum/],
    ['a changed policy', (r) => ({ ...r, policy: 'wg=[32,1,1]' }), /checksum/],
    ['a wrong schema version', (r) => ({ ...r, schemaVersion: RECORD_SCHEMA_VERSION + 1 }), /schemaVersion is 3, expected 2/],
    ['no schema version', ({ schemaVersion: _, ...rest }) => rest, /schemaVersion is undefined/],
    ['a wrong key version', (r) => ({ ...r, keyVersion: 0 }), /keyVersion is 0, expected 1/],
    ['a missing manifest', ({ manifest: _, ...rest }) => rest, /manifest is not an object/],
    ['a missing artifact', ({ artifact: _, ...rest }) => rest, /artifact is not an object/],
    ['a missing checksum', ({ checksum: _, ...rest }) => rest, /checksum is not a string/],
    ['a missing lastUsed', ({ lastUsed: _, ...rest }) => rest, /lastUsed/],
    ['a missing device fingerprint', ({ deviceFingerprint: _, ...rest }) => rest, /deviceFingerprint is not a string/],
    ['a negative size', (r) => ({ ...r, bytes: -1 }), /bytes/],
    ['an artifact that is not an object', (r) => ({ ...r, artifact: 'garbage' }), /artifact is not an object/],
    ['buffers that are not an array', (r) => ({ ...r, artifact: { ...r.artifact, buffers: {} } }), /artifact\.buffers is not an array/],
    ['a string binding', (r) => changedAt(r, ['artifact', 'buffers', 0, 'binding'], () => '0'), /artifact\.buffers\[0\]\.binding is not a u32/],
    ['an unknown access mode', (r) => changedAt(r, ['artifact', 'buffers', 1, 'access'], () => 'write'), /access is "write"/],
    ['an unknown element type', (r) => changedAt(r, ['artifact', 'buffers', 1, 'type'], () => 'f16'), /buffers\[1\]\.type/],
    ['an unknown sizing kind', (r) => changedAt(r, ['artifact', 'buffers', 1, 'sizing', 'kind'], () => 'grow'), /sizing\.kind/],
    ['a fractional static count', (r) => changedAt(r, ['artifact', 'buffers', 2, 'sizing', 'count'], () => 1.5), /sizing\.count is not a u32/],
    ['a workgroup size of 2 axes', (r) => changedAt(r, ['artifact', 'workgroupSize'], () => [64, 1]), /workgroupSize is not an array of 3/],
    ['a negative workgroup size', (r) => changedAt(r, ['artifact', 'workgroupSize', 0], () => -64), /workgroupSize\[0\] is not a u32/],
    ['params that are null', (r) => changedAt(r, ['artifact', 'params'], () => null), /params is not an object/],
    ['an f64 parameter', (r) => changedAt(r, ['artifact', 'params', 'fields', 0, 'type'], () => 'f64'), /params\.fields\[0\]\.type/],
    ['a string foldableGrid', (r) => changedAt(r, ['artifact', 'foldableGrid'], () => 'true'), /foldableGrid is not a boolean/],
    ['a manifest of another schema', (r) => changedAt(r, ['manifest', 'schema'], () => 2), /manifest\.schema is 2/],
    ['a manifest cacheHit of "yes"', (r) => changedAt(r, ['manifest', 'cacheHit'], () => 'yes'), /cacheHit/],
    ['a manifest without a WGSL hash', (r) => changedAt(r, ['manifest', 'wgslHash'], () => undefined), /manifest\.wgslHash is not a string/],
  ];
  it.each(damaged)('rejects a record with %s, saying why', (_, damage, reason) => {
    const result = parseRecord(damage(valid()));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it.each([null, undefined, 42, 'record', [], [valid()], true])('rejects %j: not an object', (value) => {
    expect(parseRecord(value)).toEqual({ ok: false, reason: 'record is not an object' });
  });

  it('rejects a record stored under another identity', () => {
    const result = parseRecord(valid(), hex('9'));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/identity "1{40}…" does not match the key "9{40}…"/) as unknown });
  });

  it('never throws: throwing getters, proxies, cycles', () => {
    const throwing = Object.defineProperty({ ...valid() }, 'artifact', { get: () => { throw new Error('boom'); } });
    const proxy = new Proxy({}, { get: () => { throw new Error('trap'); } });
    const cyclic: Record<string, unknown> = { ...valid() };
    cyclic['artifact'] = cyclic;
    for (const value of [throwing, proxy, cyclic, Object.create(null) as unknown]) {
      expect(parseRecord(value).ok).toBe(false);
    }
  });

  it('never throws on seeded random junk, and accepts none of it', () => {
    const next = prng(0x5eed);
    for (let i = 0; i < 2000; i++) {
      const junk = randomValue(next, 4);
      expect(() => parseRecord(junk)).not.toThrow();
      expect(parseRecord(junk).ok).toBe(false);
    }
  });

  it('never throws when one field of a valid record is replaced by junk, and rejects what changes content', () => {
    const next = prng(0xc0ffee);
    const record = valid();
    const paths = leafPaths(record).concat([['artifact'], ['manifest'], ['artifact', 'buffers'], ['artifact', 'params']]);
    const bookkeeping = new Set(['bytes', 'createdAt', 'lastUsed']);
    for (let i = 0; i < 2000; i++) {
      const path = paths[Math.floor(next() * paths.length)] ?? [];
      const junk = randomValue(next, 3);
      const damaged = changedAt(record, path, () => junk);
      let result: ReturnType<typeof parseRecord> | undefined;
      expect(() => (result = parseRecord(damaged))).not.toThrow();
      const content = !(path.length === 1 && bookkeeping.has(String(path[0])));
      if (content && result?.ok) expect(result.record).toEqual(record); // only an equal value may pass
    }
  });
});

describe('records of reflected WGSL buffers', () => {
  it('round-trips group, space, layout and constants through createRecord and parseRecord unchanged', () => {
    const record = validWgsl();
    expect(record.artifact).toEqual(WGSL_ARTIFACT);
    expect(record.artifact.buffers[1]?.layout).not.toBe(PARAMS_LAYOUT);
    expect(record.artifact.constants).not.toBe(WGSL_ARTIFACT.constants);
    expect(parseRecord(record, hex('1'))).toEqual({ ok: true, record });
  });

  it('reads back after structured clone (what IndexedDB stores) and after JSON', () => {
    expect(parseRecord(structuredClone(validWgsl()))).toEqual({ ok: true, record: validWgsl() });
    expect(parseRecord(JSON.parse(JSON.stringify(validWgsl())))).toEqual({ ok: true, record: validWgsl() });
  });

  const input = withSchema(wgslInput());
  const paths = leafPaths(input.artifact)
    .filter(([key, , field]) => (key === 'buffers' && ['group', 'space', 'layout'].includes(String(field))) || key === 'constants')
    .map((path) => ['artifact', ...path]);
  it('covers every leaf of the layouts and constants (sanity check of the sweep below)', () => {
    expect(paths).toContainEqual(['artifact', 'buffers', 1, 'layout', 'members', 1, 'offset']);
    expect(paths).toContainEqual(['artifact', 'buffers', 0, 'layout', 'element', 'components']);
    expect(paths).toContainEqual(['artifact', 'constants', 'scale']);
  });

  it.each(paths.map((path) => [path.join('.'), path] as const))('changes the checksum when %s changes', (_, path) => {
    expect(checksumOf(changedAt(input, path, altered))).not.toBe(checksumOf(input));
  });

  it.each([
    ['a group removed', changedAt(input, ['artifact', 'buffers', 1], (b) => ({ ...(b as object), group: undefined }))],
    ['a space removed', changedAt(input, ['artifact', 'buffers', 1], (b) => ({ ...(b as object), space: undefined }))],
    ['a layout removed', changedAt(input, ['artifact', 'buffers', 1], (b) => ({ ...(b as object), layout: undefined }))],
    ['the constants removed', changedAt(input, ['artifact', 'constants'], () => undefined)],
    ['a constant added', changedAt(input, ['artifact', 'constants'], (c) => ({ ...(c as object), extra: 0 }))],
  ])('changes the checksum with %s', (_, changed) => {
    expect(checksumOf(changed)).not.toBe(checksumOf(input));
  });

  it('frames constants in name order, so the order they were set in does not matter', () => {
    const reordered = changedAt(input, ['artifact', 'constants'], () => ({ scale: 0.5, WG: 64 }));
    expect(checksumOf(reordered)).toBe(checksumOf(input));
  });

  const corrupt: [string, (r: StoredArtifact) => unknown, RegExp][] = [
    ['a layout of an unknown kind', (r) => changedAt(r, ['artifact', 'buffers', 1, 'layout', 'kind'], () => 'texture'), /artifact\.buffers\[1\]\.layout\.kind/],
    ['a layout of negative size', (r) => changedAt(r, ['artifact', 'buffers', 1, 'layout', 'size'], () => -8), /artifact\.buffers\[1\]\.layout\.size/],
    ['a member of unknown kind', (r) => changedAt(r, ['artifact', 'buffers', 1, 'layout', 'members', 0, 'type', 'kind'], () => 'bool'), /artifact\.buffers\[1\]\.layout\.members\[0\]\.type\.kind/],
    ['a member at a negative offset', (r) => changedAt(r, ['artifact', 'buffers', 1, 'layout', 'members', 1, 'offset'], () => -4), /artifact\.buffers\[1\]\.layout\.members\[1\]\.offset/],
    ['an array element of fractional size', (r) => changedAt(r, ['artifact', 'buffers', 0, 'layout', 'element', 'size'], () => 1.5), /artifact\.buffers\[0\]\.layout\.element\.size/],
    ['a vector of 5 components', (r) => changedAt(r, ['artifact', 'buffers', 0, 'layout', 'element', 'components'], () => 5), /artifact\.buffers\[0\]\.layout\.element\.components/],
    ['a layout that is a string', (r) => changedAt(r, ['artifact', 'buffers', 1, 'layout'], () => 'Params'), /artifact\.buffers\[1\]\.layout is not an object/],
    ['a negative group', (r) => changedAt(r, ['artifact', 'buffers', 1, 'group'], () => -1), /artifact\.buffers\[1\]\.group is not a u32/],
    ['an unknown space', (r) => changedAt(r, ['artifact', 'buffers', 1, 'space'], () => 'workgroup'), /artifact\.buffers\[1\]\.space is "workgroup"/],
    ['a constant that is not a number', (r) => changedAt(r, ['artifact', 'constants', 'WG'], () => '64'), /artifact\.constants\.WG is not a finite number/],
    ['a constant that is NaN', (r) => changedAt(r, ['artifact', 'constants', 'scale'], () => Number.NaN), /artifact\.constants\.scale is not a finite number/],
  ];
  it.each(corrupt)('reads a record with %s as corrupt, naming the path', (_, damage, reason) => {
    const result = parseRecord(damage(validWgsl()));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

const KEYS = ['identity', 'keyVersion', 'schemaVersion', 'artifact', 'manifest', 'checksum', 'code', 'buffers', 'kind', 'bytes', 'x'];

function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 0 ? 10 : 7));
  switch (pick) {
    case 0: return null;
    case 1: return undefined;
    case 2: return next() < 0.5;
    case 3: return [0, 1, -1, 1.5, NaN, Infinity, 2 ** 32, RECORD_SCHEMA_VERSION][Math.floor(next() * 8)];
    case 4: return ['', 'main', 'read', 'dispatch', hex('1'), '\u{1F600}'][Math.floor(next() * 6)];
    case 5: return BigInt(Math.floor(next() * 100));
    case 6: return Symbol('junk');
    case 7: return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth - 1));
    default: {
      const object: Record<string, unknown> = {};
      const count = Math.floor(next() * 6);
      for (let k = 0; k < count; k++) object[KEYS[Math.floor(next() * KEYS.length)] ?? 'x'] = randomValue(next, depth - 1);
      return object;
    }
  }
}

describe('records of WGSL programs with images', () => {
  const IMAGES: NonNullable<ShaderArtifact['images']> = [
    { kind: 'sampler', name: 'samp', group: 0, binding: 0, comparison: false },
    { kind: 'texture', name: 'src', group: 0, binding: 1, dimension: '2d', sampleType: 'float', multisampled: false },
    { kind: 'storage-texture', name: 'dst', group: 1, binding: 0, dimension: '2d', format: 'rgba8unorm', access: 'write-only' },
  ];
  const imageInput = (): ArtifactInput => ({ ...wgslInput(), artifact: { ...WGSL_ARTIFACT, images: IMAGES } });

  it('round-trips the image resources through createRecord, structured clone and parseRecord, as copies', () => {
    const record = createRecord(imageInput(), NOW);
    expect(record.artifact.images).toEqual(IMAGES);
    expect(record.artifact.images?.[0]).not.toBe(IMAGES[0]);
    expect(parseRecord(structuredClone(record))).toEqual({ ok: true, record });
  });

  it('covers the images in the checksum, and leaves a record without images with the checksum it had', () => {
    expect(checksumOf(withSchema(imageInput()))).not.toBe(checksumOf(withSchema(wgslInput())));
    const moved = { ...imageInput(), artifact: { ...WGSL_ARTIFACT, images: [IMAGES[1], IMAGES[0], IMAGES[2]] as typeof IMAGES } };
    expect(checksumOf(withSchema(moved))).not.toBe(checksumOf(withSchema(imageInput())));
    // The framing of a record without images is the one documented before images: the test above pins it.
    expect(validWgsl().artifact.images).toBeUndefined();
  });

  it.each([
    ['an unknown kind', { kind: 'texture-ish' }],
    ['a storage format WGSL does not have', { format: 'rgba9unorm' }],
    ['a negative binding', { binding: -1 }],
  ])('reads a stored image with %s as corrupt', (_what, change) => {
    const record = createRecord(imageInput(), NOW);
    const damaged = { ...record, artifact: { ...record.artifact, images: [{ ...IMAGES[2], ...change }] } };
    // Refused by the structural check (before the checksum, which would refuse it too).
    expect(parseRecord(damaged)).toMatchObject({ ok: false, reason: expect.stringContaining('artifact.images[0]') });
  });
});
