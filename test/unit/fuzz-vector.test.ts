/**
 * The differential fuzzer's vector programs: about half of a run's programs use vectors,
 * a share of those load and store whole vectors of scalar buffers (the other seeds keep
 * their programs), every generated program is valid and keeps to what the GPU and the
 * interpreter must agree on bit for bit, the interpreter runs each one on its inputs, and
 * every vector malformation is rejected with `invalid-program` while its valid twin is accepted.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { interpret, type InterpretArray } from '../../src/program/interpret.ts';
import { DEFAULT_VALIDATION_LIMITS, validateProgram } from '../../src/program/validate.ts';
import { VECTOR_TYPES, componentOf, isVectorType, widthOf, type Expr, type IrBuffer, type IrProgram, type Stmt } from '../../src/protocol/ir.ts';
import { runReference } from '../../src/reference.ts';
import { generateCase, seedAccessesScalarsAsVectors, seedHasVectors, type FuzzCase } from '../fuzz/generate.ts';
import { FIRST_VECTOR_MUTATION, MUTATION_COUNT, malformedProgram } from '../fuzz/malform.ts';
import { VECTOR_MALFORMATIONS, applyPatch } from '../fuzz/malform-vector.ts';
import { surveyProgram, type Survey } from '../fuzz/survey.ts';
import { thrownBy } from './support/thrown-by.ts';

const SEEDS = Array.from({ length: 300 }, (_, i) => 1000 + i);
const CASES: readonly FuzzCase[] = SEEDS.map((seed) => generateCase(seed));
const SURVEYS: readonly Survey[] = CASES.map((testCase) => surveyProgram(testCase.program));
const VECTOR_CASES = CASES.filter((_, i) => SURVEYS[i]?.usesVectors);

/** What the vector programs of one run must use between them (the brief's list of vector features). */
const VECTOR_FEATURES = [
  ...VECTOR_TYPES,
  'read vector buffer',
  'output vector buffer',
  'read-write vector buffer',
  'vector local',
  'assignment of a vector',
  'vector',
  'splat',
  'component',
  'dot of f32',
  'dot of i32',
  'dot of u32',
  'unary on a vector',
  'arithmetic on vectors',
  'shift by a vector',
  'abs-diff of integer vectors',
  'cast between vectors',
  'select of vectors',
  'fma of vectors',
  'load of a vector',
  'load of a vector at i + k',
  'load of a vector at i + its length',
  'store of a vector',
  'store of a vector past the end',
];

function union(surveys: readonly Survey[]): Set<string> {
  return new Set(surveys.flatMap((survey) => [...survey.features]));
}

function zeros(type: IrBuffer['type'], length: number): InterpretArray {
  const component = componentOf(type);
  return component === 'f32' ? new Float32Array(length) : component === 'i32' ? new Int32Array(length) : new Uint32Array(length);
}

/** Binds the case's buffers as docs/semantics.md says (flat host arrays, counts in vectors) and interprets it. */
function interpretCase({ program, inputs, options }: FuzzCase): Record<string, InterpretArray> {
  const buffers: Record<string, InterpretArray> = {};
  for (const buffer of program.buffers) {
    const supplied = inputs[buffer.name];
    const count = buffer.sizing?.kind === 'static' ? buffer.sizing.count : (options.outputs[buffer.name] ?? 0);
    buffers[buffer.name] = supplied?.slice() ?? zeros(buffer.type, count * widthOf(buffer.type));
  }
  const invocations = options.outputs['out_u'] ?? 0;
  const [x, y, z] = program.workgroupSize;
  interpret(program, { buffers, params: options.params, grid: [Math.ceil(invocations / (x * y * z)), 1, 1] });
  return buffers;
}

function isDyadic(value: number): boolean {
  return Number.isInteger(value * 8) && Math.abs(value * 8) < 1024;
}

describe('fuzz: generated vector programs', () => {
  it('between 35% and 65% of 300 seeds generate a program with vector types', () => {
    const share = VECTOR_CASES.length / CASES.length;
    expect(share).toBeGreaterThanOrEqual(0.35);
    expect(share).toBeLessThanOrEqual(0.65);
  });

  it('generates the same program and inputs from the same seed', () => {
    for (const seed of [1, 2, 77]) expect(generateCase(seed)).toEqual(generateCase(seed));
    expect(generateCase(5, { vectors: true })).toEqual(generateCase(5, { vectors: true }));
  });

  it('a shape can ask for a vector or a scalar program whatever the seed', () => {
    for (const seed of SEEDS.slice(0, 20)) {
      expect(surveyProgram(generateCase(seed, { vectors: true }).program).usesVectors).toBe(true);
      expect(surveyProgram(generateCase(seed, { vectors: false }).program).usesVectors).toBe(false);
    }
  });

  it('the vector programs of one run use every vector type, vector buffer and vector operator between them', () => {
    const seen = union(SURVEYS.filter((survey) => survey.usesVectors));
    expect(VECTOR_FEATURES.filter((feature) => !seen.has(feature))).toEqual([]);
  });

  it('scalar programs keep every scalar buffer, atomics, loops and breaks', () => {
    const scalar = CASES.filter((_, i) => SURVEYS[i]?.usesVectors === false);
    const names = ['in_u', 'in_i', 'in_f', 'out_u', 'out_i', 'out_f', 'out_b', 'acc'];
    for (const { program } of scalar) expect(program.buffers.map((buffer) => buffer.name)).toEqual(names);
    const seen = union(SURVEYS.filter((survey) => !survey.usesVectors));
    expect(['atomic', 'loop', 'break'].filter((feature) => !seen.has(feature))).toEqual([]);
  });

  it('vector programs stay within the 8 storage buffers every device allows', () => {
    for (const { program } of VECTOR_CASES) expect(program.buffers.filter((buffer) => buffer.access !== 'workgroup').length).toBeLessThanOrEqual(8);
  });

  it('no program compares vectors, rounds an f32 inexactly, fuses an inexact fma or races on a read-write buffer', () => {
    const problems = SURVEYS.flatMap((survey, i) => survey.problems.map((problem) => `seed ${SEEDS[i]}: ${problem}`));
    expect(problems).toEqual([]);
  });

  it('every f32 a program is fed (inputs, the f32 param) is a small dyadic k / 8, |k| < 1024', () => {
    for (const { inputs, options } of CASES) {
      for (const array of Object.values(inputs)) if (array instanceof Float32Array) expect(array.every(isDyadic)).toBe(true);
      expect(isDyadic(options.params['pf'] ?? Number.NaN)).toBe(true);
    }
  });

  it('vector inputs are flat: width · count components, 1…n vectors', () => {
    for (const { program, inputs, options } of VECTOR_CASES) {
      const n = options.outputs['out_u'] ?? 0;
      for (const buffer of program.buffers.filter((b) => isVectorType(b.type) && inputs[b.name] !== undefined)) {
        const length = inputs[buffer.name]?.length ?? 0;
        expect(length % widthOf(buffer.type)).toBe(0);
        expect(length / widthOf(buffer.type)).toBeGreaterThanOrEqual(1);
        expect(length / widthOf(buffer.type)).toBeLessThanOrEqual(n);
      }
    }
  });

  it('every generated program passes the validator unchanged', () => {
    for (const { program } of CASES) expect(validateProgram(program)).toEqual(stripUndefined(program));
  });

  it('the interpreter runs every generated program on its inputs', () => {
    for (const testCase of CASES) {
      const outputs = interpretCase(testCase);
      for (const buffer of testCase.program.buffers.filter((b) => b.access === 'output' && b.sizing === undefined)) {
        expect(outputs[buffer.name]?.length).toBe((testCase.options.outputs['out_u'] ?? 0) * widthOf(buffer.type));
      }
    }
  });

  it('the fuzz loop reference run (runReference) returns the flat arrays the interpreter writes', () => {
    for (const testCase of VECTOR_CASES) {
      // Unfolded, so both runs have one grid (builtins such as num-workgroups depend on it).
      const { foldAt: _folded, ...unfolded } = testCase.options;
      const reference = runReference(testCase.program, testCase.inputs, unfolded);
      const direct = interpretCase(testCase);
      for (const [name, array] of Object.entries(reference)) expect(array, `seed ${testCase.seed}, ${name}`).toEqual(direct[name]);
    }
  });
});

/** What the programs that load and store whole vectors of scalar buffers must use between them. */
const SCALAR_VECTOR_FEATURES = [
  'load of a vec2 of scalars',
  'load of a vec4 of scalars',
  'load of a vec2 of scalars at i + k',
  'load of a vec4 of scalars at i + k',
  'load of a vec2 of scalars at an index past 2³²',
  'load of a vec4 of scalars at an index past 2³²',
  'store of a vec2 of scalars',
  'store of a vec4 of scalars',
  'store of a vec2 of scalars past the end',
  'store of a vec4 of scalars past the end',
  'vector access of f32 scalars',
  'vector access of i32 scalars',
  'vector access of u32 scalars',
];

const usesScalarVectors = (survey: Survey): boolean => [...survey.features].some((feature) => feature.includes(' scalars'));

describe('fuzz: whole vectors loaded from and stored to scalar buffers', () => {
  const chosen = SEEDS.filter((seed) => seedHasVectors(seed) && seedAccessesScalarsAsVectors(seed));

  it('a share of the vector programs load and store them, and no other program does', () => {
    const using = SEEDS.filter((_, i) => SURVEYS[i] !== undefined && usesScalarVectors(SURVEYS[i]));
    expect(using.every((seed) => chosen.includes(seed))).toBe(true);
    expect(using.length).toBeGreaterThanOrEqual(30);
  });

  it('between them: both widths, every scalar type, loads at i + k and past 2³², stores at the own vector and past the end', () => {
    const seen = union(SURVEYS.filter(usesScalarVectors));
    expect(SCALAR_VECTOR_FEATURES.filter((feature) => !seen.has(feature))).toEqual([]);
  });

  it('a shape can ask for them or leave them out, whatever the seed', () => {
    const surveys = (scalarVectors: boolean) => SEEDS.slice(0, 20).map((seed) => surveyProgram(generateCase(seed, { vectors: true, scalarVectors }).program));
    expect(surveys(true).filter(usesScalarVectors).length).toBeGreaterThanOrEqual(10);
    expect(surveys(false).some(usesScalarVectors)).toBe(false);
  });

  it('every other seed generates the case it generated before they existed (249 of these 300)', () => {
    // sha256 of each case's JSON, hashed together in seed order; pinned from the generator before load-vector, on 2026-11-30.
    const kept = SEEDS.filter((seed) => !chosen.includes(seed));
    const together = createHash('sha256');
    for (const seed of kept) together.update(createHash('sha256').update(JSON.stringify(generateCase(seed))).digest('hex'));
    expect(kept).toHaveLength(249);
    expect(together.digest('hex')).toBe('b20399c58f44bceb3dc4db906dd7a72329386ed09709384ee441eb78d994e680');
  });
});

describe('fuzz: the survey that checks generated programs', () => {
  const v2f: Expr = { kind: 'splat', type: 'vec2<f32>', value: { kind: 'literal', type: 'f32', value: 0.5 } };
  const own: Expr = { kind: 'var', name: 'i' };
  const program = (value: Expr): IrProgram => ({
    kind: 'ir',
    workgroupSize: [1, 1, 1],
    buffers: [{ name: 'rw', binding: 0, access: 'read-write', type: 'vec2<f32>' }],
    params: [],
    body: [{ kind: 'let', name: 'x', value }],
  });
  it.each<[string, Expr]>([
    ['division of f32 vectors', { kind: 'binary', op: 'div', left: v2f, right: v2f }],
    ['an unmasked u32 to f32', { kind: 'cast', type: 'f32', value: { kind: 'builtin', name: 'linear-index', axis: 0 } }],
    ['an fma of a computed value', { kind: 'fma', a: { kind: 'binary', op: 'mul', left: v2f, right: v2f }, b: v2f, c: v2f }],
    ['a comparison of vectors', { kind: 'binary', op: 'lt', left: v2f, right: v2f }],
    ['a load of another invocation\'s element', { kind: 'load', buffer: 'rw', index: { kind: 'binary', op: 'add', left: own, right: { kind: 'literal', type: 'u32', value: 1 } } }],
  ])('flags %s', (_, value) => {
    expect(surveyProgram(program(value)).problems).toHaveLength(1);
  });

  it.each<[string, Stmt[]]>([
    ['a vector store at another invocation\'s vector', [{ kind: 'store-vector', buffer: 'out', width: 4, index: { kind: 'literal', type: 'u32', value: 0 }, value: { kind: 'splat', type: 'vec4<f32>', value: { kind: 'literal', type: 'f32', value: 1 } } }]],
    ['a buffer stored both as elements and as vectors', [
      { kind: 'store', buffer: 'out', index: own, value: { kind: 'literal', type: 'f32', value: 1 } },
      { kind: 'store-vector', buffer: 'out', width: 2, index: own, value: { kind: 'splat', type: 'vec2<f32>', value: { kind: 'literal', type: 'f32', value: 1 } } },
    ]],
    ['a vector load of a buffer invocations write', [{ kind: 'let', name: 'x', value: { kind: 'load-vector', buffer: 'out', width: 2, index: own } }]],
  ])('flags %s', (_, body) => {
    const scalar: IrProgram = { kind: 'ir', workgroupSize: [1, 1, 1], buffers: [{ name: 'out', binding: 0, access: 'output', type: 'f32' }], params: [], body: [{ kind: 'let', name: 'i', value: { kind: 'builtin', name: 'linear-index', axis: 0 } }, ...body] };
    expect(surveyProgram(scalar).problems).toHaveLength(1);
  });

  it('flags nothing in an fma of literals and a load of its own element', () => {
    const load: Expr = { kind: 'load', buffer: 'rw', index: own };
    expect(surveyProgram(program({ kind: 'binary', op: 'add', left: { kind: 'fma', a: v2f, b: v2f, c: v2f }, right: load })).problems).toEqual([]);
  });
});

describe('fuzz: vector malformations', () => {
  /** A scalar and a vector program, as plain data, for the patches to break. */
  const bases = [false, true].map((vectors) => JSON.parse(JSON.stringify(generateCase(3, { vectors }).program)) as Record<string, unknown>);

  it.each(VECTOR_MALFORMATIONS.map((m) => [m.name, m] as const))('rejects %s with invalid-program, and accepts its valid twin', (_, malformation) => {
    for (const base of bases) {
      expect(() => validateProgram(applyPatch(base, malformation.good))).not.toThrow();
      expect(thrownBy(() => validateProgram(applyPatch(base, malformation.bad))).code).toBe('invalid-program');
    }
  });

  it('every malformed program is rejected, on scalar and vector bases, even where a device allows 64 storage buffers', () => {
    const roomy = { ...DEFAULT_VALIDATION_LIMITS, maxStorageBuffersPerShaderStage: 64 };
    for (let index = 0; index < MUTATION_COUNT; index++) {
      for (const vectors of [false, true]) {
        // malformedProgram(seed, index) breaks the program of seed + index: six of each shape.
        for (const seed of SEEDS.filter((s) => seedHasVectors(s + index) === vectors).slice(0, 6)) {
          const bad = malformedProgram(seed, index);
          expect(thrownBy(() => validateProgram(bad)).code, `mutation ${index}`).toBe('invalid-program');
          expect(thrownBy(() => validateProgram(bad, roomy)).code, `mutation ${index} with roomy limits`).toBe('invalid-program');
        }
      }
    }
  });

  it('the malformed-program loop reaches every vector malformation, each rejected with invalid-program', () => {
    expect(MUTATION_COUNT - FIRST_VECTOR_MUTATION).toBe(VECTOR_MALFORMATIONS.length);
    for (let index = FIRST_VECTOR_MUTATION; index < MUTATION_COUNT; index++) {
      for (const seed of [0, 9]) expect(thrownBy(() => validateProgram(malformedProgram(seed, index))).code).toBe('invalid-program');
    }
  });
});

/** The program as validation returns it: plain data, without optional fields set to undefined. */
function stripUndefined(program: IrProgram): unknown {
  return JSON.parse(JSON.stringify(program)) as unknown;
}
