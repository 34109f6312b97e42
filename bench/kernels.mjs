// The kernels suite (issue #15) from the Node side: opens bench/kernels.html in the
// benchmark's headless Chrome, runs each workload there (one page.evaluate per workload,
// so a table prints as soon as its workload is done) and prints the tables.
import { printKernelGoals, printKernelTable } from './kernels-report.mjs';

/** The dependencies the kernels page imports that the Vite config does not pre-bundle. */
export const KERNELS_OPTIMIZE_DEPS = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-webgpu'];

/**
 * Runs the suite in a new page of `browser`.
 * @param {import('@playwright/test').Browser} browser
 * @param {string} baseUrl the Vite dev server's root URL
 * @param {{ rounds: number, warmup?: number, layout?: 'direct' | 'shared', workloads?: string[] }} options
 * @returns {Promise<object>} setup, per-workload samples and figures, for bench-results/*.json
 */
export async function runKernels(browser, baseUrl, { rounds, warmup = 1, layout = 'direct', workloads }) {
  const page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') console.error(`kernels page ${message.type()}: ${message.text()}`);
  });
  try {
    await page.goto(new URL('bench/kernels.html', baseUrl).href);
    await page.waitForFunction(() => window.benchReady === true, undefined, { timeout: 60_000 });
    const setup = await page.evaluate(() => window.kernelsBench.setup());
    console.log(`\nKernels suite (issue #15) on ${setup.adapter}, Chrome ${browser.version()}; timestamp queries: adapter ${setup.timestampQuery.adapter}, vyre-web's device ${setup.timestampQuery.vyre}; cross-origin isolated: ${setup.crossOriginIsolated}`);
    console.log(`contenders: vyre-web (createRuntime, its worker via Comlink; vyre-web/kernels and an IR chain, exact), vyre-web fast (the same compiled with { floats: 'fast' }), vyre-web wgsl() (the raw WGSL through vyre-web), raw WGSL (hand-written, main thread, matmul layout "${layout}"), raw WGSL exact (the same, every product of saxpy and the chain rounded on its own), tfjs-core + tfjs-backend-webgpu 4.22.0 (main thread)`);
    const ids = workloads ?? (await page.evaluate(() => window.kernelsBench.workloadIds()));
    const results = [];
    for (const id of ids) {
      const result = await page.evaluate(([i, r, w, l]) => window.kernelsBench.runWorkload(i, r, w, l), [id, rounds, warmup, layout]);
      results.push({ ...result, figures: printKernelTable(result) });
    }
    printKernelGoals(results);
    return { setup, browser: browser.version(), layout, rounds, warmup, results };
  } finally {
    await page.close();
  }
}
