/**
 * The heavy-shader probe (`node bench/heavy-probe.mjs`): how long each shader of
 * {@link heavyShaders} takes to compile in this browser, with its WGSL compiler messages,
 * and whether one dispatch matches its plain-JS reference. For sizing the shaders on a new
 * machine; the warmup suite itself measures them in its scenarios.
 */
import { compileHeavy, dispatchHeavyOnce } from './heavy-raw.ts';
import { heavyShaders } from './heavy-shaders.ts';

export interface HeavyProbe {
  readonly name: string;
  readonly lines: number;
  readonly kilobytes: number;
  /** Main-thread wall time of createShaderModule + createComputePipelineAsync. */
  readonly compileMs: number;
  /** Errors and warnings of `getCompilationInfo`, as `line:column message`. */
  readonly messages: readonly string[];
  readonly ok: boolean;
  readonly worst: number;
}

export async function probeHeavyShaders(): Promise<{ device: string; shaders: HeavyProbe[] }> {
  const shaders = heavyShaders();
  const adapter = await navigator.gpu.requestAdapter();
  if (adapter === null) throw new Error('no WebGPU adapter');
  const device = await adapter.requestDevice();
  const probes: HeavyProbe[] = [];
  for (const shader of shaders) {
    const started = performance.now();
    const pipeline = await compileHeavy(device, shader).catch((error: unknown) => error);
    const compileMs = performance.now() - started;
    const info = await device.createShaderModule({ code: shader.code }).getCompilationInfo();
    const messages = info.messages.map((m) => `${m.type} ${m.lineNum}:${m.linePos} ${m.message}`);
    const check = pipeline instanceof GPUComputePipeline ? shader.check(await dispatchHeavyOnce(device, pipeline, shader)) : { ok: false, worst: Number.NaN };
    if (!(pipeline instanceof GPUComputePipeline)) messages.push(String(pipeline));
    probes.push({ name: shader.name, lines: shader.code.split('\n').length, kilobytes: shader.code.length / 1024, compileMs, messages, ...check });
  }
  const info = adapter.info;
  device.destroy();
  return { device: [info.vendor, info.architecture, info.description].filter(Boolean).join(' / '), shaders: probes };
}
