// Chrome traces of chosen browser starts of the warmup suite (`--trace-starts <regex>`): what
// each thread of the page's renderer did, the worker's among them, for finding where a start's
// time goes (which script compiles when, what a database event waited behind). Written to
// bench-results/trace-<start>.json (Chrome's trace format: chrome://tracing or Perfetto);
// `node bench/start-trace.mjs <file> [min ms]` lists the dedicated worker's tasks. Tracing
// slows the start it records: read its order and proportions, not its times.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const CATEGORIES = 'devtools.timeline,v8,v8.execute,disabled-by-default-devtools.timeline,disabled-by-default-v8.compile,blink,loading,IndexedDB,gpu,toplevel';

/**
 * Starts tracing the browser of `page` when `label` matches `pattern` (a RegExp source).
 * @returns `stop()`: ends the trace and writes it (nothing to do when not tracing).
 */
export async function traceStart(context, page, label, pattern) {
  if (pattern === undefined || !new RegExp(pattern).test(label)) return async () => undefined;
  const session = await context.newCDPSession(page);
  const events = [];
  session.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  await session.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  return async () => {
    const complete = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
    await session.send('Tracing.end');
    await complete;
    mkdirSync('bench-results', { recursive: true });
    const file = `bench-results/trace-${label.replace(/[^a-z0-9]+/gi, '-')}.json`;
    writeFileSync(file, JSON.stringify(events));
    console.log(`trace of "${label}": ${file}`);
  };
}

/** The dedicated workers' tasks of `events` that took at least `minMs`, in order, ms from the thread's first. */
export function workerTasks(events, minMs = 1) {
  const threads = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && /DedicatedWorker/.test(e.args?.name ?? '')) threads.set(`${e.pid}:${e.tid}`, e.args.name);
  return [...threads.keys()].map((key) => {
    const mine = events.filter((e) => `${e.pid}:${e.tid}` === key && e.ph === 'X' && (e.dur ?? 0) >= minMs * 1000).sort((a, b) => a.ts - b.ts);
    const t0 = mine[0]?.ts ?? 0;
    return mine.map((e) => ({ at: (e.ts - t0) / 1000, ms: e.dur / 1000, name: e.name, url: e.args?.data?.url ?? '' }));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, minMs] = process.argv.slice(2);
  for (const tasks of workerTasks(JSON.parse(readFileSync(file, 'utf8')), Number(minMs ?? 1))) {
    for (const t of tasks) console.log(`${t.at.toFixed(1).padStart(7)} +${t.ms.toFixed(1).padStart(6)}  ${t.name} ${t.url.slice(-60)}`);
  }
}
