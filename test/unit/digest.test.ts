/**
 * The program digest: one SHA-256 over exactly what code generation reads, so equal
 * kernels share a cache identity and any change that matters makes a new one.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WGSL_PROGRAM_DIGEST_LABEL, programDigest } from '../../src/program/digest.ts';
import { wgsl } from '../../src/program/wgsl-program.ts';
import type { BufferDeclaration } from '../../src/protocol/elements.ts';
import type { WgslProgram } from '../../src/protocol/program.ts';
import { taggedText, taggedU32 } from './support/reference-framing.ts';

const CODE =
  '@group(0) @binding(0) var<storage, read> x: array<f32>; ' +
  '@group(0) @binding(1) var<storage, read_write> y: array<f32>; ' +
  '@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { y[id.x] = 2.0 * x[id.x]; }';

const X: BufferDeclaration = { name: 'x', binding: 0, access: 'read', type: 'f32' };
const Y: BufferDeclaration = { name: 'y', binding: 1, access: 'read-write', type: 'f32' };

function program(patch: Partial<WgslProgram> = {}): WgslProgram {
  return { kind: 'wgsl', code: CODE, entryPoint: 'main', workgroupSize: [64, 1, 1], buffers: [X, Y], reflected: true, ...patch };
}

/**
 * An independent reading of the documented v2 framing (the comments in src/hash/framing.ts
 * and src/program/digest.ts), built with Buffer and node:crypto instead of FrameWriter and
 * our sha256. `code` must already be normalized (no comments, single spaces, trimmed).
 */
function referenceDigest(p: WgslProgram): string {
  const u32 = taggedU32;
  const text = taggedText;
  const LABEL = 0x03;
  const STRING = 0x02;
  const U32 = 0x01;
  const LIST = 0x04;
  // "Buffers are framed in (group, binding) order"; an absent group is group 0.
  const buffers = [...p.buffers].sort((a, b) => (a.group ?? 0) - (b.group ?? 0) || a.binding - b.binding);
  const fields = [
    text(LABEL, 'vyre-web/program-digest/wgsl/v2'),
    text(STRING, p.code),
    // "" when the module's only entry point is meant; 0, 0, 0 when the code says the size.
    text(STRING, p.entryPoint === null ? '' : p.entryPoint),
    ...(p.workgroupSize === null ? [0, 0, 0] : p.workgroupSize).map((axis) => u32(U32, axis)),
    u32(U32, p.reflected ? 1 : 0),
    u32(LIST, buffers.length),
    ...buffers.flatMap((b) => [
      u32(U32, b.group ?? 0),
      u32(U32, b.binding),
      text(STRING, b.name),
      text(STRING, b.access),
      text(STRING, b.type),
    ]),
  ];
  return createHash('sha256').update(Buffer.concat(fields)).digest('hex');
}

/**
 * Pinned for the v2 framing: computed once, outside this suite and before programDigest was
 * run, by hand-framing program()'s fields as the doc comment lists them with the Buffer
 * helpers of reference-framing.ts and node:crypto (what referenceDigest does; no FrameWriter,
 * no sha256.ts). A change here means cached pipelines no longer match.
 */
const GOLDEN_V2 = '4f5f2e436794ef5ab7442cc9c69a9429438d06ca53ff9a864c0b00c38a9225b3';

/**
 * Pinned the same way for what `wgsl({ code: CODE })` returns: entry point and size left to
 * the code (framed as "" and 0, 0, 0), buffers reflected in the worker (an empty list).
 */
const GOLDEN_V2_FROM_CODE = '9f245d716f936f6fd6cc8feff4e4cf13e7d3157fdcadfc56627cef502f263a7a';

/** What wgsl() returns when it is given only code. */
const FROM_CODE: Partial<WgslProgram> = { entryPoint: null, workgroupSize: null, buffers: [], reflected: true };

describe('programDigest', () => {
  it('is 64 lowercase hex characters', () => {
    expect(programDigest(program())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic across separately built, equal programs', () => {
    expect(programDigest(program())).toBe(programDigest(program()));
    expect(programDigest(structuredClone(program()))).toBe(programDigest(program()));
  });

  it('memoizes per program object: the same object gives back the digest it first had', () => {
    const p = program();
    const first = programDigest(p);
    expect(programDigest(p)).toBe(first);
    // Programs are readonly data; mutating one anyway shows the second call read the memo.
    (p as { entryPoint: string }).entryPoint = 'other';
    expect(programDigest(p)).toBe(first);
    expect(programDigest({ ...p })).not.toBe(first);
  });

  it('uses the documented version label', () => {
    expect(WGSL_PROGRAM_DIGEST_LABEL).toBe('vyre-web/program-digest/wgsl/v2');
  });

  it('follows the documented framing, byte for byte', () => {
    expect(programDigest(program())).toBe(referenceDigest(program()));
    const declared = program({ entryPoint: 'run', workgroupSize: [8, 4, 2], reflected: false, buffers: [{ ...Y, access: 'output', type: 'u32' }] });
    expect(programDigest(declared)).toBe(referenceDigest(declared));
    const grouped = program({ buffers: [{ ...X, group: 3 }, { ...Y, group: 1, binding: 5 }, { ...Y, name: 'z', binding: 7 }] });
    expect(programDigest(grouped)).toBe(referenceDigest(grouped));
    const fromCode = program(FROM_CODE);
    expect(programDigest(fromCode)).toBe(referenceDigest(fromCode));
  });

  it('frames an entry point left to the code as "" and a workgroup size left to the code as 0, 0, 0', () => {
    const onlyEntry = program({ entryPoint: null });
    expect(programDigest(onlyEntry)).toBe(referenceDigest(onlyEntry));
    const sizeFromCode = program({ workgroupSize: null });
    expect(programDigest(sizeFromCode)).toBe(referenceDigest(sizeFromCode));
  });

  it('matches the digest pinned for the v2 framing', () => {
    expect(referenceDigest(program())).toBe(GOLDEN_V2);
    expect(programDigest(program())).toBe(GOLDEN_V2);
  });

  it('matches the digest pinned for what wgsl() returns for code alone', () => {
    expect(referenceDigest(program(FROM_CODE))).toBe(GOLDEN_V2_FROM_CODE);
    expect(programDigest(wgsl({ code: CODE }))).toBe(GOLDEN_V2_FROM_CODE);
  });

  it('ignores comments and whitespace in the code', () => {
    const decorated = [
      '// Doubles x into y.',
      '@group(0)  @binding(0) var<storage, read> x: array<f32>;   /* input /* nested */ */',
      '@group(0) @binding(1)',
      '    var<storage, read_write> y: array<f32>;',
      '',
      '@compute @workgroup_size(64)',
      'fn main(@builtin(global_invocation_id) id: vec3u) {',
      '\ty[id.x] = 2.0 * x[id.x]; // the work',
      '}',
      '',
    ].join('\r\n');
    expect(programDigest(program({ code: decorated }))).toBe(programDigest(program()));
  });

  it('ignores the order the buffers are listed in', () => {
    expect(programDigest(program({ buffers: [Y, X] }))).toBe(programDigest(program({ buffers: [X, Y] })));
  });

  it('orders buffers by group before binding, whatever order they are listed in', () => {
    const inGroup1 = { ...X, name: 'late', group: 1, binding: 0 };
    expect(programDigest(program({ buffers: [inGroup1, Y, X] }))).toBe(programDigest(program({ buffers: [X, Y, inGroup1] })));
  });

  it('reads an absent group as group 0', () => {
    expect(programDigest(program({ buffers: [{ ...X, group: 0 }, Y] }))).toBe(programDigest(program()));
  });

  it('never reads buffer lengths or other launch settings', () => {
    const withExtras = { ...program(), grid: [4, 1, 1], outputs: { y: 10 } } as WgslProgram;
    expect(programDigest(withExtras)).toBe(programDigest(program()));
  });

  const changes: [string, Partial<WgslProgram>][] = [
    ['swapping two bindings', { buffers: [{ ...X, binding: 1 }, { ...Y, binding: 0 }] }],
    ['renumbering a binding', { buffers: [X, { ...Y, binding: 2 }] }],
    ['renaming a buffer', { buffers: [X, { ...Y, name: 'z' }] }],
    ['changing an access mode', { buffers: [X, { ...Y, access: 'output' }] }],
    ['changing an element type', { buffers: [{ ...X, type: 'u32' }, Y] }],
    ['dropping a buffer', { buffers: [X] }],
    ['moving a buffer to another group', { buffers: [X, { ...Y, group: 1 }] }],
    ['declaring the buffers instead of reflecting them', { reflected: false }],
    ['changing a number in the code', { code: CODE.replace('2.0', '3.0') }],
    ['changing an identifier in the code', { code: CODE.replace('y[id.x] =', 'x[id.x] =') }],
    ['joining two tokens in the code', { code: CODE.replace('2.0 * x', '2.0 *x') }],
    ['changing the entry point', { entryPoint: 'main2' }],
    ['changing the workgroup size in x', { workgroupSize: [128, 1, 1] }],
    ['changing the workgroup size in y', { workgroupSize: [64, 2, 1] }],
    ['moving the workgroup size between axes', { workgroupSize: [1, 64, 1] }],
    ['leaving the entry point to the code', { entryPoint: null }],
    ['leaving the workgroup size to the code', { workgroupSize: null }],
  ];

  it.each(changes)('changes when %s', (_what, patch) => {
    expect(programDigest(program(patch))).not.toBe(programDigest(program()));
  });

  it('gives every change in the table its own digest', () => {
    const digests = new Set(changes.map(([, patch]) => programDigest(program(patch))));
    expect(digests.size).toBe(changes.length);
  });
});
