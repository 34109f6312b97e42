/**
 * Stored artifact records: checksum, size estimate, creation, and the integrity check
 * every read goes through. Pure; shared by the IndexedDB and memory stores.
 *
 * Checksum framing (SHA-256 over `FrameWriter` fields; see `src/hash/framing.ts` for the
 * tags). Every number is an f64 field, so the framing is total; booleans are u32 0/1:
 *
 *   label  "vyre-web/stored-artifact/v1"
 *   string identity · f64 keyVersion · f64 schemaVersion
 *   string deviceFingerprint · string programDigest · string policy
 *   label  "artifact"
 *   string code · string entryPoint · list 3 (f64 x, f64 y, f64 z)
 *   list   buffers.length, then per buffer:
 *            list 8 · string name · f64 binding · string access · string type · sizing
 *                   · f64 group (0 when absent) · string space ("" when absent)
 *                   · string layout (JSON of the WGSL type, "" when absent)
 *            sizing := list 0                                  (absent)
 *                    | list 1 string "dispatch"
 *                    | list 2 string "static" f64 count
 *                    | list 2 string "same-as" string buffer
 *   params := list 0 (absent) | list 3 f64 binding · f64 byteSize · list fields.length,
 *             then per field: string name · string type
 *   u32    foldableGrid
 *   list   constants (name order), then per constant: string name · f64 value
 *   images := nothing (absent: every record made before images, whose checksums stay valid)
 *           | label "images" · list images.length, then per image: string JSON of the image
 *   label  "manifest"
 *   f64 schema · string backendId · string pipelineId · string programDigest
 *   string dispatchPolicy · u32 cacheHit (0 false, 1 true, 2 null) · string deviceFingerprint
 *   string device · string browser · string libraryVersion · string wgslHash
 *
 * Not covered (bookkeeping that changes without the content changing): `checksum`,
 * `bytes`, `createdAt`, `lastUsed`, and the optional `firstUse` and `gpuCompileMs`. A new content field must join the framing, the
 * parser below and `RECORD_SCHEMA_VERSION` (a bump turns old records into rebuilds).
 */
import { FrameWriter } from '../hash/framing.ts';
import type { BoundBuffer, ParamsLayout, ShaderArtifact } from '../lower/artifact.ts';
import { CURRENT_PIPELINE_CACHE_KEY_VERSION } from '../pipeline/identity.ts';
import { MANIFEST_SCHEMA, type PipelineReproManifest } from '../protocol/compile.ts';
import type { IrParam, OutputSizing } from '../protocol/ir.ts';
import { BUFFER_ACCESS_MODES, ELEMENT_TYPES, type WorkgroupSize } from '../protocol/elements.ts';
import { RECORD_SCHEMA_VERSION, type ArtifactInput, type StoredArtifact } from '../pipeline/artifact-store.ts';
import type { WgslType } from '../protocol/wgsl-module.ts';
import { readImage, readLayout } from './record-layout.ts';

export type ParsedRecord = { readonly ok: true; readonly record: StoredArtifact } | { readonly ok: false; readonly reason: string };

const PARAM_TYPES = ['u32', 'i32', 'f32'] as const;

/** SHA-256 (lowercase hex) over the documented framing of every content field. */
export function checksumOf(input: ArtifactInput & { readonly schemaVersion: number }): string {
  const w = new FrameWriter().label('vyre-web/stored-artifact/v1');
  w.string(input.identity).f64(input.keyVersion).f64(input.schemaVersion);
  w.string(input.deviceFingerprint).string(input.programDigest).string(input.policy);
  const { artifact, manifest } = input;
  w.label('artifact').string(artifact.code).string(artifact.entryPoint);
  w.list(3).f64(artifact.workgroupSize[0]).f64(artifact.workgroupSize[1]).f64(artifact.workgroupSize[2]);
  w.list(artifact.buffers.length);
  for (const buffer of artifact.buffers) {
    w.list(8).string(buffer.name).f64(buffer.binding).string(buffer.access).string(buffer.type);
    frameSizing(w, buffer.sizing);
    w.f64(buffer.group ?? 0).string(buffer.space ?? '').string(buffer.layout === undefined ? '' : JSON.stringify(buffer.layout));
  }
  if (artifact.params === undefined) {
    w.list(0);
  } else {
    w.list(3).f64(artifact.params.binding).f64(artifact.params.byteSize).list(artifact.params.fields.length);
    for (const field of artifact.params.fields) w.string(field.name).string(field.type);
  }
  w.u32(artifact.foldableGrid ? 1 : 0);
  const constants = Object.keys(artifact.constants ?? {}).sort();
  w.list(constants.length);
  for (const name of constants) w.string(name).f64(artifact.constants?.[name] ?? 0);
  if (artifact.images !== undefined) {
    w.label('images').list(artifact.images.length);
    for (const image of artifact.images) w.string(JSON.stringify(image));
  }
  w.label('manifest').f64(manifest.schema).string(manifest.backendId).string(manifest.pipelineId);
  w.string(manifest.programDigest).string(manifest.dispatchPolicy);
  w.u32(manifest.cacheHit === null ? 2 : manifest.cacheHit ? 1 : 0);
  w.string(manifest.deviceFingerprint).string(manifest.device).string(manifest.browser);
  w.string(manifest.libraryVersion).string(manifest.wgslHash);
  return w.digestHex();
}

function frameSizing(w: FrameWriter, sizing: OutputSizing | undefined): void {
  if (sizing === undefined) {
    w.list(0);
    return;
  }
  switch (sizing.kind) {
    case 'dispatch':
      w.list(1).string('dispatch');
      return;
    case 'static':
      w.list(2).string('static').f64(sizing.count);
      return;
    case 'same-as':
      w.list(2).string('same-as').string(sizing.buffer);
      return;
  }
}

/** Allowance for keys, numbers and structured-clone framing of one record. */
const RECORD_OVERHEAD_BYTES = 512;
/** Allowance per buffer or parameter object. */
const OBJECT_OVERHEAD_BYTES = 48;

/**
 * Estimated size of a record in bytes: 2 bytes per UTF-16 code unit of every string
 * (the WGSL dominates) plus fixed allowances. An estimate, not what the browser charges
 * against the quota; it is what the byte bound counts.
 */
export function estimateRecordBytes(input: ArtifactInput): number {
  const { artifact, manifest } = input;
  let units = input.identity.length + input.deviceFingerprint.length + input.programDigest.length + input.policy.length;
  units += artifact.code.length + artifact.entryPoint.length + 64; // + the checksum
  let objects = 0;
  for (const buffer of artifact.buffers) {
    units += buffer.name.length + (buffer.sizing?.kind === 'same-as' ? buffer.sizing.buffer.length : 0);
    objects++;
  }
  for (const field of artifact.params?.fields ?? []) {
    units += field.name.length;
    objects++;
  }
  units += manifest.backendId.length + manifest.pipelineId.length + manifest.programDigest.length;
  units += manifest.dispatchPolicy.length + manifest.deviceFingerprint.length + manifest.device.length;
  units += manifest.browser.length + manifest.libraryVersion.length + manifest.wgslHash.length;
  return RECORD_OVERHEAD_BYTES + objects * OBJECT_OVERHEAD_BYTES + units * 2;
}

/**
 * The record to store for `input` at time `now` (ms since the epoch): a plain copy of
 * the content fields plus schema version, checksum, size and timestamps.
 */
export function createRecord(input: ArtifactInput, now: number): StoredArtifact {
  const content = {
    identity: input.identity,
    keyVersion: input.keyVersion,
    schemaVersion: RECORD_SCHEMA_VERSION,
    deviceFingerprint: input.deviceFingerprint,
    programDigest: input.programDigest,
    policy: input.policy,
    artifact: copyArtifact(input.artifact),
    manifest: copyManifest(input.manifest),
  };
  return { ...content, checksum: checksumOf(content), bytes: estimateRecordBytes(content), createdAt: now, lastUsed: now, ...bookkeepingOf(input) };
}

/**
 * The optional bookkeeping fields of `o` that are well formed. A malformed one is dropped,
 * not a reason to call the record corrupt: it only orders the replay or informs a report.
 */
function bookkeepingOf(o: { readonly firstUse?: unknown; readonly gpuCompileMs?: unknown }): Pick<StoredArtifact, 'firstUse' | 'gpuCompileMs'> {
  const use = o.firstUse as { session?: unknown; rank?: unknown } | null | undefined;
  const firstUse = typeof use === 'object' && use !== null && isCount(use.session) && isCount(use.rank) ? { session: use.session, rank: use.rank } : undefined;
  const gpuCompileMs = isCount(o.gpuCompileMs) ? o.gpuCompileMs : undefined;
  return { ...(firstUse !== undefined ? { firstUse } : {}), ...(gpuCompileMs !== undefined ? { gpuCompileMs } : {}) };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function copyArtifact(artifact: ShaderArtifact): ShaderArtifact {
  const [x, y, z] = artifact.workgroupSize;
  return {
    code: artifact.code,
    entryPoint: artifact.entryPoint,
    workgroupSize: [x, y, z],
    buffers: artifact.buffers.map(copyBuffer),
    params: artifact.params === undefined ? undefined : copyParams(artifact.params),
    foldableGrid: artifact.foldableGrid,
    ...(artifact.constants === undefined ? {} : { constants: { ...artifact.constants } }),
    ...(artifact.images === undefined ? {} : { images: artifact.images.map((image) => ({ ...image })) }),
  };
}

function copyBuffer(buffer: BoundBuffer): BoundBuffer {
  return {
    name: buffer.name,
    binding: buffer.binding,
    access: buffer.access,
    type: buffer.type,
    ...(buffer.sizing === undefined ? {} : { sizing: { ...buffer.sizing } }),
    ...(buffer.group === undefined ? {} : { group: buffer.group }),
    ...(buffer.space === undefined ? {} : { space: buffer.space }),
    // A plain deep copy: the layout is nested JSON-shaped data.
    ...(buffer.layout === undefined ? {} : { layout: JSON.parse(JSON.stringify(buffer.layout)) as WgslType }),
  };
}

function copyParams(params: ParamsLayout): ParamsLayout {
  return { binding: params.binding, fields: params.fields.map((f) => ({ name: f.name, type: f.type })), byteSize: params.byteSize };
}

function copyManifest(m: PipelineReproManifest): PipelineReproManifest {
  return {
    schema: m.schema,
    backendId: m.backendId,
    pipelineId: m.pipelineId,
    programDigest: m.programDigest,
    dispatchPolicy: m.dispatchPolicy,
    cacheHit: m.cacheHit,
    deviceFingerprint: m.deviceFingerprint,
    device: m.device,
    browser: m.browser,
    libraryVersion: m.libraryVersion,
    wgslHash: m.wgslHash,
  };
}

// ---- integrity check ------------------------------------------------------------------

/** Thrown inside the parser only; `parseRecord` turns it into `{ ok: false, reason }`. */
/** Fails a read: the record is corrupt (for the shared readers of record-layout.ts). */
const fail = (problem: string): never => {
  throw new Invalid(problem);
};

class Invalid {
  constructor(readonly reason: string) {}
}

/**
 * Checks untyped data read from storage: every field and nested field of the right
 * type, the current record schema and key versions, a matching checksum, and (when
 * given) the identity it was stored under. Never throws.
 * @returns the record as a fresh plain object, or the first problem found.
 */
export function parseRecord(value: unknown, expectedIdentity?: string): ParsedRecord {
  try {
    return { ok: true, record: readRecord(value, expectedIdentity) };
  } catch (error) {
    return { ok: false, reason: error instanceof Invalid ? error.reason : `unreadable record (${String(error)})` };
  }
}

function readRecord(value: unknown, expectedIdentity: string | undefined): StoredArtifact {
  const o = objectAt(value, 'record');
  const schemaVersion = o['schemaVersion'];
  if (schemaVersion !== RECORD_SCHEMA_VERSION) throw new Invalid(`schemaVersion is ${describe(schemaVersion)}, expected ${RECORD_SCHEMA_VERSION}`);
  const keyVersion = o['keyVersion'];
  if (keyVersion !== CURRENT_PIPELINE_CACHE_KEY_VERSION) throw new Invalid(`keyVersion is ${describe(keyVersion)}, expected ${CURRENT_PIPELINE_CACHE_KEY_VERSION}`);
  const identity = stringAt(o, 'identity', 'record');
  if (expectedIdentity !== undefined && identity !== expectedIdentity) {
    throw new Invalid(`identity ${describe(identity)} does not match the key ${describe(expectedIdentity)}`);
  }
  const content = {
    identity,
    keyVersion,
    schemaVersion,
    deviceFingerprint: stringAt(o, 'deviceFingerprint', 'record'),
    programDigest: stringAt(o, 'programDigest', 'record'),
    policy: stringAt(o, 'policy', 'record'),
    artifact: readArtifact(o['artifact']),
    manifest: readManifest(o['manifest']),
  };
  const checksum = stringAt(o, 'checksum', 'record');
  if (checksum !== checksumOf(content)) throw new Invalid('checksum does not match the content');
  return {
    ...content,
    checksum,
    bytes: countAt(o, 'bytes', 'record'),
    createdAt: countAt(o, 'createdAt', 'record'),
    lastUsed: countAt(o, 'lastUsed', 'record'),
    ...bookkeepingOf(o),
  };
}

function readArtifact(value: unknown): ShaderArtifact {
  const path = 'artifact';
  const o = objectAt(value, path);
  const size = o['workgroupSize'];
  if (!Array.isArray(size) || size.length !== 3) throw new Invalid(`${path}.workgroupSize is not an array of 3`);
  const [x, y, z] = size.map((n: unknown, i) => u32(n, `${path}.workgroupSize[${i}]`));
  const workgroupSize: WorkgroupSize = [x ?? 0, y ?? 0, z ?? 0];
  const buffers = arrayAt(o, 'buffers', path).map((b, i) => readBuffer(b, `${path}.buffers[${i}]`));
  const params = o['params'] === undefined ? undefined : readParams(o['params'], `${path}.params`);
  const foldableGrid = o['foldableGrid'];
  if (typeof foldableGrid !== 'boolean') throw new Invalid(`${path}.foldableGrid is not a boolean`);
  const artifact = { code: stringAt(o, 'code', path), entryPoint: stringAt(o, 'entryPoint', path), workgroupSize, buffers, params, foldableGrid };
  return {
    ...artifact,
    ...(o['constants'] === undefined ? {} : { constants: readConstants(o['constants'], `${path}.constants`) }),
    ...(o['images'] === undefined ? {} : { images: arrayAt(o, 'images', path).map((image, i) => readImage(image, `${path}.images[${i}]`, fail)) }),
  };
}

function readConstants(value: unknown, path: string): Record<string, number> {
  const o = objectAt(value, path);
  const constants: Record<string, number> = {};
  for (const [name, constant] of Object.entries(o)) {
    if (typeof constant !== 'number' || !Number.isFinite(constant)) throw new Invalid(`${path}.${name} is not a finite number`);
    constants[name] = constant;
  }
  return constants;
}

function readBuffer(value: unknown, path: string): BoundBuffer {
  const o = objectAt(value, path);
  const base = {
    name: stringAt(o, 'name', path),
    binding: u32(o['binding'], `${path}.binding`),
    access: oneOf(o['access'], BUFFER_ACCESS_MODES, `${path}.access`),
    type: oneOf(o['type'], ELEMENT_TYPES, `${path}.type`),
  };
  return {
    ...base,
    ...(o['sizing'] === undefined ? {} : { sizing: readSizing(o['sizing'], `${path}.sizing`) }),
    ...(o['group'] === undefined ? {} : { group: u32(o['group'], `${path}.group`) }),
    ...(o['space'] === undefined ? {} : { space: oneOf(o['space'], ['uniform', 'storage'] as const, `${path}.space`) }),
    ...(o['layout'] === undefined ? {} : { layout: readLayout(o['layout'], `${path}.layout`, fail) }),
  };
}

function readSizing(value: unknown, path: string): OutputSizing {
  const o = objectAt(value, path);
  const kind = oneOf(o['kind'], ['dispatch', 'static', 'same-as'] as const, `${path}.kind`);
  switch (kind) {
    case 'dispatch':
      return { kind };
    case 'static':
      return { kind, count: u32(o['count'], `${path}.count`) };
    case 'same-as':
      return { kind, buffer: stringAt(o, 'buffer', path) };
  }
}

function readParams(value: unknown, path: string): ParamsLayout {
  const o = objectAt(value, path);
  const fields = arrayAt(o, 'fields', path).map((f, i): IrParam => {
    const field = objectAt(f, `${path}.fields[${i}]`);
    return { name: stringAt(field, 'name', `${path}.fields[${i}]`), type: oneOf(field['type'], PARAM_TYPES, `${path}.fields[${i}].type`) };
  });
  return { binding: u32(o['binding'], `${path}.binding`), fields, byteSize: u32(o['byteSize'], `${path}.byteSize`) };
}

function readManifest(value: unknown): PipelineReproManifest {
  const path = 'manifest';
  const o = objectAt(value, path);
  if (o['schema'] !== MANIFEST_SCHEMA) throw new Invalid(`${path}.schema is ${describe(o['schema'])}, expected ${MANIFEST_SCHEMA}`);
  const cacheHit = o['cacheHit'];
  if (cacheHit !== true && cacheHit !== false && cacheHit !== null) throw new Invalid(`${path}.cacheHit is not true, false or null`);
  return {
    schema: MANIFEST_SCHEMA,
    backendId: stringAt(o, 'backendId', path),
    pipelineId: stringAt(o, 'pipelineId', path),
    programDigest: stringAt(o, 'programDigest', path),
    dispatchPolicy: stringAt(o, 'dispatchPolicy', path),
    cacheHit,
    deviceFingerprint: stringAt(o, 'deviceFingerprint', path),
    device: stringAt(o, 'device', path),
    browser: stringAt(o, 'browser', path),
    libraryVersion: stringAt(o, 'libraryVersion', path),
    wgslHash: stringAt(o, 'wgslHash', path),
  };
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Invalid(`${path} is not an object`);
  return value as Record<string, unknown>;
}

function arrayAt(o: Record<string, unknown>, key: string, path: string): unknown[] {
  const value = o[key];
  if (!Array.isArray(value)) throw new Invalid(`${path}.${key} is not an array`);
  return value;
}

function stringAt(o: Record<string, unknown>, key: string, path: string): string {
  const value = o[key];
  if (typeof value !== 'string') throw new Invalid(`${path}.${key} is not a string`);
  return value;
}

function u32(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new Invalid(`${path} is not a u32`);
  return value;
}

/** A finite, non-negative number (sizes and timestamps; `lastUsed` may be fractional). */
function countAt(o: Record<string, unknown>, key: string, path: string): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Invalid(`${path}.${key} is not a finite non-negative number`);
  return value;
}

function oneOf<const T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new Invalid(`${path} is ${describe(value)}, expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
