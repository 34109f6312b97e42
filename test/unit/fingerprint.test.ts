/**
 * The device fingerprint: every fact that can change generated code or its reuse
 * changes the digest, and nothing else does.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CODEGEN_LIMITS, deviceFingerprint, type DeviceFacts } from '../../src/pipeline/fingerprint.ts';

const H100_LIMITS: Readonly<Record<string, number>> = {
  maxComputeWorkgroupSizeX: 1024,
  maxComputeWorkgroupSizeY: 1024,
  maxComputeWorkgroupSizeZ: 64,
  maxComputeInvocationsPerWorkgroup: 1024,
  maxComputeWorkgroupStorageSize: 32768,
  maxStorageBuffersPerShaderStage: 10,
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBufferBindingSize: 4294967292,
  maxUniformBufferBindingSize: 65536,
  maxBindingsPerBindGroup: 1000,
  maxTextureDimension2D: 16384,
  maxBufferSize: 4294967296,
};

const BASE: DeviceFacts = {
  adapterInfo: {
    vendor: 'nvidia',
    architecture: 'hopper',
    device: '0x2330',
    description: 'NVIDIA H100 80GB HBM3',
    subgroupMinSize: 32,
    subgroupMaxSize: 32,
    isFallbackAdapter: false,
  },
  isFallbackAdapter: false,
  features: ['shader-f16', 'subgroups', 'timestamp-query'],
  limits: H100_LIMITS,
  browser: { name: 'Chromium', version: '156.0.8078.73' },
  libraryVersion: '0.1.0',
  loweringVersion: 1,
};

const digestOf = (facts: DeviceFacts): string => deviceFingerprint(facts).digest;
const BASE_DIGEST = digestOf(BASE);

const withInfo = (info: Record<string, string | number | boolean>): DeviceFacts => ({ ...BASE, adapterInfo: info });
const withLimits = (limits: Record<string, number>): DeviceFacts => ({ ...BASE, limits });
const without = <T extends object>(record: T, key: string): T => {
  const copy = { ...record } as Record<string, unknown>;
  delete copy[key];
  return copy as T;
};

/** A value of the same type that differs from `value`. */
function changed(value: string | number | boolean): string | number | boolean {
  if (typeof value === 'string') return `${value}x`;
  if (typeof value === 'number') return value + 1;
  return !value;
}

describe('deviceFingerprint', () => {
  it('digests to 64 lowercase hex characters, the same for the same facts', () => {
    expect(BASE_DIGEST).toMatch(/^[0-9a-f]{64}$/);
    expect(digestOf(structuredClone(BASE))).toBe(BASE_DIGEST);
  });

  describe('changes when any adapter-info field changes', () => {
    it.each(Object.entries(BASE.adapterInfo))('%s', (key, value) => {
      expect(digestOf(withInfo({ ...BASE.adapterInfo, [key]: changed(value) }))).not.toBe(BASE_DIGEST);
    });
  });

  describe('changes when an adapter-info field is removed', () => {
    it.each(Object.keys(BASE.adapterInfo))('%s', (key) => {
      expect(digestOf(withInfo(without(BASE.adapterInfo, key)))).not.toBe(BASE_DIGEST);
    });
  });

  it('changes when the browser reports a new adapter-info field', () => {
    expect(digestOf(withInfo({ ...BASE.adapterInfo, driver: '580.1' }))).not.toBe(BASE_DIGEST);
  });

  it('keeps the types of adapter-info values apart: "32", 32 and true differ', () => {
    const as = (value: string | number | boolean) => digestOf(withInfo({ ...BASE.adapterInfo, subgroupMinSize: value }));
    expect(new Set([as('32'), as(32), as(true), as(1), as('1')]).size).toBe(5);
  });

  it('does not depend on the order of adapter-info keys', () => {
    const reversed = Object.fromEntries(Object.entries(BASE.adapterInfo).reverse());
    expect(Object.keys(reversed)).not.toEqual(Object.keys(BASE.adapterInfo));
    expect(digestOf(withInfo(reversed))).toBe(BASE_DIGEST);
  });

  it('changes when the value moves between two adapter-info keys', () => {
    // Framing each key with its value keeps {a:'', b:'x'} apart from {a:'x', b:''}.
    expect(digestOf(withInfo({ vendor: '', architecture: 'x' }))).not.toBe(digestOf(withInfo({ vendor: 'x', architecture: '' })));
  });

  it('accepts empty adapter strings (browsers may blank them) and keeps them apart from absent ones', () => {
    const blank = withInfo({ vendor: '', architecture: '', device: '', description: '' });
    expect(digestOf(blank)).toMatch(/^[0-9a-f]{64}$/);
    expect(digestOf(blank)).not.toBe(digestOf(withInfo({})));
  });

  it('changes with the fallback-adapter flag', () => {
    expect(digestOf({ ...BASE, isFallbackAdapter: true })).not.toBe(BASE_DIGEST);
  });

  describe('changes when any enabled feature is removed', () => {
    it.each(BASE.features)('%s', (feature) => {
      expect(digestOf({ ...BASE, features: BASE.features.filter((f) => f !== feature) })).not.toBe(BASE_DIGEST);
    });
  });

  it('changes when a feature is added', () => {
    expect(digestOf({ ...BASE, features: [...BASE.features, 'float32-filterable'] })).not.toBe(BASE_DIGEST);
  });

  it('does not depend on the order of features, nor on duplicates', () => {
    expect(digestOf({ ...BASE, features: [...BASE.features].reverse() })).toBe(BASE_DIGEST);
    expect(digestOf({ ...BASE, features: [...BASE.features, 'subgroups'] })).toBe(BASE_DIGEST);
  });

  it('names exactly the ten codegen limits the design lists', () => {
    expect([...CODEGEN_LIMITS].sort()).toEqual(
      [
        'maxBindingsPerBindGroup',
        'maxComputeInvocationsPerWorkgroup',
        'maxComputeWorkgroupSizeX',
        'maxComputeWorkgroupSizeY',
        'maxComputeWorkgroupSizeZ',
        'maxComputeWorkgroupStorageSize',
        'maxComputeWorkgroupsPerDimension',
        'maxStorageBufferBindingSize',
        'maxStorageBuffersPerShaderStage',
        'maxUniformBufferBindingSize',
      ].sort(),
    );
  });

  describe('changes when any codegen limit changes', () => {
    it.each([...CODEGEN_LIMITS])('%s', (name) => {
      expect(digestOf(withLimits({ ...H100_LIMITS, [name]: (H100_LIMITS[name] ?? 0) - 1 }))).not.toBe(BASE_DIGEST);
    });
  });

  describe('keeps an absent codegen limit apart from a limit of 0', () => {
    it.each([...CODEGEN_LIMITS])('%s', (name) => {
      const absent = digestOf(withLimits(without(H100_LIMITS, name)));
      const zero = digestOf(withLimits({ ...H100_LIMITS, [name]: 0 }));
      expect(absent).not.toBe(zero);
      expect(absent).not.toBe(BASE_DIGEST);
    });
  });

  it('keeps a codegen limit above 2^32 exact (binding sizes are 64-bit)', () => {
    const big = (value: number) => digestOf(withLimits({ ...H100_LIMITS, maxStorageBufferBindingSize: value }));
    expect(big(2 ** 33)).not.toBe(big(2 ** 33 + 1));
  });

  it.each([
    ['maxTextureDimension2D', 8192],
    ['maxBufferSize', 2 ** 31],
    ['maxVertexBuffers', 8],
  ])('ignores %s: it changes no compute code', (name, value) => {
    expect(digestOf(withLimits({ ...H100_LIMITS, [name]: value }))).toBe(BASE_DIGEST);
    expect(digestOf(withLimits(without(H100_LIMITS, name)))).toBe(BASE_DIGEST);
  });

  it.each([
    ['browser name', { ...BASE, browser: { ...BASE.browser, name: 'Google Chrome' } }],
    ['browser version (a Chrome update drops its shader cache)', { ...BASE, browser: { ...BASE.browser, version: '156.0.8078.74' } }],
    ['library version', { ...BASE, libraryVersion: '0.1.1' }],
    ['lowering version', { ...BASE, loweringVersion: 2 }],
  ] as const)('changes with the %s', (_, facts) => {
    expect(digestOf(facts)).not.toBe(BASE_DIGEST);
  });

  it('keeps browser name and version apart when characters move between them', () => {
    const a = digestOf({ ...BASE, browser: { name: 'Chromium 1', version: '56' } });
    const b = digestOf({ ...BASE, browser: { name: 'Chromium', version: '156' } });
    expect(a).not.toBe(b);
  });

  it('frames exactly the documented fields (independent re-implementation with node:crypto)', () => {
    const facts: DeviceFacts = {
      adapterInfo: { vendor: 'v', subgroupMinSize: 4, isFallbackAdapter: true },
      isFallbackAdapter: true,
      features: ['b', 'a'],
      limits: { maxComputeWorkgroupSizeX: 256 },
      browser: { name: 'node-dawn', version: 'v20.19.0' },
      libraryVersion: '0.1.0',
      loweringVersion: 1,
    };
    const text = (tag: number, value: string) => {
      const bytes = Buffer.from(value, 'utf8');
      return Buffer.concat([Buffer.from([tag]), u32le(bytes.length), bytes]);
    };
    const u32 = (value: number) => Buffer.concat([Buffer.from([0x01]), u32le(value)]);
    const list = (count: number) => Buffer.concat([Buffer.from([0x04]), u32le(count)]);
    const f64 = (value: number) => {
      const bytes = Buffer.alloc(9);
      bytes[0] = 0x05;
      bytes.writeDoubleLE(value, 1);
      return bytes;
    };
    const limitFields = CODEGEN_LIMITS.flatMap((name) =>
      name === 'maxComputeWorkgroupSizeX' ? [text(0x02, name), u32(1), f64(256)] : [text(0x02, name), u32(0)],
    );
    const framed = Buffer.concat([
      text(0x03, 'vyre-web/device-fingerprint/v1'),
      // adapter info, keys sorted: isFallbackAdapter < subgroupMinSize < vendor
      list(3),
      text(0x02, 'isFallbackAdapter'), u32(1),
      text(0x02, 'subgroupMinSize'), f64(4),
      text(0x02, 'vendor'), text(0x02, 'v'),
      u32(1), // fallback flag
      list(2), text(0x02, 'a'), text(0x02, 'b'), // features sorted
      list(CODEGEN_LIMITS.length), ...limitFields,
      text(0x02, 'node-dawn'), text(0x02, 'v20.19.0'), text(0x02, '0.1.0'), u32(1),
    ]);
    expect(digestOf(facts)).toBe(createHash('sha256').update(framed).digest('hex'));
  });
});

describe('readable fingerprint summary', () => {
  it('reads vendor/architecture (description) · browser · library/lowering · feature count', () => {
    expect(deviceFingerprint(BASE).readable).toBe(
      'nvidia/hopper (NVIDIA H100 80GB HBM3) · Chromium 156.0.8078.73 · vyre-web 0.1.0/lowering 1 · 3 features',
    );
  });

  it('is stable: the same facts in another key and feature order read the same', () => {
    const shuffled = { ...BASE, adapterInfo: Object.fromEntries(Object.entries(BASE.adapterInfo).reverse()), features: [...BASE.features].reverse() };
    expect(deviceFingerprint(shuffled).readable).toBe(deviceFingerprint(BASE).readable);
  });

  it('reads "unknown" for blank vendor and architecture, and leaves out an empty name', () => {
    const blank = { ...BASE, adapterInfo: { vendor: '', architecture: '', device: '', description: '' }, features: ['shader-f16'] };
    expect(deviceFingerprint(blank).readable).toBe('unknown/unknown · Chromium 156.0.8078.73 · vyre-web 0.1.0/lowering 1 · 1 feature');
  });

  it('falls back to the device string when the description is blank, and marks a fallback adapter', () => {
    const swiftshader: DeviceFacts = {
      ...BASE,
      adapterInfo: { vendor: 'google', architecture: 'swiftshader', device: 'subzero', description: '' },
      isFallbackAdapter: true,
      features: [],
      browser: { name: 'node-dawn', version: 'v20.19.0' },
    };
    expect(deviceFingerprint(swiftshader).readable).toBe('google/swiftshader (subzero) · node-dawn v20.19.0 · vyre-web 0.1.0/lowering 1 · 0 features · fallback');
  });

  it('stays on one line when an adapter string holds newlines', () => {
    const odd = { ...BASE, adapterInfo: { ...BASE.adapterInfo, description: '  NVIDIA\nH100\t ' } };
    expect(deviceFingerprint(odd).readable).toContain('(NVIDIA H100)');
    expect(deviceFingerprint(odd).readable).not.toMatch(/\n/);
  });
});

function u32le(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}
