// Queries behind "why" (issue 15): who held a spike up (the spike list), the chain of wakers
// behind one wait (the timeline and "Why was this blocked?"), and a task's or region's time
// broken down and charged ("Why was this slow?"). The charge is analysis/why.ts; its indexes
// (the waiting intervals' range index, CPU samples by goroutine, scratch) are kept once per trace
// in its memo. The Cause flame source reads the same indexes (analysis/flameSources.ts).

import { GS_RUNNABLE, GS_RUNNING, GS_SYSCALL, GS_WAITING, type TraceModel } from '../model/trace';
import { goroutineOfInterval } from '../model/lookup';
import {
  buildWhyIndexes,
  causeText,
  whyCharge,
  type WhyCause,
  type WhyIndexes,
} from '../analysis/why';
import { buildGoroutineSamples, type GoroutineSamples } from '../analysis/traceIndex';
import { whyChain as chainOf, type WhyChain } from '../analysis/whyChain';
import {
  whySlow as slowOf,
  type SlowTarget,
  type StateBreakdown,
  type SlowSpan,
} from '../analysis/whySlow';
import { waitBehind } from '../analysis/unblock';
import type { QueryContext } from './engine';

/** The charge's indexes of a trace, kept with it (shared by every why query and the Cause source). */
export function whyIndexesOf(c: QueryContext, trace: string): WhyIndexes {
  const m = c.trace(trace);
  const ix = c.indexes(trace);
  // The engine's own state indexes: a second copy of one would cost as much as the model's columns.
  return c.keep(trace)('whyIndexes', () =>
    buildWhyIndexes(m, {
      waiting: ix.state(GS_WAITING),
      syscallOf: () => ix.state(GS_SYSCALL),
      samples: goroutineSamplesOf(c, trace),
    }),
  );
}

/** CPU samples by goroutine, kept with the trace (the why charge and slow-vs-typical read them). */
export function goroutineSamplesOf(c: QueryContext, trace: string): GoroutineSamples {
  const m = c.trace(trace);
  return c.keep(trace)('goroutineSamples', () => buildGoroutineSamples(m));
}

/** A cause as the page lists it, with an interval of the culprit to select. */
export interface CauseRow {
  /** Goroutine index, Go's ID, start function, the function it is named by. */
  goroutine: number;
  goId: number;
  startFunction: string;
  function: string;
  state: string;
  ns: number;
  share: number;
  /** "G5318 main.refreshCache: running 75%". */
  text: string;
  /**
   * The culprit's interval in the cause's state that overlaps the charged time the most (what a
   * click selects), or -1 when it has none there (time before it was seen).
   */
  interval: number;
  firstNs: number;
  lastNs: number;
}

export interface SpikeWhyView {
  blockedNs: number;
  /** Goroutines of the spike (those whose blocking rose). */
  goroutines: number;
  causes: CauseRow[];
  /** "held up by G5318 main.refreshCache: running 75%", or null when nothing was charged. */
  text: string | null;
  /** Blocked ns charged to waits as their own because the charge ran out of steps (0: none). */
  budgetNs: number;
}

const STATE_OF_KIND: Record<string, number> = {
  running: GS_RUNNING,
  runnable: GS_RUNNABLE,
  syscall: GS_SYSCALL,
  waiting: GS_WAITING,
};

/**
 * The interval of goroutine g in `state` with the longest overlap with [t0, t1]; else the one at
 * t0; -1 when g has no interval there.
 */
export function causeInterval(
  m: TraceModel,
  g: number,
  kind: string,
  t0: number,
  t1: number,
): number {
  const iv = m.intervals;
  const a = m.goroutines.intervalStart[g]!;
  const b = m.goroutines.intervalStart[g + 1]!;
  const want = STATE_OF_KIND[kind] ?? -1;
  // First interval overlapping t0 (binary search on starts).
  let lo = a;
  let hi = b;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (iv.start[mid]! <= t0) lo = mid + 1;
    else hi = mid;
  }
  const first = Math.max(a, lo - 1);
  let best = -1;
  let bestLen = -1;
  for (let k = first; k < b && iv.start[k]! <= t1; k++) {
    if (iv.state[k] !== want) continue;
    const end = k + 1 < b ? iv.start[k + 1]! : m.durationNs;
    const len = Math.min(end, t1) - Math.max(iv.start[k]!, t0);
    if (len > bestLen) {
      bestLen = len;
      best = k;
    }
  }
  if (best >= 0) return best;
  return first < b && iv.start[first]! <= t1 ? first : -1;
}

function causeRow(m: TraceModel, c: WhyCause): CauseRow {
  return {
    goroutine: c.goroutine,
    goId: c.goId,
    startFunction: c.startFunction,
    function: c.function,
    state: c.state,
    ns: c.ns,
    share: c.share,
    text: causeText(c),
    interval: causeInterval(m, c.goroutine, c.kind, c.firstNs, c.lastNs),
    firstNs: c.firstNs,
    lastNs: c.lastNs,
  };
}

/**
 * Who held spike `spike` (its rank in the `spikes` query) up: its own goroutines' waits of its
 * series, charged (analysis/why.ts). null when there is no such spike. One query per spike, in
 * the background: the list shows its spikes first and each cause as it comes.
 */
export function spikeWhy(
  c: QueryContext,
  p: { trace: string; spike: number; top?: number },
): SpikeWhyView | null {
  const sp = c.query('spikes', { trace: p.trace })[p.spike];
  if (!sp) return null;
  const m = c.trace(p.trace);
  const ch = whyCharge(m, { kind: 'spike', spike: sp }, whyIndexesOf(c, p.trace), {
    maxCauses: p.top ?? 3,
  });
  const causes = ch.causes.map((x) => causeRow(m, x));
  return {
    blockedNs: ch.blockedNs,
    goroutines: sp.goroutineCount,
    causes,
    text: causes[0] ? `held up by ${causes[0].text}` : null,
    budgetNs: ch.budgetNs,
  };
}

/**
 * The chain of wakers behind the selected interval's wait (analysis/whyChain.ts): segments per
 * lane, arrows between lanes and the lines of "Why was this blocked?". null when the interval is
 * neither a wait nor the runnable time right after one.
 */
export function whyChain(c: QueryContext, p: { trace: string; interval: number }): WhyChain | null {
  const m = c.trace(p.trace);
  const w = waitBehind(m, p.interval);
  return w < 0 ? null : chainOf(m, w, { maxSegments: 400 });
}

export interface WhySlowView {
  startNs: number;
  endNs: number;
  durationNs: number;
  spans: SlowSpan[];
  total: StateBreakdown;
  /** The blocked time that ended (charged), and its first causes. */
  blockedNs: number;
  causes: CauseRow[];
  otherNs: number;
}

/** "Why was this slow?" for a task or a region instance (analysis/whySlow.ts). */
export function whySlow(
  c: QueryContext,
  p: { trace: string; target: SlowTarget },
): WhySlowView | null {
  const m = c.trace(p.trace);
  const t = p.target;
  if (
    t.kind === 'region'
      ? t.region < 0 || t.region >= m.regions.length
      : t.task < 0 || t.task >= m.tasks.length
  )
    return null;
  const r = slowOf(m, t, whyIndexesOf(c, p.trace));
  const causes = r.charge.causes.slice(0, 5).map((x) => causeRow(m, x));
  const listed = causes.reduce((n, x) => n + x.ns, 0);
  return {
    startNs: r.startNs,
    endNs: r.endNs,
    durationNs: r.durationNs,
    spans: r.spans,
    total: r.total,
    blockedNs: r.charge.blockedNs,
    causes,
    otherNs: Math.max(0, Math.round(r.charge.blockedNs - listed)),
  };
}

export interface SlowTargetRow {
  target: SlowTarget;
  /** "region lookup", "task handle". */
  label: string;
  startNs: number;
  endNs: number;
}

/**
 * The regions of the selected interval's goroutine that hold its start (innermost first), and
 * the tasks they belong to: what "Why was this slow?" can be asked of from a selected interval.
 * At most 8 of each (regions nest; a goroutine's regions of a long-running loop do not).
 */
export function slowTargets(
  c: QueryContext,
  p: { trace: string; interval: number },
): SlowTargetRow[] {
  const m = c.trace(p.trace);
  if (p.interval < 0 || p.interval >= m.intervals.length) return [];
  const g = goroutineOfInterval(m, p.interval);
  const t = m.intervals.start[p.interval]!;
  const rg = m.regions;
  const regions: SlowTargetRow[] = [];
  const taskIds = new Set<number>();
  for (let r = 0; r < rg.length; r++) {
    if (rg.goroutine[r] !== g) continue;
    const s = rg.start[r]!;
    const e = rg.end[r]!;
    const s0 = s === s ? s : 0;
    const e0 = e === e ? e : m.durationNs;
    if (!(s0 <= t && t < e0)) continue;
    regions.push({
      target: { kind: 'region', region: r },
      label: `region ${m.strings[rg.name[r]!] ?? ''}`,
      startNs: s0,
      endNs: e0,
    });
    if (rg.task[r]! > 0) taskIds.add(rg.task[r]!);
  }
  // Innermost (latest start) first.
  regions.sort((a, b) => b.startNs - a.startNs);
  const tasks: SlowTargetRow[] = [];
  const tk = m.tasks;
  for (let k = 0; k < tk.length && taskIds.size > 0; k++) {
    if (!taskIds.has(tk.id[k]!)) continue;
    const s = tk.start[k]!;
    const e = tk.end[k]!;
    tasks.push({
      target: { kind: 'task', task: k },
      label: `task ${m.strings[tk.name[k]!] ?? ''}`,
      startNs: s === s ? s : 0,
      endNs: e === e ? e : m.durationNs,
    });
  }
  return [...regions.slice(0, 8), ...tasks.slice(0, 8)];
}
