/**
 * Type-level reflection of WGSL source, for typing outputs only: when `wgsl({ code })` gets
 * its code as a literal, the storage-buffer declarations are read from the literal's type,
 * so `const { y } = await pipeline.dispatch(…)` is a `Float32Array` with no annotation.
 *
 * It reads exactly the declarations the run-time reflection accepts —
 * `var<storage[, read|read_write]> name: array<f32|u32|i32|atomic<u32|i32>>;` — after
 * dropping `//` and `/* … *\/` comments. Anything it does not recognize (a code string not
 * known when compiling, another resource kind, a struct type) gives the loose signature,
 * which types outputs by name only: never a wrong type, at worst a loose one.
 */
import type { BufferSignature } from '../protocol/ir.ts';

type Blank = ' ' | '\n' | '\r' | '\t';

type TrimStart<S extends string> = S extends `${Blank}${infer Rest}` ? TrimStart<Rest> : S;
type TrimEnd<S extends string> = S extends `${infer Rest}${Blank}` ? TrimEnd<Rest> : S;
type Trim<S extends string> = TrimEnd<TrimStart<S>>;

/** `code` without comments: line comments end at a newline; block comments at their close. */
type WithoutComments<S extends string> = S extends `${infer Before}//${infer After}`
  ? After extends `${string}\n${infer Rest}` ? WithoutComments<`${Before}\n${Rest}`> : Before
  : S extends `${infer Before}/*${string}*/${infer After}` ? WithoutComments<`${Before} ${After}`> : S;

/** The element type of an accepted array type, or `never`. */
type ElementOf<T extends string> = T extends `array${infer Inner}`
  ? Trim<Inner> extends `<${infer Element}>`
    ? Trim<Element> extends 'f32' | 'u32' | 'i32'
      ? Trim<Element>
      : Trim<Element> extends `atomic${infer Atomic}`
        ? Trim<Atomic> extends `<${infer Scalar}>` ? (Trim<Scalar> extends 'u32' | 'i32' ? Trim<Scalar> : never) : never
        : never
    : never
  : never;

/** The access of `var<storage…>` from the text between `storage` and `>`, or `never`. */
type AccessOf<A extends string> = Trim<A> extends '' ? 'read'
  : Trim<A> extends `,${infer Mode}` ? (Trim<Mode> extends 'read' ? 'read' : Trim<Mode> extends 'read_write' ? 'read-write' : never)
  : never;

/** Marks a declaration the reader does not understand: the whole signature turns loose. */
interface Unreadable {
  readonly unreadable: true;
}

/** One `var<…> …;` at a time, each up to its own `;`: private and workgroup ones are skipped. */
type Declarations<S extends string, Found> = S extends `${string}var<${infer Space}>${infer Declaration};${infer Rest}`
  ? Trim<Space> extends 'workgroup' | 'private' | 'function' ? Declarations<Rest, Found>
    : Trim<Space> extends `storage${infer Access}`
      ? Declaration extends `${infer Name}:${infer Type}` ? StorageDeclaration<Rest, Found, Trim<Name>, ElementOf<Trim<Type>>, AccessOf<Access>> : Unreadable
      : Unreadable
  : Found;

type StorageDeclaration<Rest extends string, Found, Name extends string, E extends string, A extends string> =
  [E] extends [never] ? Unreadable
  : [A] extends [never] ? Unreadable
  : Declarations<Rest, Found & { readonly [K in Name]: { readonly type: E; readonly access: A } }>;

/** Flattens an intersection of one-key objects into one object type. */
type Flat<T> = { [K in keyof T]: T[K] };

/** The buffers a WGSL module declares, read from its literal text; the loose signature otherwise. */
export type SignatureOfCode<C extends string> = string extends C
  ? BufferSignature
  : Declarations<WithoutComments<C>, unknown> extends infer Found
    ? Found extends Unreadable ? BufferSignature : unknown extends Found ? BufferSignature : Flat<Found> extends infer F extends BufferSignature ? F : BufferSignature
    : BufferSignature;
