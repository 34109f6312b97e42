/**
 * The compile path's WGSL side: wgsl-artifact.ts, which reflects a module's text into the
 * artifact a miss builds (wgsl_reflect: 222 of the compile path's 317 KB, minified). A chunk of
 * its own, so that a start served by the persistent tier, or an app whose programs are all IR,
 * never fetches or compiles it. Loaded once, here, before a WGSL program is lowered, so that
 * the lowering that uses it stays synchronous.
 */
import { VyreError } from '../errors.ts';
import { chunkNotLoaded } from './chunk-load.ts';

export type WgslPath = typeof import('./wgsl-artifact.ts');

let loaded: WgslPath | undefined;
let loading: Promise<WgslPath> | undefined;

/**
 * The WGSL side, loaded once; every caller shares the one load.
 * @throws VyreError `worker-terminated` when its chunk does not load. The next call tries again.
 */
export function loadWgslPath(): Promise<WgslPath> {
  loading ??= import('./wgsl-artifact.ts').then(
    (path) => (loaded = path),
    (cause: unknown) => {
      loading = undefined;
      throw chunkNotLoaded(cause);
    },
  );
  return loading;
}

/** The WGSL side, loaded before; a WGSL program is lowered without it only by a bug. */
export function wgslPath(): WgslPath {
  if (loaded === undefined) {
    throw new VyreError('internal', 'A WGSL program was lowered before the WGSL code was loaded.', 'this is a vyre-web bug; please report it.');
  }
  return loaded;
}
