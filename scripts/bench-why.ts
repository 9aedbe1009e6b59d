// `npm run bench:why`: the why charge (src/analysis/why.ts) of every blocking spike of a large
// trace, against the decode of the same file in the same run (issue 15: the causes of any spike
// of the benchmark trace in at most 200 ms).
//
// Makes (or reuses) bench-data/spike-3.9s/trace.out, the trace `npm run bench:query` uses too
// (benchSpikeTrace.ts): the corpus spike program built with Go 1.26 and run with `-d 3.9s -c 32`
// (about 17 MB, 3.3M events, 100k goroutines on a quiet machine; a loaded one records fewer
// requests). Then, in this process: decodes it (the reference), finds the
// spikes as the page does (spikes.ts), builds the indexes the charge reads (once per model, as
// the engine caches them), and charges each spike: the first charge of each (cold, as the page
// asks after a click) and the best of --runs, in ms, with the median and the max against the
// goal. The Cause flame graph set of each spike is timed too.
//
// Options: --file PATH (another trace), --duration 3.9s and --concurrency 32 (another recording,
// kept in its own folder), --runs N (default 3).
// Environment: GO=/path/to/go (default: /opt/go-toolchains Go 1.26, else `go`).

import { readFileSync, statSync } from 'node:fs';
import { findSpikes } from '../src/analysis/spikes';
import { traceIndexes } from '../src/analysis/traceIndex';
import { buildWhyIndexes, causeStackSet, whyCharge } from '../src/analysis/why';
import { decodeGoTrace } from '../src/formats/gotrace/decode';
import { arg, median, spikeTrace } from './benchSpikeTrace';

const GOAL_MS = 200;

function ms(t0: number): number {
  return performance.now() - t0;
}

function fmt(x: number): string {
  return x.toFixed(1).padStart(8);
}

function main(): void {
  const file =
    arg('--file', '') || spikeTrace(arg('--duration', '3.9s'), arg('--concurrency', '32'));
  const runs = Math.max(1, Number(arg('--runs', '3')) || 1);
  const bytes = readFileSync(file);
  const mb = statSync(file).size / 1e6;

  let t = performance.now();
  const { model: m, error } = decodeGoTrace(bytes);
  const decodeMs = ms(t);
  let events = 0;
  for (const n of Object.values(m.eventCounts)) events += n;
  console.log(
    `${file}: ${mb.toFixed(1)} MB, ${(events / 1e6).toFixed(2)}M events, ` +
      `${m.goroutines.length} goroutines, ${(m.intervals.length / 1e6).toFixed(2)}M intervals` +
      (error ? ` (damaged: ${error.message})` : ''),
  );
  console.log(`decode (reference)        ${fmt(decodeMs)} ms`);

  t = performance.now();
  const spikes = findSpikes(traceIndexes(m));
  console.log(`find spikes (${spikes.length})          ${fmt(ms(t))} ms`);
  t = performance.now();
  const idx = buildWhyIndexes(m);
  console.log(`indexes (once per model)  ${fmt(ms(t))} ms`);

  console.log(
    '\n  #  series            span ms  gorout.  blocked ms  intervals   steps   first ms  (cpu ms)   best ms  +flame ms  first cause',
  );
  const first: number[] = [];
  const firstCpu: number[] = [];
  const best: number[] = [];
  const flame: number[] = [];
  spikes.forEach((spike, i) => {
    let cold = 0;
    let coldCpu = 0;
    let min = Infinity;
    let ch = null;
    for (let r = 0; r < runs; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      ch = whyCharge(m, { kind: 'spike', spike }, idx);
      const d = ms(t0);
      if (r === 0) {
        cold = d;
        const c = process.cpuUsage(c0);
        coldCpu = (c.user + c.system) / 1000;
      }
      min = Math.min(min, d);
    }
    if (ch === null) return;
    const t1 = performance.now();
    causeStackSet(m, ch);
    const f = ms(t1);
    first.push(cold);
    firstCpu.push(coldCpu);
    best.push(min);
    flame.push(f);
    const c = ch.causes[0];
    console.log(
      `${String(i + 1).padStart(3)}  ${spike.series.slice(0, 16).padEnd(16)}` +
        `${fmt((spike.endNs - spike.startNs) / 1e6)} ${String(spike.goroutineCount).padStart(8)}` +
        `${fmt(ch.blockedNs / 1e6)}    ${String(ch.intervals).padStart(8)} ${String(ch.steps).padStart(7)}` +
        `${fmt(cold)} ${fmt(coldCpu)}  ${fmt(min)}   ${fmt(f)}   ` +
        (c
          ? `G${c.goId} ${c.function || c.startFunction}: ${c.state} ${Math.round(100 * c.share)}%`
          : '-'),
    );
  });
  const maxFirst = Math.max(...first);
  console.log(
    `\ncharge per spike, first run: median ${median(first).toFixed(1)} ms, max ${maxFirst.toFixed(1)} ms` +
      ` (goal ${GOAL_MS} ms: ${maxFirst <= GOAL_MS ? 'met' : 'NOT met'}; max / decode = ${(maxFirst / decodeMs).toFixed(3)})`,
  );
  console.log(
    `charge per spike, first run, process CPU time: median ${median(firstCpu).toFixed(1)} ms, max ${Math.max(...firstCpu).toFixed(1)} ms`,
  );
  console.log(
    `charge per spike, best of ${runs}: median ${median(best).toFixed(1)} ms, max ${Math.max(...best).toFixed(1)} ms`,
  );
  console.log(
    `Cause flame graph set per spike: median ${median(flame).toFixed(1)} ms, max ${Math.max(...flame).toFixed(1)} ms`,
  );
  // Not a goal, a bound: the largest selection there is (every wait of the trace).
  const c0 = process.cpuUsage();
  t = performance.now();
  const all = whyCharge(m, { kind: 'window', startNs: 0, endNs: m.durationNs }, idx);
  const wall = ms(t);
  const cpu = process.cpuUsage(c0);
  console.log(
    `the whole trace as one selection: ${all.intervals} waits, ${all.causeCount} causes, ` +
      `${all.steps} steps: ${wall.toFixed(0)} ms (CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)`,
  );
}

main();
