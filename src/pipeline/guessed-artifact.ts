/**
 * The artifact a WGSL compile's GPU build can start from before reflection: the module's own
 * code and entry point, the bindings guessed from its text (program/wgsl-binding-guess.ts),
 * and the override constants the policy resolved. Only what a build reads is real; the
 * rest (workgroup size, element types) is a placeholder that no dispatch ever sees, because
 * a guessed build serves a compile only when {@link sameBuildInputs} says the reflected
 * artifact builds the same pipeline.
 */
import type { ShaderArtifact } from '../lower/artifact.ts';
import { guessBindings } from '../program/wgsl-binding-guess.ts';
import type { IrProgram } from '../protocol/ir.ts';
import type { WgslProgram } from '../protocol/program.ts';

/**
 * @param constants - the override constants the compile's policy resolved.
 * @returns the guessed artifact of a WGSL program whose buffers are reflected; `undefined` for
 *   IR programs, declared buffers, and modules the guess does not read with confidence.
 */
export function guessedArtifact(program: WgslProgram | IrProgram, constants: Readonly<Record<string, number>>): ShaderArtifact | undefined {
  if (program.kind !== 'wgsl' || !program.reflected) return undefined;
  const guess = guessBindings(program.code, program.entryPoint);
  if (guess === undefined) return undefined;
  return {
    code: program.code,
    entryPoint: guess.entryPoint,
    workgroupSize: [1, 1, 1],
    buffers: guess.buffers.map((buffer) => ({ ...buffer, type: 'u32' })),
    params: undefined,
    foldableGrid: false,
    ...(Object.keys(constants).length === 0 ? {} : { constants }),
  };
}
