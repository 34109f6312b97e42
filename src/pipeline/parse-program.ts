/**
 * Turns untyped data from the main thread into a checked program of either kind.
 */
import { VyreError } from '../errors.ts';
import type { IrProgram } from '../protocol/ir.ts';
import { validateProgram, type ValidationLimits } from '../program/validate.ts';
import { parseWgslProgram } from '../program/wgsl-program.ts';
import { type WgslProgram } from '../protocol/program.ts';

/** @throws VyreError `invalid-program` */
export function parseProgram(value: unknown, limits: ValidationLimits): WgslProgram | IrProgram {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (kind === 'wgsl') return parseWgslProgram(value);
  if (kind === 'ir') return validateProgram(value, limits);
  throw new VyreError(
    'invalid-program',
    `Unknown program kind ${JSON.stringify(kind)}.`,
    'build programs with wgsl({ code }) or program(options, b => …).',
    { kind: String(kind) },
  );
}
