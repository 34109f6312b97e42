import { describe, expect, it } from 'vitest';
import { ValidatedCommands } from '../../src/gpu/validated-commands.ts';

describe('validated commands', () => {
  it('knows nothing at first', () => {
    expect(new ValidatedCommands().hasAll([ValidatedCommands.name(1, [4, 1, 1], 1)])).toBe(false);
  });

  it('knows a batch once every command in it was added', () => {
    const validated = new ValidatedCommands();
    const a = ValidatedCommands.name(1, [4, 1, 1], 1);
    const b = ValidatedCommands.name(2, [4, 1, 1], 1);
    validated.add([a]);
    expect(validated.hasAll([a, a])).toBe(true);
    expect(validated.hasAll([a, b])).toBe(false);
    validated.add([b]);
    expect(validated.hasAll([a, b])).toBe(true);
  });

  it('treats an empty batch as known: it encodes no command', () => {
    expect(new ValidatedCommands().hasAll([])).toBe(true);
  });

  it.each([
    ['another bind group', [2, [4, 1, 1], 1]],
    ['another grid', [1, [4, 2, 1], 1]],
    ['a grid with the same product', [1, [2, 2, 1], 1]],
    ['another number of read-backs', [1, [4, 1, 1], 0]],
  ] as const)('names %s as a different command', (_, [group, grid, readbacks]) => {
    expect(ValidatedCommands.name(group, grid, readbacks)).not.toBe(ValidatedCommands.name(1, [4, 1, 1], 1));
  });

  it('starts over past its bound instead of growing without end', () => {
    const validated = new ValidatedCommands();
    const first = ValidatedCommands.name(0, [1, 1, 1], 0);
    validated.add([first]);
    validated.add(Array.from({ length: 5000 }, (_, i) => ValidatedCommands.name(i + 1, [1, 1, 1], 0)));
    expect(validated.hasAll([first])).toBe(false);
    expect(validated.hasAll([ValidatedCommands.name(5000, [1, 1, 1], 0)])).toBe(true);
  });
});
