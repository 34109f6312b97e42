import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../scripts/chrome-flags.mjs';
const dir = process.argv[2];
const PAGE = `<!doctype html><script type="module">
import { createRuntime, program } from './index.js';
const saxpy = program({ name: 'saxpy', workgroupSize: 64 }, (b) => {
  const x = b.buffer('x', 'f32', 'read');
  const y = b.buffer('y', 'f32', 'read-write', { sizing: { kind: 'same-as', buffer: 'x' } });
  const alpha = b.param('alpha', 'f32');
  const i = b.let('i', b.linearIndex());
  b.if(i.lt(x.length()), () => y.store(i, alpha.mul(x.load(i)).add(y.load(i))));
  return { x, y };
});
window.go = { createRuntime, saxpy };
window.ready = true;
</script>`;
const server = createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (path === '/') { res.setHeader('content-type', 'text/html'); return res.end(PAGE); }
  const file = join(dir, path);
  if (!existsSync(file)) { res.statusCode = 404; return res.end(); }
  res.setHeader('content-type', 'text/javascript');
  res.end(readFileSync(file));
}).listen(0);
const port = server.address().port;
const browser = await chromium.launch({ executablePath: CHROME_PATH, headless: true, args: CHROME_WEBGPU_FLAGS });
const page = await browser.newPage();
await page.goto(`http://localhost:${port}/`);
await page.waitForFunction(() => window.ready === true);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
const worker = process.argv[3] !== 'worker' ? false : true;
await page.evaluate(async (w) => { window.rt = await window.go.createRuntime({ worker: w, persistent: { dbName: 'p' + Date.now() } }); }, worker);
await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
function report(label, profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map(), incl = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    let id = profile.samples[i];
    const n = byId.get(id);
    const f = n.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    const seen = new Set();
    while (id !== undefined) {
      const m = byId.get(id); const g = m.callFrame;
      const k = `${g.functionName || '(anon)'} ${g.url.split('/').pop()}:${g.lineNumber}`;
      if (!seen.has(k)) { incl.set(k, (incl.get(k) ?? 0) + dt); seen.add(k); }
      id = parent.get(id);
    }
  }
  console.log('--', label);
  for (const [k, v] of [...self.entries()].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log('self', (v / 1000).toFixed(2).padStart(7), k);
  for (const [k, v] of [...incl.entries()].filter(([k]) => k.includes('api-') || k.includes('index')).sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log('incl', (v / 1000).toFixed(2).padStart(7), k);
}
await cdp.send('Profiler.start');
const t1 = await page.evaluate(async () => { const t0 = performance.now(); window.built = await window.rt.compile(window.go.saxpy); return performance.now() - t0; });
report(`compile ${t1.toFixed(1)} ms`, (await cdp.send('Profiler.stop')).profile);
await cdp.send('Profiler.start');
const t2 = await page.evaluate(async () => { const x = new Float32Array(4096).fill(1), y = new Float32Array(4096).fill(2); const t0 = performance.now(); await window.built.pipeline.dispatch({ x, y }, { params: { alpha: 1.5 } }); return performance.now() - t0; });
report(`dispatch 1 ${t2.toFixed(1)} ms`, (await cdp.send('Profiler.stop')).profile);
await cdp.send('Profiler.start');
const t3 = await page.evaluate(async () => { const x = new Float32Array(4096).fill(1), y = new Float32Array(4096).fill(2); const t0 = performance.now(); await window.built.pipeline.dispatch({ x, y }, { params: { alpha: 1.5 } }); return performance.now() - t0; });
report(`dispatch 2 ${t3.toFixed(1)} ms`, (await cdp.send('Profiler.stop')).profile);
await browser.close();
server.close();
