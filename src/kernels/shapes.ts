/** The workload sizes of the tunable kernels (`TuningShape`s): what `compileTuned` tunes on and `options(shape)` takes. */

/** A matmul's size: `C[M×N] = A[M×K] · B[K×N]`. */
export interface MatmulShape {
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly [field: string]: number;
}

/** An element-wise kernel's or a reduction's size: `n` elements. */
export interface ElementsShape {
  readonly n: number;
  readonly [field: string]: number;
}
