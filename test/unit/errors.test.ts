/**
 * VyreError and its wire form: what a user sees is the same on both sides of the
 * worker boundary, and nothing that arrives over it can make error handling throw.
 */
import { describe, expect, it } from 'vitest';
import {
  VYRE_ERROR_CODES,
  VyreError,
  fromWire,
  invariant,
  isVyreError,
  isVyreErrorWire,
  toWire,
  type VyreErrorWire,
} from '../../src/errors.ts';

function sample(): VyreError {
  return new VyreError('invalid-input', 'Buffer "x" holds f32 but got Float64Array.', 'pass a Float32Array.', {
    buffer: 'x',
    expected: 'Float32Array',
    limits: [1, 2, 3],
    nested: { ok: true, none: null },
  });
}

describe('VyreError', () => {
  it('carries its code and details', () => {
    const error = sample();
    expect(error.code).toBe('invalid-input');
    expect(error.details).toEqual({
      buffer: 'x',
      expected: 'Float32Array',
      limits: [1, 2, 3],
      nested: { ok: true, none: null },
    });
  });

  it('writes the problem first and ends the message in the Fix: hint', () => {
    const error = sample();
    expect(error.message).toBe('Buffer "x" holds f32 but got Float64Array. Fix: pass a Float32Array.');
    expect(error.message).toMatch(/ Fix: [^]*$/);
  });

  it('is an Error named VyreError, recognized by isVyreError', () => {
    const error = sample();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('VyreError');
    expect(isVyreError(error)).toBe(true);
    expect(isVyreError(new Error('x'))).toBe(false);
    expect(isVyreError({ code: 'internal', message: 'x', details: {} })).toBe(false);
  });

  it('defaults details to an empty object and keeps a cause', () => {
    const cause = new Error('root');
    const error = new VyreError('gpu-error', 'It broke.', 'retry.', undefined, { cause });
    expect(error.details).toEqual({});
    expect(error.cause).toBe(cause);
  });
});

describe('toWire / fromWire', () => {
  it('round-trips code, message byte for byte, and details into a real VyreError', () => {
    const original = sample();
    const back = fromWire(toWire(original));
    expect(back).toBeInstanceOf(VyreError);
    expect(isVyreError(back)).toBe(true);
    expect(back.code).toBe(original.code);
    expect(back.message).toBe(original.message);
    expect(back.details).toEqual(original.details);
  });

  it('keeps a message with non-ASCII text and newlines byte for byte', () => {
    const original = new VyreError('shader-compilation', 'Compiler said:\n  ü — 🚀 at 3:7\r\n', 'fix the shader.', {
      messages: ['line 3: ü'],
    });
    expect(fromWire(toWire(original)).message).toBe('Compiler said:\n  ü — 🚀 at 3:7\r\n Fix: fix the shader.');
  });

  it('does not add the Fix: hint a second time when rebuilding', () => {
    const back = fromWire(toWire(sample()));
    expect(back.message.split('Fix:')).toHaveLength(2);
  });

  it('carries the stack of the original error across', () => {
    const original = sample();
    const wire = toWire(original);
    expect(wire.stack).toBe(original.stack);
    expect(fromWire(wire).stack).toBe(original.stack);
  });

  it('produces wire data that survives structuredClone and rebuilds the same error', () => {
    const original = sample();
    const cloned: unknown = structuredClone(toWire(original));
    expect(isVyreErrorWire(cloned)).toBe(true);
    const back = fromWire(cloned);
    expect(back).toBeInstanceOf(VyreError);
    expect(back.code).toBe('invalid-input');
    expect(back.message).toBe(original.message);
    expect(back.details).toEqual(original.details);
  });

  it.each(VYRE_ERROR_CODES.map((code) => [code]))('round-trips the code %s', (code) => {
    const back = fromWire(structuredClone(toWire(new VyreError(code, 'Problem.', 'fix.'))));
    expect(back.code).toBe(code);
  });
});

describe('foreign errors', () => {
  it.each<[string, unknown, string]>([
    ['a plain Error', new Error('boom'), 'boom'],
    ['a TypeError', new TypeError('not a function'), 'not a function'],
    ['a string', 'just text', 'just text'],
    ['undefined', undefined, 'undefined'],
    ['a number', 42, '42'],
  ])('turns %s into code internal with the original message in details', (_what, thrown, original) => {
    const wire = toWire(thrown);
    expect(wire.kind).toBe('vyre-error');
    expect(wire.code).toBe('internal');
    expect(String(wire.details['original'])).toContain(original);
    expect(wire.message).toContain(original);
    expect(wire.message).toMatch(/ Fix: .+$/);
    const back = fromWire(structuredClone(wire));
    expect(back).toBeInstanceOf(VyreError);
    expect(back.code).toBe('internal');
    expect(String(back.details['original'])).toContain(original);
  });

  it('names the kind of a foreign Error in the message', () => {
    expect(toWire(new TypeError('bad')).details['original']).toBe('TypeError: bad');
  });
});

describe('malformed wire input', () => {
  const valid: VyreErrorWire = { kind: 'vyre-error', code: 'disposed', message: 'Gone. Fix: recreate it.', details: {} };
  const { details: _omitted, ...withoutDetails } = valid;

  const malformed: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a string', 'vyre-error'],
    ['a number', 7],
    ['an empty object', {}],
    ['the wrong kind', { ...valid, kind: 'error' }],
    ['no kind', { code: 'disposed', message: 'Gone.', details: {} }],
    ['an unknown code', { ...valid, code: 'exploded' }],
    ['a non-string code', { ...valid, code: 3 }],
    ['a non-string message', { ...valid, message: 12 }],
    ['missing details', withoutDetails],
    ['null details', { ...valid, details: null }],
    ['string details', { ...valid, details: 'x' }],
  ];

  it('accepts the well-formed wire shape', () => {
    expect(isVyreErrorWire(valid)).toBe(true);
  });

  it.each(malformed)('isVyreErrorWire rejects %s', (_what, value) => {
    expect(isVyreErrorWire(value)).toBe(false);
  });

  it.each(malformed)('fromWire turns %s into an internal VyreError instead of throwing', (_what, value) => {
    const error = fromWire(value);
    expect(error).toBeInstanceOf(VyreError);
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/ Fix: .+$/);
    expect(typeof error.details['received']).toBe('string');
  });

  it('describes a value JSON cannot encode without throwing', () => {
    const cyclic: Record<string, unknown> = { kind: 'vyre-error' };
    cyclic['self'] = cyclic;
    const error = fromWire(cyclic);
    expect(error.code).toBe('internal');
    expect(error.details['received']).toBe('[object Object]');
    expect(fromWire(10n).details['received']).toBe('10');
  });
});

describe('invariant', () => {
  it('returns quietly when the condition holds', () => {
    expect(() => invariant(1, 'one is truthy')).not.toThrow();
  });

  it.each([[false], [0], [''], [null], [undefined]])('throws an internal VyreError for %s', (condition) => {
    let thrown: unknown;
    try {
      invariant(condition, 'the plan has a buffer');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VyreError);
    expect((thrown as VyreError).code).toBe('internal');
    expect((thrown as VyreError).message).toContain('the plan has a buffer');
    expect((thrown as VyreError).message).toMatch(/ Fix: .+$/);
  });
});
