// The go-trace summary of testdata/SUMMARY.md, computed from a TraceModel. Its keys
// follow Go's reader event model (golang.org/x/exp/trace, the reference the expected files were
// made with): state times per goroutine from its transitions, wait reasons of transitions into
// Waiting, CPU samples with their leaf functions, GC mark phases, stop-the-world ranges and
// user annotations.

import {
  EVENT_KIND_NAMES,
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_WAITING,
  IV_STATUS,
  RANGE_GC,
  RANGE_STW,
} from './trace';
import type { TraceModel } from './trace';

export function summarizeTrace(m: TraceModel): Record<string, unknown> {
  const gs = m.goroutines;
  const iv = m.intervals;
  const goroutines: Record<string, Record<string, number>> = {};
  const waitReasons: Record<string, number> = {};
  let runningTotal = 0;
  let goroutineCount = 0;
  for (let g = 0; g < gs.length; g++) {
    const lo = gs.intervalStart[g] as number;
    const hi = gs.intervalStart[g + 1] as number;
    if (hi === lo) continue;
    goroutineCount++;
    let running = 0;
    let runnable = 0;
    let waiting = 0;
    let syscall = 0;
    for (let i = lo; i < hi; i++) {
      const end = i + 1 < hi ? (iv.start[i + 1] as number) : m.durationNs;
      const d = end - (iv.start[i] as number);
      switch (iv.state[i]) {
        case GS_RUNNING:
          running += d;
          break;
        case GS_RUNNABLE:
          runnable += d;
          break;
        case GS_WAITING: {
          waiting += d;
          // Go reports generation-start status events with no reason.
          const r =
            (iv.flags[i] as number) & IV_STATUS ? '' : (m.reasons[iv.reason[i] as number] ?? '');
          waitReasons[r] = (waitReasons[r] ?? 0) + 1;
          break;
        }
        case GS_SYSCALL:
          syscall += d;
          break;
      }
    }
    runningTotal += running;
    goroutines[idString(gs.id[g] as number)] = {
      running,
      runnable,
      waiting,
      syscall,
      transitions: hi - lo,
    };
  }

  const leaf = new Map<string, number>();
  const cpu = m.cpuSamples;
  for (let i = 0; i < cpu.length; i++) {
    const s = cpu.stack[i] as number;
    if (s < 0) continue;
    const name = m.strings[m.frames.func[m.stacks.frame[s] as number] as number] ?? '';
    leaf.set(name, (leaf.get(name) ?? 0) + 1);
  }
  const top = [...leaf]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, 10)
    .map(([name, value]) => ({ name, value }));

  const r = m.ranges;
  let gcCycles = 0;
  let stwCount = 0;
  let stwNs = 0;
  for (let i = 0; i < r.length; i++) {
    if (r.kind[i] === RANGE_GC) gcCycles += r.reports[i] as number;
    else if (r.kind[i] === RANGE_STW) {
      stwCount++;
      const end = r.end[i] as number;
      if (end === end) stwNs += end - (r.start[i] as number);
    }
  }
  let tasks = 0;
  for (let i = 0; i < m.tasks.length; i++) if (m.tasks.start[i] === m.tasks.start[i]) tasks++;
  let regions = 0;
  for (let i = 0; i < m.regions.length; i++) {
    if (m.regions.start[i] === m.regions.start[i]) regions++;
  }

  let events = 0;
  const eventsByKind: Record<string, number> = {};
  for (const k of EVENT_KIND_NAMES) {
    const n = m.eventCounts[k];
    if (n) {
      eventsByKind[k] = n;
      events += n;
    }
  }

  const out: Record<string, unknown> = {
    format: 'go-trace',
    version: m.version,
    events,
    eventsByKind,
    durationNs: m.durationNs,
  };
  if (m.wallClockStartNs !== null) out.wallClockStart = formatRfc3339Nano(m.wallClockStartNs);
  Object.assign(out, {
    goroutineCount,
    goroutines,
    runningNsTotal: runningTotal,
    procCount: m.procs.length,
    threadCount: m.threadCount,
    waitReasons,
    cpuSamples: cpu.length,
    cpuSamplesTopLeaf: top,
    gcCycles,
    stwCount,
    stwNs,
    tasks,
    regions,
    logs: m.logs.length,
  });
  if (m.partial) out.partial = true;
  return out;
}

function idString(id: number): string {
  return Number.isSafeInteger(id) ? String(id) : BigInt(id).toString();
}

/** Go's time.RFC3339Nano in UTC: the fraction without trailing zeros, none when whole. */
export function formatRfc3339Nano(ns: bigint): string {
  let frac = ns % 1_000_000_000n;
  let secs = ns / 1_000_000_000n;
  if (frac < 0n) {
    frac += 1_000_000_000n;
    secs -= 1n;
  }
  const iso = new Date(Number(secs * 1000n)).toISOString().slice(0, 19);
  const f = frac.toString().padStart(9, '0').replace(/0+$/, '');
  return f === '' ? `${iso}Z` : `${iso}.${f}Z`;
}
