/**
 * The steps of a compile before the GPU: what identifies it (validate, resolve the policy,
 * digest), then the persistent tier, or — on a miss, classified — lowering and a manifest
 * for the record to write. Pure but for the store it is given.
 */
import { FrameWriter } from '../hash/framing.ts';
import type { ShaderArtifact } from '../lower/artifact.ts';
import { lowerProgram } from '../lower/lower-program.ts';
import { programDigest } from '../program/digest.ts';
import type { ValidationLimits } from '../program/validate.ts';
import type { MissReason, PipelineReproManifest } from '../protocol/compile.ts';
import type { WorkgroupSize } from '../protocol/elements.ts';
import type { IrProgram } from '../protocol/ir.ts';
import type { FloatPolicy, WgslProgram } from '../protocol/program.ts';
import { loadWgslPath, wgslPath } from './wgsl-slot.ts';
export { guessedArtifact } from './guessed-artifact.ts';
import { LIBRARY_VERSION } from '../version.ts';
import type { ArtifactInput, ArtifactStore } from './artifact-store.ts';
import type { DeviceFingerprint } from './fingerprint.ts';
import { CURRENT_PIPELINE_CACHE_KEY_VERSION, pipelineIdOf, pipelineIdentity } from './identity.ts';
import { createManifest, withCacheHit } from './manifest.ts';
import { classifyMiss, type MissEvidence } from './miss-reason.ts';
import { parseProgram } from './parse-program.ts';
import { resolvePolicy } from './policy.ts';

/** Everything a compile is keyed by, worked out once. */
export interface CompileKey {
  readonly program: WgslProgram | IrProgram;
  readonly identity: string;
  readonly programDigest: string;
  /** The dispatch policy's stable string, e.g. `wg=[64,1,1]`. */
  readonly policy: string;
  readonly workgroupSize: WorkgroupSize;
  /** Override constants (WGSL programs), as the policy resolved them. */
  readonly constants: Readonly<Record<string, number>>;
  /** Float contraction of the lowering (IR programs). */
  readonly floats: FloatPolicy;
  /** For labels: the IR program's name, or the WGSL entry point. */
  readonly displayName: string;
}

/**
 * Validates `program` and `policy` (untyped) and derives the cache identity.
 * @throws VyreError `invalid-program`, `invalid-policy`
 */
export function compileKeyOf(program: unknown, policy: unknown, limits: ValidationLimits, fingerprint: DeviceFingerprint): CompileKey {
  const parsed = parseProgram(program, limits);
  const resolved = resolvePolicy(policy, parsed.workgroupSize, parsed.kind === 'ir');
  const digest = programDigest(parsed);
  return {
    program: parsed,
    identity: pipelineIdentity({ programDigest: digest, policyString: resolved.string, deviceFingerprint: fingerprint.digest }),
    programDigest: digest,
    policy: resolved.string,
    workgroupSize: resolved.workgroupSize,
    constants: resolved.constants,
    floats: resolved.floats,
    displayName: parsed.kind === 'ir' ? parsed.name ?? 'program' : parsed.entryPoint ?? 'main',
  };
}

/** What the persistent tier gave, or what lowering made instead; times in ms. */
export type TierOutcome =
  | {
      readonly tier: 'persistent';
      readonly artifact: ShaderArtifact;
      readonly manifest: PipelineReproManifest;
      readonly storeRead: number;
      /** The GPU compile time the record kept from its first compile; null when it has none. */
      readonly firstGpuCompile: number | null;
    }
  | {
      readonly tier: 'compiled';
      readonly artifact: ShaderArtifact;
      readonly manifest: PipelineReproManifest;
      readonly missReason: MissReason;
      /** The record to write once the GPU build succeeded. */
      readonly record: ArtifactInput;
      readonly storeRead: number;
      readonly lower: number;
    };

export interface LookupContext {
  readonly store: ArtifactStore;
  readonly fingerprint: DeviceFingerprint;
  readonly browser: string;
}

/** What the persistent tier gave for a key. */
export type StoredOutcome = Extract<TierOutcome, { readonly tier: 'persistent' }>;

/** What lowering made on a miss, with the miss's reason. */
export type CompiledOutcome = Extract<TierOutcome, { readonly tier: 'compiled' }>;

/** A program lowered for a compile, with its manifest and the record to write. */
interface Lowered {
  readonly artifact: ShaderArtifact;
  readonly manifest: PipelineReproManifest;
  readonly record: ArtifactInput;
  /** Milliseconds the lowering (or WGSL reflection) took. */
  readonly lower: number;
}

/** Reads the persistent tier only: the stored outcome, or the evidence of the miss. */
async function readStored(key: CompileKey, context: LookupContext): Promise<StoredOutcome | { readonly tier: 'miss'; readonly evidence: MissEvidence; readonly storeRead: number }> {
  const readStarted = performance.now();
  const read = await context.store.read({ identity: key.identity, programDigest: key.programDigest, policy: key.policy, deviceFingerprint: context.fingerprint.digest });
  const storeRead = performance.now() - readStarted;
  if (read.kind === 'miss') return { tier: 'miss', evidence: read.evidence, storeRead };
  const { artifact, manifest, gpuCompileMs } = read.record;
  return { tier: 'persistent', artifact, manifest: withCacheHit(manifest, null), storeRead, firstGpuCompile: gpuCompileMs ?? null };
}

/** The persistent tier's artifact for `key`, or `null` when the store does not hold it (nothing is lowered). */
export async function lookUpStored(key: CompileKey, context: LookupContext): Promise<StoredOutcome | null> {
  const outcome = await readStored(key, context);
  return outcome.tier === 'persistent' ? outcome : null;
}

/** Reads the persistent tier; on a miss, classifies it and lowers the program. */
export async function lookUpOrLower(key: CompileKey, context: LookupContext): Promise<TierOutcome> {
  const outcome = await readStored(key, context);
  if (outcome.tier === 'persistent') return outcome;
  if (key.program.kind === 'wgsl') await loadWgslPath();
  return compiledOutcome(lowerKey(key, context), outcome);
}

/**
 * Starts the persistent tier's read and lowers the program without waiting for it: for a store
 * that held nothing when it opened, where the read will miss unless another tab wrote the
 * record since (ArtifactStore.wasEmptyAtOpen). The caller can start the GPU build at once.
 * For a WGSL program, the caller has loaded the WGSL side (wgsl-slot.ts) first.
 * @returns the lowering, and what the read found: the stored artifact on a hit, else the lowering with the miss's reason.
 */
export function lowerWhileReading(key: CompileKey, context: LookupContext): { readonly lowered: Lowered; readonly outcome: Promise<TierOutcome> } {
  const reading = readStored(key, context);
  let lowered: Lowered;
  try {
    lowered = lowerKey(key, context);
  } catch (error) {
    void reading.catch(() => undefined);
    throw error;
  }
  return { lowered, outcome: reading.then((read) => (read.tier === 'persistent' ? read : compiledOutcome(lowered, read))) };
}

function compiledOutcome(lowered: Lowered, miss: { readonly evidence: MissEvidence; readonly storeRead: number }): CompiledOutcome {
  return { tier: 'compiled', ...lowered, missReason: classifyMiss(miss.evidence), storeRead: miss.storeRead };
}

/** Lowers an IR program, or reflects a WGSL one, into the artifact a miss builds and writes. */
function lowerKey(key: CompileKey, context: LookupContext): Lowered {
  const lowerStarted = performance.now();
  const artifact = key.program.kind === 'ir' ? lowerProgram(key.program, key.workgroupSize, key.floats) : wgslPath().wgslArtifact(key.program, key.constants);
  const lower = performance.now() - lowerStarted;
  const manifest = manifestOf(key, artifact, context);
  const record: ArtifactInput = {
    identity: key.identity,
    programDigest: key.programDigest,
    policy: key.policy,
    keyVersion: CURRENT_PIPELINE_CACHE_KEY_VERSION,
    deviceFingerprint: context.fingerprint.digest,
    artifact,
    manifest,
  };
  return { artifact, manifest, record, lower };
}

function manifestOf(key: CompileKey, artifact: ShaderArtifact, context: LookupContext): PipelineReproManifest {
  return createManifest({
    pipelineId: pipelineIdOf(key.identity),
    programDigest: key.programDigest,
    dispatchPolicy: key.policy,
    cacheHit: false,
    deviceFingerprint: context.fingerprint.digest,
    device: context.fingerprint.readable,
    browser: context.browser,
    libraryVersion: LIBRARY_VERSION,
    wgslHash: new FrameWriter().label('vyre-web/wgsl-hash/v1').string(artifact.code).digestHex(),
  });
}
