/**
 * The raw-WebGPU baseline measured inside a worker, for comparing with vyre-web's own
 * in-worker dispatch time: same thread kind, same device path, same work.
 */
import { rawRig } from './dispatch-bench.ts';

self.onmessage = async (event: MessageEvent<{ repetitions: number }>) => {
  const device = await (await navigator.gpu.requestAdapter())?.requestDevice();
  if (!device) {
    self.postMessage({ error: 'no WebGPU device in the worker' });
    return;
  }
  const raw = await rawRig(device, 1024);
  const x = Float32Array.from({ length: 1024 }, (_, i) => i / 8);
  const y = new Float32Array(1024);
  const samples: number[] = [];
  for (let r = 0; r < event.data.repetitions + 20; r++) {
    const started = performance.now();
    await raw.roundTrip(x, y);
    if (r >= 20) samples.push(performance.now() - started);
  }
  raw.destroy();
  device.destroy();
  self.postMessage({ samples });
};
