/**
 * Demo: compile two kernels twice (the second compile comes from the worker's memory
 * tier), dispatch them, and check the GPU's answers against the CPU.
 */
import { createRuntime, isVyreError, type CompiledPipelineBuild, type Runtime } from '../src/index.ts';
import { DEMO_KERNELS } from './kernels.ts';

const status = document.querySelector<HTMLElement>('#status');
const compiles = document.querySelector<HTMLTableSectionElement>('#compiles tbody');
const results = document.querySelector<HTMLTableSectionElement>('#results tbody');
const device = document.querySelector<HTMLElement>('#device');
const runButton = document.querySelector<HTMLButtonElement>('#run');

function row(table: HTMLTableSectionElement | null, cells: readonly (string | [string, string])[]): void {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    const [text, className] = typeof cell === 'string' ? [cell, ''] : cell;
    td.textContent = text;
    if (className) td.className = className;
    tr.append(td);
  }
  table?.append(tr);
}

function describeHit(hit: CompiledPipelineBuild['cacheHit']): string {
  return hit === true ? 'hit' : hit === false ? 'miss' : 'unknown';
}

async function runOnce(runtime: Runtime, round: number): Promise<void> {
  for (const kernel of DEMO_KERNELS) {
    for (const attempt of ['first', 'second'] as const) {
      const build = await runtime.compile(kernel.program);
      row(compiles, [
        kernel.name,
        `round ${round}, ${attempt}`,
        [build.tier, `tier-${build.tier}`],
        describeHit(build.cacheHit),
        build.timings.total.toFixed(2),
        build.timings.gpuCompile.toFixed(2),
      ]);
      if (attempt === 'second') {
        const inputs = kernel.inputs();
        const outputs = await build.pipeline.dispatch(inputs);
        const got = Array.from(outputs[kernel.output] ?? []);
        const want = kernel.reference(inputs);
        const ok = got.length === want.length && got.every((v, i) => v === want[i]);
        row(results, [
          kernel.name,
          Object.entries(inputs).map(([name, data]) => `${name}=[${Array.from(data).join(', ')}]`).join(' '),
          `${kernel.output}=[${got.join(', ')}]`,
          ok ? ['matches CPU', 'ok'] : [`expected [${want.join(', ')}]`, 'bad'],
        ]);
      }
    }
  }
}

function showError(error: unknown): void {
  if (!status) return;
  status.className = 'error';
  status.textContent = isVyreError(error)
    ? `${error.code}: ${error.message}`
    : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

async function main(): Promise<void> {
  const runtime = await createRuntime();
  if (device) device.textContent = JSON.stringify({ ...runtime.device, storage: runtime.storage }, null, 2);
  let round = 1;
  await runOnce(runtime, round);
  if (status) status.textContent = `Ready on ${runtime.device.adapterInfo.vendor || 'an unnamed vendor'} ${runtime.device.adapterInfo.architecture}. Every compile after the first of each kernel is a memory-tier hit.`;
  document.body.dataset['ready'] = 'true';
  if (runButton) {
    runButton.disabled = false;
    runButton.onclick = () => {
      round++;
      runOnce(runtime, round).catch(showError);
    };
  }
}

main().catch(showError);
