/**
 * The Comlink floor of the small dispatch: a worker exposed through Comlink that takes the
 * same inputs and answers a 4 KiB array, transferred as vyre-web's worker does, with no
 * GPU work. What any design that talks to its worker through Comlink pays per call.
 */
import { expose, transfer } from 'comlink';

expose({
  echo(inputs: { x: Float32Array; y: Float32Array }): { y: Float32Array } {
    if (inputs.x.length === 0) throw new Error('comlink echo: empty input');
    const y = new Float32Array(1024);
    return transfer({ y }, [y.buffer]);
  },
});
