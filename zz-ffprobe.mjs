import { launchFirefox } from './scripts/firefox-prefs.mjs';
import http from 'node:http';
const srv = http.createServer((q, res) => { res.setHeader('content-type', 'text/html'); res.end('<!doctype html><title>p</title>'); }).listen(0);
const port = srv.address().port;
const browser = await launchFirefox();
const page = await browser.newPage();
await page.goto(`http://localhost:${port}/`);
const r = await page.evaluate(async () => {
  const adapter = await navigator.gpu.requestAdapter();
  const device = await adapter.requestDevice();
  const code = `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { if (id.x < arrayLength(&y)) { y[id.x] = y[id.x] * 2.0 + 1.0; } }`;
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
  const n = 1024;
  const buf = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const bg = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] });
  const once = async (variant) => {
    const staging = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const t0 = performance.now();
    device.queue.writeBuffer(buf, 0, new Float32Array(n));
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass(); pass.setPipeline(pipeline); pass.setBindGroup(0, bg); pass.dispatchWorkgroups(n / 64); pass.end();
    enc.copyBufferToBuffer(buf, 0, staging, 0, n * 4);
    device.queue.submit([enc.finish()]);
    if (variant === 'done-first') await device.queue.onSubmittedWorkDone();
    let stop = false;
    if (variant === 'nudge') {
      (async () => { while (!stop) { device.queue.submit([]); await new Promise((r) => setTimeout(r, 1)); } })();
    }
    if (variant === 'nudge-done') {
      (async () => { while (!stop) { await device.queue.onSubmittedWorkDone(); await new Promise((r) => setTimeout(r, 0)); } })();
    }
    await staging.mapAsync(GPUMapMode.READ);
    stop = true;
    const v = new Float32Array(staging.getMappedRange())[0];
    staging.unmap(); staging.destroy();
    return [performance.now() - t0, v];
  };
  const variants = ['plain', 'done-first', 'nudge', 'nudge-done'];
  const out = Object.fromEntries(variants.map((v) => [v, []]));
  for (let round = 0; round < 15; round++) for (const v of variants) out[v].push((await once(v))[0]);
  const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
  return Object.fromEntries(Object.entries(out).map(([k, a]) => [k, { median: med(a).toFixed(1), min: Math.min(...a).toFixed(1), max: Math.max(...a).toFixed(1) }]));
});
console.log(JSON.stringify(r, null, 1));
await browser.close(); srv.close();
