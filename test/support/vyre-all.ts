/**
 * Everything tests and benchmarks reach for in one namespace: the public entry, the two
 * subpaths (`vyre-web/kernels`, `vyre-web/reference`), and a few internals that tests
 * check against (the library version, the main-thread digest). Pages expose it as
 * `window.vyre`. Not part of the package.
 */
export * from '../../src/index.ts';
export * from '../../src/kernels/index.ts';
export * from '../../src/reference.ts';
export { LIBRARY_VERSION } from '../../src/version.ts';
export { programDigest } from '../../src/program/digest.ts';
export type { StorageStatus } from '../../src/protocol/cache.ts';
