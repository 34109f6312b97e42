/**
 * Bumped whenever the generated code changes for the same Program; part of the device
 * fingerprint. A file of its own so that the worker's start-up path (which hashes the
 * fingerprint) does not load the lowering to read one number.
 */
export const LOWERING_VERSION = 6;
