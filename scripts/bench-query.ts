// Query language benchmark (issue 17): `npm run bench:query [-- --file PATH] [-- --runs N]`.
//
// The goal: "queries over the 17.5 MB, 3.3M-event benchmark trace answer within 300 ms". The
// benchmark trace is the corpus spike program built with Go 1.26 and run with `-d 3.9s -c 32`;
// it is recorded into bench-data/spike-3.9s/ when missing (its size depends on the machine: a
// loaded one records fewer events). Then, in a child process running this script bundled (as the
// browser worker runs a bundle; see scripts/bench.ts), it decodes the trace, builds the query
// index once (the engine caches it per model), and times each representative query: the median
// and worst of N runs after one warm-up, parse and evaluation together, with the decode time of
// the same file in the same run as the reference. The trace has no dlv log, so the dlv queries
// run over a synthetic one made from the trace: one main.lookup call per "lookup" region, on the
// region's goroutine and times, with `ctx, k` arguments (k = region index mod 97, as the spike
// clients ask for). Each query is timed with the order of its results by start (resultOrder,
// what the list and n/N need); the goal applies to the two together. Exits with status 1 when a
// query misses the goal. Two rows marked `bound` are outside the goal: queries at the syntax's
// limits (16 alternatives, 64 terms), what a hostile link can make a worker spend.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg, BENCH_DATA as DATA, median, ROOT, spikeTrace } from './benchSpikeTrace';

const GOAL_MS = 300;

// ---------------------------------------------------------------- child: the measurements

async function child(file: string, runs: number): Promise<void> {
  const { decodeGoTrace } = await import('../src/formats/gotrace/decode');
  const { DlvBuilder } = await import('../src/model/dlv');
  const { buildQueryIndex, buildDlvQueryIndex } = await import('../src/analysis/query/queryIndex');
  const { runQuery, resultOrder } = await import('../src/analysis/query/evaluate');
  const { completeQuery } = await import('../src/analysis/query/complete');
  const { goroutineOfInterval } = await import('../src/model/lookup');

  const t0 = performance.now();
  const { model: m } = decodeGoTrace(new Uint8Array(readFileSync(file)));
  const decodeMs = performance.now() - t0;
  let events = 0;
  for (const n of Object.values(m.eventCounts)) events += n;
  console.log(
    `trace: ${file}\n  ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB, ${(events / 1e6).toFixed(2)}M events, ` +
      `${(m.intervals.length / 1e6).toFixed(2)}M intervals, ${m.goroutines.length} goroutines, ` +
      `${m.regions.length} regions, ${m.tasks.length} tasks, ${m.logs.length} logs, ` +
      `${(m.durationNs / 1e9).toFixed(2)} s`,
  );
  console.log(`decode (the reference): ${decodeMs.toFixed(0)} ms`);

  let t = performance.now();
  const cpu0 = process.cpuUsage();
  const x = buildQueryIndex(m);
  console.log(
    `query index, once per model: ${(performance.now() - t).toFixed(0)} ms ` +
      `(cpu ${(process.cpuUsage(cpu0).user / 1000).toFixed(0)} ms; ${(x.runCount / 1e6).toFixed(2)}M runs)`,
  );

  // A synthetic dlv log: one main.lookup call per lookup region (see the header).
  t = performance.now();
  const b = new DlvBuilder();
  const lookupName = m.strings.indexOf('lookup');
  let k = 0;
  for (let i = 0; i < m.regions.length; i++) {
    if (m.regions.name[i] !== lookupName) continue;
    const s = m.regions.start[i] as number;
    const e = m.regions.end[i] as number;
    if (!(s === s && e === e)) continue;
    const g = m.goroutines.id[m.regions.goroutine[i] as number] as number;
    const span = b.addSpan({
      goroutine: g,
      func: 'main.lookup',
      tracepoint: null,
      args: `context.Context(*context.valueCtx) 0xbeef000000000008, ${k++ % 97}`,
      depth: 0,
      frame: -1,
      startNs: s,
      ebpf: false,
    });
    b.addReturn(g, e, span, '[]uint8 len: 32, cap: 32, [...]');
  }
  const log = b.finish({
    wallBaseNs: 0n,
    firstTimestamp: null,
    lastTimestamp: null,
    otherLines: 0,
    unterminated: 0,
    gluedTimestamps: 0,
  });
  const dlv = [{ model: log, index: buildDlvQueryIndex(log), offsetNs: 0 }];
  console.log(
    `synthetic dlv log: ${log.spanCount} calls (index ${(performance.now() - t).toFixed(0)} ms)`,
  );

  // The goroutines of the examples: 67 as the issue writes it, and the ones that matter in this
  // trace: the refresher (it wrote the "phase" logs) and the first handler it woke.
  const refresher = m.logs.length > 0 ? (m.logs.goroutine[0] as number) : -1;
  const refresherId = refresher >= 0 ? (m.goroutines.id[refresher] as number) : 67;
  // The first goroutine (by index) that the refresher woke: the wakers are kept in interval
  // order, and the intervals in goroutine order.
  let woken = 67;
  const first = refresher >= 0 ? m.intervals.wakerG.indexOf(refresher) : -1;
  if (first >= 0) {
    const g = goroutineOfInterval(m, m.intervals.wakerAt[first] as number);
    woken = m.goroutines.id[g] as number;
  }
  const range: [number, number] = [m.durationNs * 0.45, m.durationNs * 0.55];
  // The most a query may ask (syntax.ts: 16 alternatives, 64 terms): every alternative repeats
  // 60 terms, 56 of them distinct wakes: terms, each a pass over a goroutine's runs.
  const ids = Array.from(
    { length: 56 },
    (_, i) => m.goroutines.id[Math.floor((i * m.goroutines.length) / 56)] as number,
  );
  const hostile =
    '(state:waiting | state:running) (g:1 | -g:2) (dur>1ns | dur<1s) (fn:main | -fn:sync) ' +
    ids.map((id) => `-wakes:${id}`).join(' ');
  // `bound`: not a query anyone writes, so outside the goal; what the bounds let a link cost.
  const queries: Array<{ text: string; range?: [number, number]; label?: string; bound?: true }> = [
    { text: 'state:waiting reason:sync dur>5ms' },
    { text: 'region:lookup' },
    { text: 'task:handle' },
    { text: 'fn:main.lookup' },
    { text: 'g:67' },
    { text: 'wakes:67' },
    { text: 'wokenby:67' },
    { text: `wakes:${woken}` },
    { text: `wokenby:${refresherId}` },
    { text: 'log:"phase"' },
    { text: 'dlv:main.parse arg:42' },
    { text: 'dlv:main.lookup arg=42' },
    { text: 'state:waiting reason:sync region:lookup' },
    { text: 'task:handle state:waiting reason:sync dur>1ms' },
    { text: 'dlv:main.lookup state:waiting' },
    { text: 'state:waiting (reason:sync | reason:chan) -region:lookup' },
    { text: 'fn:/^net\\/http\\./ state:waiting' },
    { text: 'dur>100ms' },
    { text: 'state:running | state:runnable' },
    { text: 'state:waiting reason:sync dur>5ms', range },
    { text: 'state:*', range },
    { text: hostile, label: '16 alternatives x 60 terms (the bounds)', bound: true },
    {
      text: `${'wakes:* '.repeat(15)}wakes:* | ${'-wakes:* '.repeat(15)}g:${refresherId}`,
      label: 'wakes:* x16 | -wakes:* x15 g:N',
      bound: true,
    },
  ];
  console.log(
    `\nqueries: median and worst of ${runs} runs after a warm-up (ms), goal ${GOAL_MS} ms for the ` +
      `query and its start order together.\n  query: parse + evaluate (counts, lanes, highlight); ` +
      `order: resultOrder by start (the list, n/N); cpu: the query's CPU time (median), which a ` +
      `loaded machine inflates less than wall time; % decode: query + order against the decode`,
  );
  const rows: string[][] = [
    ['query', 'results', 'query', 'worst', 'order', 'cpu', '% decode', 'goal'],
  ];
  let worstAll = 0;
  for (const q of queries) {
    const options = { dlv, range: q.range ?? null };
    const first = runQuery(m, x, q.text, options);
    if (!first.ok) throw new Error(`${q.text}: ${first.error.message}`);
    resultOrder(first.results, 'start');
    const times: number[] = [];
    const orders: number[] = [];
    const cpus: number[] = [];
    for (let r = 0; r < runs; r++) {
      const a = performance.now();
      const cpu = process.cpuUsage();
      const o = runQuery(m, x, q.text, options);
      cpus.push(process.cpuUsage(cpu).user / 1000);
      const b = performance.now();
      if (o.ok) resultOrder(o.results, 'start');
      orders.push(performance.now() - b);
      times.push(b - a);
    }
    const med = median(times);
    const ord = median(orders);
    if (!q.bound) worstAll = Math.max(worstAll, med + ord);
    rows.push([
      q.label ?? (q.range ? `${q.text}  [45%-55%]` : q.text),
      String(first.results.count),
      med.toFixed(1),
      Math.max(...times).toFixed(1),
      ord.toFixed(1),
      median(cpus).toFixed(1),
      `${((100 * (med + ord)) / decodeMs).toFixed(1)}%`,
      q.bound ? 'bound' : med + ord <= GOAL_MS ? 'ok' : 'MISSED',
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows) {
    console.log(
      `  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`,
    );
  }

  console.log('\ncompletion at the end of the text (ms, median of 5 after a warm-up):');
  const sources = { trace: { model: m, index: x }, dlv };
  for (const text of ['', 'fn:main.', 'fn:lookup', 'fn:x', 'g:6', 'region:', 'reason:', 'dlv:ma']) {
    let c = completeQuery(text, text.length, sources);
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const a = performance.now();
      c = completeQuery(text, text.length, sources);
      times.push(performance.now() - a);
    }
    console.log(
      `  ${JSON.stringify(text).padEnd(12)} ${median(times).toFixed(2).padStart(7)}  ${c.items.length} items`,
    );
  }
  console.log(
    `\ngoal: every query under ${GOAL_MS} ms: ${worstAll <= GOAL_MS ? 'met' : 'MISSED'} ` +
      `(slowest query + order ${worstAll.toFixed(1)} ms; decode ${decodeMs.toFixed(0)} ms)`,
  );
  process.exitCode = worstAll <= GOAL_MS ? 0 : 1;
}

// ---------------------------------------------------------------- parent

async function main(): Promise<void> {
  const runs = Math.max(3, Number(arg('--runs', '7')));
  if (process.argv.includes('--child')) {
    await child(arg('--child', ''), runs);
    return;
  }
  const file = resolve(arg('--file', '') || spikeTrace());
  const self = fileURLToPath(import.meta.url);
  let command: string[];
  try {
    const esbuild = await import('esbuild');
    mkdirSync(DATA, { recursive: true });
    const outfile = join(DATA, 'bench-query-child.mjs');
    await esbuild.build({
      entryPoints: [self],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'error',
    });
    command = [outfile];
  } catch (e) {
    console.log(`(esbuild unavailable, measuring through tsx: ${String(e)})`);
    command = ['--import', 'tsx', self];
  }
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=8192', ...command, '--child', file, '--runs', String(runs)],
    { cwd: ROOT, stdio: 'inherit' },
  );
  process.exitCode = r.status ?? 1;
}

await main();
