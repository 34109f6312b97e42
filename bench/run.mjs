// The benchmark command (npm run bench): prints tables and writes bench-results/*.json.
//   npm run bench [-- --only ir-costs] [--repetitions 30]
// Suites: ir-costs (digest, validation and lowering of 100 / 1,000 / 10,000-node programs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { createServer } from 'vite';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};
const only = option('only', undefined);
const repetitions = Number(option('repetitions', 30));
const machine = `${hostname()}: ${cpus().length}× ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;

const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'error', server: { middlewareMode: true, hmr: false, watch: null } });
const results = { machine, date: new Date().toISOString(), suites: {} };
const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
try {
  if (!only || only === 'ir-costs') {
    const { measureIrCosts } = await server.ssrLoadModule('/bench/ir-costs.ts');
    const rows = measureIrCosts([100, 1000, 10_000], repetitions);
    results.suites['ir-costs'] = rows;
    console.log(`\nIR program costs on ${machine} (${repetitions} runs each; median / p95)`);
    console.log('| nodes | digest | validate | lower to WGSL |');
    console.log('|---:|---:|---:|---:|');
    for (const row of rows) {
      console.log(`| ${row.nodes} | ${fmt(row.digest.median)} / ${fmt(row.digest.p95)} | ${fmt(row.validate.median)} / ${fmt(row.validate.p95)} | ${fmt(row.lower.median)} / ${fmt(row.lower.p95)} |`);
    }
    console.log('goals (issue #3, 10,000 nodes): digest ≤ 5 ms, lower ≤ 20 ms');
  }
} finally {
  await server.close();
}
mkdirSync('bench-results', { recursive: true });
const file = `bench-results/bench-${Date.now()}.json`;
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`\nwrote ${file}`);
