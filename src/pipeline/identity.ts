/**
 * Pipeline identity within one device: program digest + code-generation policy.
 *
 * Framing: label "vyre-web/pipeline-identity/v1", u32 key version, string program
 * digest, string policy string. Launch-time settings (grid, output sizes) never enter.
 */
import { FrameWriter } from '../hash/framing.ts';

/** Version mixed into every pipeline cache key; bump it when the key's meaning changes. */
export const CURRENT_PIPELINE_CACHE_KEY_VERSION = 1;

/** The pipeline id: a short, stable name derived from the full identity. */
export function pipelineIdentity(programDigest: string, policy: string): string {
  return new FrameWriter()
    .label('vyre-web/pipeline-identity/v1')
    .u32(CURRENT_PIPELINE_CACHE_KEY_VERSION)
    .string(programDigest)
    .string(policy)
    .digestHex();
}
