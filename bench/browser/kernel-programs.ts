/** The kernel library as a list, for benchmarks and the demo. */
import * as vyre from '../../test/support/vyre-all.ts';

export const KERNEL_PROGRAMS: readonly { readonly name: string; readonly program: vyre.IrProgram }[] = [
  { name: 'saxpy', program: vyre.saxpy },
  { name: 'squareU32', program: vyre.squareU32 },
  { name: 'reluF32', program: vyre.reluF32 },
  { name: 'sumReduce', program: vyre.sumReduce },
  { name: 'sumReduceF32', program: vyre.sumReduceF32 },
  { name: 'histogram256', program: vyre.histogram256 },
  { name: 'matmul', program: vyre.matmul },
  { name: 'scanBlocks', program: vyre.scanBlocks },
  { name: 'addBlockOffsets', program: vyre.addBlockOffsets },
  { name: 'bitonicStep', program: vyre.bitonicStep },
  { name: 'mandelbrot', program: vyre.mandelbrot },
  { name: 'convolve1d', program: vyre.convolve1d },
  { name: 'countByte', program: vyre.countByte },
];
