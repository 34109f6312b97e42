/**
 * The device fingerprint: everything outside the program and its policy that can change
 * the generated code, its validity, or whether a compiled pipeline can be reused. It is
 * the third part of the pipeline identity (see `identity.ts`), so a new GPU, driver,
 * browser build or library codegen gets its own cache keys instead of stale ones.
 *
 * Framing (field encoding in `src/hash/framing.ts`; changing anything below requires a
 * new version label):
 *
 *   label  "vyre-web/device-fingerprint/v1"
 *   list   adapter-info entries (count), sorted by key (UTF-16 code-unit order), each:
 *            string key
 *            value: string → string, number → f64, boolean → u32 0|1
 *          (an entry whose value is none of these, e.g. `undefined`, is left out and not
 *          counted, exactly like an absent key)
 *   u32    fallback-adapter flag, 0|1
 *   list   features (count), sorted and deduplicated, each a string
 *   list   codegen limits (count = CODEGEN_LIMITS.length), in CODEGEN_LIMITS order, each:
 *            string limit name
 *            u32 0                 the device reported no such limit
 *            u32 1, f64 value      the device reported `value`
 *          (so an absent limit never frames like a limit of 0)
 *   string browser name
 *   string browser version
 *   string library version
 *   u32    lowering version
 *
 * The tag byte before every value keeps types apart: `"32"`, `32` and `true` frame
 * differently. Limits outside CODEGEN_LIMITS (texture sizes, vertex limits) never enter,
 * so a browser that raises an unrelated limit keeps its cache.
 *
 * Readable summary (one line, stable for the same facts, never parsed by vyre-web):
 *
 *   "<vendor>/<architecture> (<description>) · <browser> <version> · vyre-web <lib>/lowering <n> · <k> features[ · fallback]"
 *
 * Empty vendor or architecture read `unknown`; the parenthesised part uses the
 * description, else the device string, and is left out when both are empty; `1 feature`
 * is singular; whitespace runs (including newlines) collapse to one space.
 */
import { FrameWriter } from '../hash/framing.ts';

/** The browser the worker runs in. Node with Dawn reports `{ name: 'node-dawn', version: process.version }`. */
export interface BrowserFacts {
  /** e.g. `Chromium`, `Google Chrome`, `Firefox`, `Safari`. */
  readonly name: string;
  /** The full version: Chrome drops its shader cache on every update, e.g. `156.0.8078.73`. */
  readonly version: string;
}

/** Everything the fingerprint is computed from. Plain data. */
export interface DeviceFacts {
  /**
   * Every `GPUAdapterInfo` field the browser gave (vendor, architecture, device,
   * description, subgroupMinSize, subgroupMaxSize, isFallbackAdapter …). Strings may
   * legally be empty (browsers blank them for privacy). Must be a plain object:
   * `GPUAdapterInfo` keeps its fields as prototype getters, which `Object.keys` does not
   * see, so copy them first (`for (const key in info) record[key] = info[key]`).
   */
  readonly adapterInfo: Readonly<Record<string, string | number | boolean>>;
  readonly isFallbackAdapter: boolean;
  /** Enabled device features; order and duplicates do not matter. */
  readonly features: readonly string[];
  /** All device limits; only {@link CODEGEN_LIMITS} enter the fingerprint (read by name). */
  readonly limits: Readonly<Record<string, number>>;
  readonly browser: BrowserFacts;
  /** `LIBRARY_VERSION` of `src/version.ts`. */
  readonly libraryVersion: string;
  /** `LOWERING_VERSION` of `src/lower/lower-program.ts`. */
  readonly loweringVersion: number;
}

/**
 * The device limits that change generated code or whether it is valid: workgroup sizes
 * and invocation counts (written into or checked against `@workgroup_size`), workgroup
 * storage (shared arrays), bindings per stage and group (the bind-group layout), grid
 * size (grid folding) and binding sizes (buffer planning baked into the artifact).
 */
export const CODEGEN_LIMITS = [
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxUniformBufferBindingSize',
  'maxBindingsPerBindGroup',
] as const;

/** One of {@link CODEGEN_LIMITS}. */
export type CodegenLimit = (typeof CODEGEN_LIMITS)[number];

/** The fingerprint as the pipeline identity and the manifest use it. */
export interface DeviceFingerprint {
  /** SHA-256 of the framing above, 64 lowercase hex characters. */
  readonly digest: string;
  /** The readable one-line summary described above; for humans and manifests only. */
  readonly readable: string;
}

export const DEVICE_FINGERPRINT_LABEL = 'vyre-web/device-fingerprint/v1';

/**
 * Computes the device fingerprint of `facts`.
 * @param facts - what the worker learned about adapter, device, browser and library.
 * @returns the digest and its readable summary.
 * @throws RangeError when `loweringVersion` is not a u32 (a vyre-web bug: it is a constant).
 * @example
 * ```ts
 * const fingerprint = deviceFingerprint({ adapterInfo: { vendor: 'nvidia', architecture: 'hopper' },
 *   isFallbackAdapter: false, features: ['shader-f16'], limits: { maxComputeWorkgroupSizeX: 1024 },
 *   browser: { name: 'Chromium', version: '156.0.8078.73' },
 *   libraryVersion: LIBRARY_VERSION, loweringVersion: LOWERING_VERSION });
 * ```
 */
export function deviceFingerprint(facts: DeviceFacts): DeviceFingerprint {
  return { digest: fingerprintDigest(facts), readable: readableSummary(facts) };
}

function fingerprintDigest(facts: DeviceFacts): string {
  const frame = new FrameWriter().label(DEVICE_FINGERPRINT_LABEL);

  const entries = Object.keys(facts.adapterInfo)
    .sort()
    .flatMap((key) => {
      const value: unknown = facts.adapterInfo[key];
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? [[key, value] as const] : [];
    });
  frame.list(entries.length);
  for (const [key, value] of entries) {
    frame.string(key);
    if (typeof value === 'string') frame.string(value);
    else if (typeof value === 'number') frame.f64(value);
    else frame.u32(value ? 1 : 0);
  }

  frame.u32(facts.isFallbackAdapter ? 1 : 0);

  const features = [...new Set(facts.features)].sort();
  frame.list(features.length);
  for (const feature of features) frame.string(feature);

  frame.list(CODEGEN_LIMITS.length);
  for (const name of CODEGEN_LIMITS) {
    frame.string(name);
    // A plain property read, not `Object.hasOwn`: limits copied from (or cast from) a
    // `GPUSupportedLimits` may live on a prototype as getters.
    const value: unknown = facts.limits[name];
    if (typeof value === 'number') frame.u32(1).f64(value);
    else frame.u32(0);
  }

  return frame
    .string(facts.browser.name)
    .string(facts.browser.version)
    .string(facts.libraryVersion)
    .u32(facts.loweringVersion)
    .digestHex();
}

function readableSummary(facts: DeviceFacts): string {
  const info = (key: string): string => {
    const value = facts.adapterInfo[key];
    return typeof value === 'string' ? oneLine(value) : '';
  };
  const vendor = info('vendor') || 'unknown';
  const architecture = info('architecture') || 'unknown';
  const name = info('description') || info('device');
  const featureCount = new Set(facts.features).size;
  const parts = [
    `${vendor}/${architecture}${name ? ` (${name})` : ''}`,
    oneLine(`${facts.browser.name} ${facts.browser.version}`),
    oneLine(`vyre-web ${facts.libraryVersion}/lowering ${facts.loweringVersion}`),
    `${featureCount} ${featureCount === 1 ? 'feature' : 'features'}`,
  ];
  if (facts.isFallbackAdapter) parts.push('fallback');
  return parts.join(' · ');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
