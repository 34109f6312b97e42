/**
 * The normalized program digest: a SHA-256 over exactly what code generation reads.
 * IR programs are framed by `ir-digest.ts`. A digest failure is an error, never a
 * shared all-zero key.
 *
 * Framing (see `src/hash/framing.ts` for the field encoding), WGSL-source programs:
 *   label "vyre-web/program-digest/wgsl/v2"
 *   string normalized code        (comments removed, whitespace runs collapsed)
 *   string entry point            ("" when the module's only one is meant)
 *   u32 x3 workgroup size         (0, 0, 0 when it is read from the code)
 *   u32   reflected (1) or declared (0) buffers
 *   list  buffers, each: u32 group, u32 binding, string name, string access, string type
 *
 * A reflected program's layout (every type, size and offset) is a function of its code,
 * which the digest covers; a change in how reflection reads code takes a new label here.
 * Buffers are framed in (group, binding) order, so the order a caller listed them in does not
 * matter, while swapping two bindings does. Buffer lengths never enter: resizing an
 * input must not recompile. Changing this framing requires a new version label.
 */
import { FrameWriter } from '../hash/framing.ts';
import { frameIrProgram } from './ir-digest.ts';
import type { IrProgram } from '../protocol/ir.ts';
import type { WgslProgram } from '../protocol/program.ts';
import { normalizeWgsl } from './wgsl-text.ts';

export const WGSL_PROGRAM_DIGEST_LABEL = 'vyre-web/program-digest/wgsl/v2';

const memo = new WeakMap<object, string>();

/** Lowercase-hex SHA-256 of the normalized program; memoized per program object. */
export function programDigest(program: WgslProgram | IrProgram): string {
  const cached = memo.get(program);
  if (cached !== undefined) return cached;
  const frame = new FrameWriter();
  if (program.kind === 'ir') {
    frameIrProgram(frame, program);
  } else {
    frameWgslProgram(frame, program);
  }
  const digest = frame.digestHex();
  memo.set(program, digest);
  return digest;
}

function frameWgslProgram(frame: FrameWriter, program: WgslProgram): void {
  frame
    .label(WGSL_PROGRAM_DIGEST_LABEL)
    .string(normalizeWgsl(program.code))
    .string(program.entryPoint ?? '')
    .u32(program.workgroupSize?.[0] ?? 0)
    .u32(program.workgroupSize?.[1] ?? 0)
    .u32(program.workgroupSize?.[2] ?? 0)
    .u32(program.reflected ? 1 : 0);
  const buffers = [...program.buffers].sort((a, b) => (a.group ?? 0) - (b.group ?? 0) || a.binding - b.binding);
  frame.list(buffers.length);
  for (const buffer of buffers) {
    frame.u32(buffer.group ?? 0).u32(buffer.binding).string(buffer.name).string(buffer.access).string(buffer.type);
  }
}
