// `npm run bench:analyze`: every analysis table of issue 16 on the issue's benchmark trace, timed
// table by table, against the goal of 1 s for all of them, with the decode of the same file in
// the same run as the reference.
//
// Makes (or reuses) bench-data/spike-3.9s/trace.out, the trace `npm run bench:query` and
// `bench:why` use too (benchSpikeTrace.ts): the corpus spike program built with Go 1.26 and run
// `-d 3.9s -c 32` (about 17 MB, 3.3M events, 100k goroutines on a quiet machine; a loaded one
// records fewer events). Then decodes it and computes, as the page needs them when the trace is
// ready:
//   goroutines   per-goroutine summaries (Go's summary.go) and the groups by start function
//   range        the same for a 100 ms selection in the middle of the trace
//   regions      Go's region summaries and the region table (types, histograms)
//   tasks        Go's task summaries and the task table
//   mmu          the mutator utilization (the /mmu page's defaults), the MMU curve at 100 window
//                sizes from 1 us to the trace's length, and the 10 worst 1 ms windows
//   logs         the user logs, listed
//   log search   a search of them (on demand, not in the goal; the first compiles RE2's tables)
//   slow         slow vs typical for the most frequent task type (on demand, not in the goal)
// Each run is timed cold (the first, as a user meets it) and warm (best of --runs). Then the same
// tables as the page gets them: a fresh Engine holding the model runs the analysis tabs' warm-up
// queries (engine/queries.ts analysisWarmUp: what the engine worker computes in the background as
// soon as the trace arrives), one by one and in all; that total is the "within 1 s of the trace
// being ready" figure of issue 16.
//
// Options: --file PATH (another trace), --runs N (default 3).
// Environment: GO=/path/to/go (default: the Go 1.26 of scripts/get-go.sh, else `go`).

import { readFileSync, statSync } from 'node:fs';
import { arg, spikeTrace } from './benchSpikeTrace';
import { decodeGoTrace } from '../src/formats/gotrace/decode';
import type { TraceModel } from '../src/model/trace';
import { goroutineGroups } from '../src/analysis/goroutineGroups';
import { goroutineSummaries } from '../src/analysis/goroutineSummary';
import {
  buildMmuCurve,
  DEFAULT_MMU_OPTIONS,
  mmuCurvePoints,
  mutatorUtilization,
  worstWindows,
} from '../src/analysis/mmu';
import { slowVsTypical, taskInstances } from '../src/analysis/slowTypical';
import { buildGoroutineSamples } from '../src/analysis/traceIndex';
import { userLogs } from '../src/analysis/userLogs';
import { regionTypes, taskTypes, userRegions, userTasks } from '../src/analysis/userTasks';
import { Engine } from '../src/engine/engine';
import { analysisWarmUp, type QueryName, type QueryParams } from '../src/engine/queries';

const GOAL_MS = 1000;

type Step = { name: string; inGoal: boolean; run: (m: TraceModel) => unknown };

const steps: Step[] = [
  {
    name: 'goroutines',
    inGoal: true,
    run: (m) => {
      const s = goroutineSummaries(m);
      shared.set(m, s);
      return goroutineGroups(m, s).length;
    },
  },
  {
    name: 'range',
    inGoal: true,
    run: (m) => {
      const mid = m.durationNs / 2;
      const s = goroutineSummaries(m, { range: { t0: mid - 50e6, t1: mid + 50e6 } });
      return goroutineGroups(m, s).length;
    },
  },
  {
    name: 'regions+tasks',
    inGoal: true,
    run: (m) => {
      // The page shares the summaries with the goroutine table; they are timed there.
      const s = shared.get(m) ?? goroutineSummaries(m);
      const regions = userRegions(m, s);
      const tasks = userTasks(m, regions);
      return regionTypes(m, regions).length + taskTypes(m, tasks).length;
    },
  },
  {
    name: 'mmu',
    inGoal: true,
    run: (m) => {
      const c = buildMmuCurve(mutatorUtilization(m, DEFAULT_MMU_OPTIONS));
      return mmuCurvePoints(m, c).length + worstWindows(c, 1e6, 10).length;
    },
  },
  {
    name: 'logs',
    inGoal: true,
    run: (m) => userLogs(m, { limit: 1000 }).total,
  },
  {
    name: 'log search',
    inGoal: false,
    run: (m) => userLogs(m, { pattern: 'lock|done' }).total,
  },
  {
    name: 'slow vs typical',
    inGoal: false,
    run: (m) => {
      const s = shared.get(m) ?? goroutineSummaries(m);
      const regions = userRegions(m, s);
      const tasks = userTasks(m, regions);
      const types = taskTypes(m, tasks).sort((a, b) => b.count - a.count);
      const inst = taskInstances(m, tasks, types[0]?.type ?? null);
      const r = slowVsTypical(m, inst, {}, { samples: buildGoroutineSamples(m) });
      return r.slow.cpu.weights.length + r.typical.blocked.weights.length;
    },
  },
];

const shared = new WeakMap<TraceModel, ReturnType<typeof goroutineSummaries>>();

function time(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

function main(): void {
  const file = arg('--file', '') || spikeTrace();
  const runs = Math.max(1, Number(arg('--runs', '3')) || 3);
  const bytes = readFileSync(file);
  const t0 = performance.now();
  const { model: m, error } = decodeGoTrace(bytes);
  const decodeMs = performance.now() - t0;
  if (error) console.log(`warning: the trace had an error: ${error.message}`);
  let events = 0;
  for (const n of Object.values(m.eventCounts)) events += n;
  console.log(
    `${file}: ${(statSync(file).size / 1e6).toFixed(1)} MB, ${(events / 1e6).toFixed(2)}M events, ` +
      `${m.goroutines.length} goroutines, ${m.intervals.length} intervals, ${m.tasks.length} tasks, ` +
      `${m.regions.length} regions`,
  );
  console.log(`decode (reference, same run): ${decodeMs.toFixed(0)} ms`);
  console.log('');
  const cold = new Map<string, number>();
  const warm = new Map<string, number>();
  for (let r = 0; r < runs; r++) {
    shared.delete(m);
    for (const st of steps) {
      const ms = time(() => st.run(m));
      if (r === 0) cold.set(st.name, ms);
      warm.set(st.name, Math.min(warm.get(st.name) ?? Infinity, ms));
    }
  }
  const pad = (s: string, n: number): string => s.padEnd(n);
  console.log(
    `${pad('table', 18)}${pad('cold ms', 10)}${pad(`warm ms (best of ${runs})`, 24)}in goal`,
  );
  let coldTotal = 0;
  let warmTotal = 0;
  for (const st of steps) {
    const c = cold.get(st.name) as number;
    const w = warm.get(st.name) as number;
    if (st.inGoal) {
      coldTotal += c;
      warmTotal += w;
    }
    console.log(
      `${pad(st.name, 18)}${pad(c.toFixed(0), 10)}${pad(w.toFixed(0), 24)}${st.inGoal ? 'yes' : 'no'}`,
    );
  }
  console.log('');
  console.log(
    `all tables: ${coldTotal.toFixed(0)} ms cold, ${warmTotal.toFixed(0)} ms warm; goal ${GOAL_MS} ms ` +
      `(${coldTotal <= GOAL_MS ? 'met' : 'NOT met'} cold); ` +
      `${(coldTotal / decodeMs).toFixed(2)}x the decode time (${decodeMs.toFixed(0)} ms)`,
  );
  engineRun(m);
}

function engineRun(m: TraceModel): void {
  const engine = new Engine();
  engine.addFile('t', {
    format: 'go-trace',
    model: m,
    gzip: false,
    nameMismatch: null,
    warnings: [],
    partialError: null,
  });
  console.log('');
  console.log('engine, as the page warms up (fresh engine, cold):');
  let total = 0;
  for (const w of analysisWarmUp('t')) {
    const ms = time(() => engine.run(w.name as QueryName, w.params as QueryParams<QueryName>));
    total += ms;
    console.log(`  ${w.name.padEnd(16)}${ms.toFixed(0)} ms`);
  }
  console.log(
    `all tables through the engine: ${total.toFixed(0)} ms; goal ${GOAL_MS} ms (${total <= GOAL_MS ? 'met' : 'NOT met'})`,
  );
}

main();
