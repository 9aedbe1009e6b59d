// "Why was this slow?" for a user task or region instance (issue 15): its duration on its
// goroutine(s), broken down into running, runnable (waiting for a P), in system calls, blocked
// (by wait reason), and the blocked part charged to what held it up (why.ts). Go's region
// summary gives the same breakdown per region (src/internal/trace/summary.go, go1.26:
// GoroutineExecStats: ExecTime, SchedWaitTime, SyscallTime, BlockTimeByReason); this adds whom.
//
// The spans: a region is its goroutine between its begin and end; a task is the goroutine that
// began it over the task's life, plus every region of the task on other goroutines
// (`taskSpans` in why.ts). Open ends extend to the trace's edges.

import { upperBound } from '../base/search';
import { GS_RUNNABLE, GS_RUNNING, GS_SYSCALL, GS_WAITING, type TraceModel } from '../model/trace';
import {
  regionSpan,
  startFunction,
  taskSpans,
  whyCharge,
  type WhyCharge,
  type WhyIndexes,
} from './why';

export type SlowTarget = { kind: 'region'; region: number } | { kind: 'task'; task: number };

export interface StateBreakdown {
  runningNs: number;
  runnableNs: number;
  syscallNs: number;
  /** Waiting, every reason (including waits still open at the end of the trace). */
  blockedNs: number;
  /** Time the goroutine was not known to exist (before it was seen, after it ended). */
  otherNs: number;
  blockedByReason: Array<{ reason: string; ns: number }>;
}

export interface SlowSpan extends StateBreakdown {
  goroutine: number;
  goId: number;
  startFunction: string;
  startNs: number;
  endNs: number;
}

export interface WhySlow {
  startNs: number;
  endNs: number;
  durationNs: number;
  /** One entry per span (a task's own goroutine first, then its regions elsewhere). */
  spans: SlowSpan[];
  /** The spans' breakdowns added up. */
  total: StateBreakdown;
  /** The blocked time charged to its causes (waits that ended; see WHY.md). */
  charge: WhyCharge;
}

export function whySlow(m: TraceModel, target: SlowTarget, idx: WhyIndexes): WhySlow {
  const spans =
    target.kind === 'region' ? [regionSpan(m, target.region)] : taskSpans(m, target.task);
  const out: SlowSpan[] = [];
  for (const s of spans) {
    if (s.g < 0 || !(s.t1 > s.t0)) continue;
    out.push({
      goroutine: s.g,
      goId: m.goroutines.id[s.g] as number,
      startFunction: startFunction(m, s.g),
      startNs: s.t0,
      endNs: s.t1,
      ...breakdown(m, s.g, s.t0, s.t1),
    });
  }
  const total = addUp(out);
  const charge = whyCharge(m, target, idx);
  const startNs = spans.reduce((a, s) => Math.min(a, s.t0), Infinity);
  const endNs = spans.reduce((a, s) => Math.max(a, s.t1), -Infinity);
  const t0 = startNs === Infinity ? 0 : startNs;
  const t1 = endNs === -Infinity ? 0 : endNs;
  return { startNs: t0, endNs: t1, durationNs: t1 - t0, spans: out, total, charge };
}

/** Goroutine g's time in [t0, t1] by state. */
export function breakdown(m: TraceModel, g: number, t0: number, t1: number): StateBreakdown {
  const iv = m.intervals;
  const first = m.goroutines.intervalStart[g] as number;
  const last = m.goroutines.intervalStart[g + 1] as number;
  const b: StateBreakdown = {
    runningNs: 0,
    runnableNs: 0,
    syscallNs: 0,
    blockedNs: 0,
    otherNs: 0,
    blockedByReason: [],
  };
  const byReason = new Map<number, number>();
  let k = upperBound(iv.start, t0, first, last) - 1;
  if (k < first) {
    const seen = first < last ? Math.min(t1, iv.start[first] as number) : t1;
    b.otherNs += Math.max(0, seen - t0);
    k = first;
  }
  for (; k < last && (iv.start[k] as number) < t1; k++) {
    const a = Math.max(t0, iv.start[k] as number);
    const z = Math.min(t1, k + 1 < last ? (iv.start[k + 1] as number) : m.durationNs);
    const d = z - a;
    if (!(d > 0)) continue;
    switch (iv.state[k]) {
      case GS_RUNNING:
        b.runningNs += d;
        break;
      case GS_RUNNABLE:
        b.runnableNs += d;
        break;
      case GS_SYSCALL:
        b.syscallNs += d;
        break;
      case GS_WAITING: {
        b.blockedNs += d;
        const r = iv.reason[k] as number;
        byReason.set(r, (byReason.get(r) ?? 0) + d);
        break;
      }
      default:
        b.otherNs += d;
    }
  }
  // A span past the end of the trace (an open region) has no intervals there.
  if (t1 > m.durationNs) b.otherNs += t1 - Math.max(t0, m.durationNs);
  b.blockedByReason = [...byReason]
    .map(([r, ns]) => ({ reason: m.reasons[r] ?? '', ns }))
    .sort((x, y) => y.ns - x.ns);
  return b;
}

function addUp(spans: readonly StateBreakdown[]): StateBreakdown {
  const byReason = new Map<string, number>();
  const t: StateBreakdown = {
    runningNs: 0,
    runnableNs: 0,
    syscallNs: 0,
    blockedNs: 0,
    otherNs: 0,
    blockedByReason: [],
  };
  for (const s of spans) {
    t.runningNs += s.runningNs;
    t.runnableNs += s.runnableNs;
    t.syscallNs += s.syscallNs;
    t.blockedNs += s.blockedNs;
    t.otherNs += s.otherNs;
    for (const r of s.blockedByReason) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + r.ns);
  }
  t.blockedByReason = [...byReason]
    .map(([reason, ns]) => ({ reason, ns }))
    .sort((x, y) => y.ns - x.ns);
  return t;
}
