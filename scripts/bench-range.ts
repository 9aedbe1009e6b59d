// Range query benchmark (issue 7): `npx tsx scripts/bench-range.ts [--file PATH] [--runs N]`.
//
// The goal: "updates while dragging stay under 100 ms for the 3.3M-event benchmark trace". Uses
// the benchmark trace of scripts/bench.ts (bench-data/trace.out: the corpus spike program built
// with Go 1.26 and run with `-d 10s -c 32`), making it the same way when it is missing. Then, in
// a child process running this script bundled (as the browser worker runs a bundle; see
// scripts/bench.ts), it decodes the trace and measures:
//   index     the one-time range index per interval state (built on the first query)
//   per source (cpu, blocked, blocked split by reason, sched, syscall) and range width (1%, 10%,
//   100% of the trace): the stack set of a range, and the set plus its call tree (what the flame
//   graph recomputes on every drag update). Each run moves the range, as a drag does, so no run
//   hits the per-query memo; medians of N runs after warm-up.
//   spikes, highlight, unblock chain: the other issue-7 analyses, once per model or per click.
// Prints a table and exits with status 1 when a range update (set + tree) misses 100 ms. A
// blocked-time scan of every interval (no index) is timed alongside for comparison.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TraceModel } from '../src/model/trace';
import { corpusPath } from '../src/testing/corpus';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'bench-data');
const SPIKE = corpusPath('programs/spike');
const GOAL_MS = 100;
const GO_CANDIDATES = [
  process.env.GO,
  '/opt/go-toolchains/usr/lib/go-1.26/bin/go',
  '/usr/local/go/bin/go',
  'go',
].filter((g): g is string => typeof g === 'string' && g.length > 0);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? (process.argv[i + 1] as string) : fallback;
}

function findGo(): string | null {
  for (const g of GO_CANDIDATES) {
    if (spawnSync(g, ['version'], { encoding: 'utf8' }).status === 0) return g;
  }
  return null;
}

/** bench-data/trace.out as scripts/bench.ts makes it (the same file, shared). */
function ensureTrace(): string {
  const file = join(DATA, 'trace.out');
  if (existsSync(file)) return file;
  const go = findGo();
  if (go === null) {
    throw new Error(`no ${file} and no Go toolchain to make one (set GO=/path/to/go)`);
  }
  mkdirSync(DATA, { recursive: true });
  const bin = join(DATA, 'spike');
  console.log(`building the spike program with ${go} ...`);
  if (spawnSync(go, ['build', '-o', bin, '.'], { cwd: SPIKE, stdio: 'inherit' }).status !== 0) {
    throw new Error('building the spike program failed');
  }
  console.log('recording: spike -d 10s -c 32 (in bench-data/) ...');
  const r = spawnSync(bin, ['-d', '10s', '-c', '32'], { cwd: DATA, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(file)) throw new Error('running the spike program failed');
  return file;
}

// ---------------------------------------------------------------- child: the measurements

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

async function child(file: string, runs: number): Promise<void> {
  const { decodeGoTrace } = await import('../src/formats/gotrace/decode');
  const { rangeStacks, traceStackSet } = await import('../src/analysis/traceStacks');
  const { buildCallTree } = await import('../src/analysis/flame');
  const { traceIndexes } = await import('../src/analysis/traceIndex');
  const { findSpikes } = await import('../src/analysis/spikes');
  const { highlightFunction } = await import('../src/analysis/highlight');
  const { unblockChain } = await import('../src/analysis/unblock');
  const { GS_RUNNABLE, GS_SYSCALL, GS_WAITING } = await import('../src/model/trace');
  type Source = 'cpu' | 'blocked' | 'sched' | 'syscall';

  const t0 = performance.now();
  const { model: m } = decodeGoTrace(new Uint8Array(readFileSync(file)));
  const decodeMs = performance.now() - t0;
  // The model's range indexes and range-stack state, as the engine keeps them per file.
  const ix = traceIndexes(m);
  const rs = rangeStacks(ix);
  let events = 0;
  for (const n of Object.values(m.eventCounts)) events += n;
  const out: string[] = [];
  const log = (s: string): void => {
    out.push(s);
    console.log(s);
  };
  log(
    `trace: ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB, ${(events / 1e6).toFixed(2)}M events, ` +
      `${(m.intervals.length / 1e6).toFixed(2)}M intervals, ${m.goroutines.length} goroutines, ` +
      `${m.stacks.length} stacks, ${m.cpuSamples.length} CPU samples, ` +
      `${(m.durationNs / 1e9).toFixed(2)} s; decoded in ${(decodeMs / 1000).toFixed(1)} s`,
  );

  const ms = (f: () => unknown): number => {
    const a = performance.now();
    f();
    return performance.now() - a;
  };
  log('\nrange index, once per model and state:');
  for (const [name, state] of [
    ['waiting', GS_WAITING],
    ['runnable', GS_RUNNABLE],
    ['syscall', GS_SYSCALL],
  ] as const) {
    let n = 0;
    const t = ms(() => (n = ix.state(state).length));
    log(`  ${name.padEnd(9)} ${t.toFixed(0).padStart(5)} ms  (${n} intervals)`);
  }

  const cases: Array<{ label: string; source: Source; split?: 'reason' }> = [
    { label: 'cpu', source: 'cpu' },
    { label: 'blocked', source: 'blocked' },
    { label: 'blocked, split', source: 'blocked', split: 'reason' },
    { label: 'sched', source: 'sched' },
    { label: 'syscall', source: 'syscall' },
  ];
  const fractions = [0.01, 0.1, 1];
  let worst = 0;
  log(
    `\nrange queries, median of ${runs} drag steps (ms): set | set + call tree  [items in range]`,
  );
  log(`  ${'source'.padEnd(16)}${fractions.map((f) => `${f * 100}%`.padStart(26)).join('')}`);
  for (const c of cases) {
    const cells: string[] = [];
    for (const f of fractions) {
      const width = m.durationNs * f;
      // Each step slides the range a little, as a drag does (distinct queries, no memo hits).
      const range = (k: number): [number, number] => {
        const a = f === 1 ? -k : ((m.durationNs - width) * (k % 97)) / 97;
        return [a, a + width + (f === 1 ? 2 * k : 0)];
      };
      const opts = c.split ? { split: c.split } : {};
      for (let k = 0; k < 3; k++) traceStackSet(rs, c.source, ...range(1000 + k), opts); // warm-up
      const setTimes: number[] = [];
      const allTimes: number[] = [];
      let items = 0;
      for (let k = 0; k < runs; k++) {
        const [a, b] = range(k);
        const s0 = performance.now();
        const set = traceStackSet(rs, c.source, a, b, opts);
        const s1 = performance.now();
        buildCallTree(set);
        const s2 = performance.now();
        setTimes.push(s1 - s0);
        allTimes.push(s2 - s0);
        items = Math.max(items, set.count);
      }
      const all = median(allTimes);
      worst = Math.max(worst, all);
      cells.push(
        `${median(setTimes).toFixed(1).padStart(7)} |${all.toFixed(1).padStart(7)} [${String(items).padStart(7)}]`,
      );
    }
    log(`  ${c.label.padEnd(16)}${cells.join('')}`);
  }
  // For comparison: the same blocked weights by a scan of every interval, without the index.
  const scanCells: string[] = [];
  for (const f of fractions) {
    const width = m.durationNs * f;
    const times: number[] = [];
    for (let k = 0; k < runs; k++) {
      const a = ((m.durationNs - width) * (k % 97)) / 97;
      times.push(ms(() => naiveBlocked(m, a, a + width)));
    }
    scanCells.push(`${median(times).toFixed(1).padStart(7)} |${''.padStart(17)}`);
  }
  log(`  ${'blocked, scan'.padEnd(16)}${scanCells.join('')}  (no index, for comparison)`);

  log('\nother analyses:');
  let spikes: ReturnType<typeof findSpikes> = [];
  log(`  findSpikes (once per model)  ${ms(() => (spikes = findSpikes(ix))).toFixed(0)} ms`);
  const first = spikes[0];
  if (first) {
    log(
      `    first: ${first.family}/${first.series} ${(first.startNs / 1e6).toFixed(1)}-${(first.endNs / 1e6).toFixed(1)} ms, ` +
        `peak ${first.peakCount} over ${first.baseline.toFixed(1)}, tasks ${first.taskNames
          .slice(0, 3)
          .map((t) => `${t.name} x${t.count}`)
          .join(', ')}`,
    );
  }
  log(
    `  highlightFunction main.lookup  ${ms(() => highlightFunction(ix, 'main.lookup')).toFixed(0)} ms`,
  );
  let longest = -1;
  let longestNs = 0;
  const idx = ix.state(GS_WAITING);
  for (let p = 0; p < idx.length; p++) {
    const d = (idx.end[p] as number) - (idx.start[p] as number);
    if (m.reasons[idx.reason[p] as number] === 'sync' && d > longestNs && d < m.durationNs / 2) {
      longestNs = d;
      longest = idx.iv[p] as number;
    }
  }
  if (longest >= 0) {
    let n = 0;
    const t = ms(() => (n = unblockChain(m, longest, 16).length));
    log(`  unblockChain (16 steps max)  ${t.toFixed(2)} ms, ${n} steps`);
  }
  log(
    `\ngoal: a range update (set + call tree) under ${GOAL_MS} ms at every width: ` +
      `${worst < GOAL_MS ? 'met' : 'MISSED'} (worst median ${worst.toFixed(1)} ms)`,
  );
  process.exitCode = worst < GOAL_MS ? 0 : 1;
}

/** Blocked ns per stack over [t0, t1] by visiting every interval (what the index avoids). */
function naiveBlocked(m: TraceModel, t0: number, t1: number): number {
  const weight = new Float64Array(m.stacks.length);
  const { intervalStart } = m.goroutines;
  const iv = m.intervals;
  let total = 0;
  for (let g = 0; g < m.goroutines.length; g++) {
    const end = intervalStart[g + 1] as number;
    for (let i = intervalStart[g] as number; i < end; i++) {
      if (iv.state[i] !== 4) continue; // GS_WAITING
      const a = iv.start[i] as number;
      const z = i + 1 < end ? (iv.start[i + 1] as number) : m.durationNs;
      const w = Math.min(z, t1) - Math.max(a, t0);
      if (!(w > 0)) continue;
      const s = iv.stack[i] as number;
      if (s >= 0) weight[s] = (weight[s] as number) + w;
      total += w;
    }
  }
  return total;
}

// ---------------------------------------------------------------- parent

async function main(): Promise<void> {
  const runs = Math.max(3, Number(arg('--runs', '15')));
  if (process.argv.includes('--child')) {
    await child(arg('--child', ''), runs);
    return;
  }
  const file = resolve(arg('--file', '') || ensureTrace());
  const self = fileURLToPath(import.meta.url);
  let command: string[];
  try {
    const esbuild = await import('esbuild');
    mkdirSync(DATA, { recursive: true });
    const outfile = join(DATA, 'bench-range-child.mjs');
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
