// What the timeline lights up: the function picked in the flame graph (or previewed by hovering a
// frame or a dlv call) — every interval and CPU sample whose stack contains it, the lanes
// involved, every dlv call of it — and the "unblocked by" arrows of the selected wait.

import { highlightFunction, type FunctionHighlight } from '../analysis/highlight';
import { previousWait, unblockChain } from '../analysis/unblock';
import type { DlvModel } from '../model/dlv';
import { GS_WAITING, type TraceModel } from '../model/trace';
import { goroutineOfInterval, intervalAt } from '../render/goroutineLane';
import type { TimelineHighlight, UnblockArrow } from '../render/timeline';
import type { Selection } from '../store/session';
import { legacyIndexes } from './legacyIndexes';

export interface HighlightResult {
  func: string;
  timeline: TimelineHighlight;
  trace: FunctionHighlight | null;
  dlvSpans: number;
}

const dlvCache = new WeakMap<DlvModel, Map<string, Set<number>>>();

/** dlv calls of a function, by name. */
function dlvSpansOf(m: DlvModel, func: string): Set<number> {
  let byFunc = dlvCache.get(m);
  if (!byFunc) {
    byFunc = new Map();
    dlvCache.set(m, byFunc);
  }
  let set = byFunc.get(func);
  if (!set) {
    set = new Set();
    const f = m.strings.indexOf(func);
    if (f >= 0) for (let i = 0; i < m.spanCount; i++) if (m.spans.func[i] === f) set.add(i);
    byFunc.set(func, set);
  }
  return set;
}

export function computeHighlight(
  trace: TraceModel | null,
  dlv: ReadonlyArray<{ fileId: string; model: DlvModel }>,
  func: string,
): HighlightResult {
  const h = trace ? highlightFunction(legacyIndexes(trace).ix, func) : null;
  const dlvSpans = new Map<string, ReadonlySet<number>>();
  let dlvCount = 0;
  for (const d of dlv) {
    const set = dlvSpansOf(d.model, func);
    if (set.size > 0) {
      dlvSpans.set(d.fileId, set);
      dlvCount += set.size;
    }
  }
  let samples: Map<number, Float64Array> | null = null;
  const goroutines = new Set<number>(h ? Array.from(h.goroutines) : []);
  if (trace && h && h.samples.length > 0) {
    const byG = new Map<number, number[]>();
    for (let k = 0; k < h.samples.length; k++) {
      const i = h.samples[k]!;
      const g = trace.cpuSamples.goroutine[i]!;
      if (g < 0) continue;
      const list = byG.get(g);
      if (list) list.push(trace.cpuSamples.time[i]!);
      else byG.set(g, [trace.cpuSamples.time[i]!]);
    }
    samples = new Map([...byG].map(([g, ts]) => [g, Float64Array.from(ts)]));
  }
  // dlv calls light up their goroutine's lane too.
  if (trace && dlvCount > 0) {
    const ids = new Set<number>();
    for (const d of dlv)
      for (const span of dlvSpans.get(d.fileId) ?? []) ids.add(d.model.spans.goroutine[span]!);
    for (let g = 0; g < trace.goroutines.length; g++)
      if (ids.has(trace.goroutines.id[g]!)) goroutines.add(g);
  }
  return {
    func,
    trace: h,
    dlvSpans: dlvCount,
    timeline: {
      goroutines: goroutines.size > 0 ? goroutines : null,
      intervals: h && h.intervals.length > 0 ? new Set(h.intervals) : null,
      dlvSpans: dlvSpans.size > 0 ? dlvSpans : null,
      samples,
    },
  };
}

/** The wait behind a selected interval: itself when waiting, the wait it ended when runnable. */
function waitOf(m: TraceModel, interval: number): number {
  if (m.intervals.state[interval] === GS_WAITING) return interval;
  const g = goroutineOfInterval(m, interval);
  const prev = interval - 1;
  return prev >= m.goroutines.intervalStart[g]! && m.intervals.state[prev] === GS_WAITING
    ? prev
    : -1;
}

/** Arrows from each waker's lane to the goroutine it woke, for the selected wait and its chain. */
export function unblockArrows(m: TraceModel | null, selected: Selection | null): UnblockArrow[] {
  if (!m || selected?.kind !== 'interval') return [];
  const w = waitOf(m, selected.interval);
  if (w < 0) return [];
  return unblockChain(m, w, 8)
    .filter((u) => u.kind === 'goroutine' && u.waker >= 0)
    .map((u, k) => ({ timeNs: u.timeNs, from: u.waker, to: u.goroutine, primary: k === 0 }));
}

/**
 * One step back along the chain: the waker's own previous wait (what held it up), or, when it
 * had not waited, the waker's interval at the moment it woke the selected goroutine.
 */
export function followUnblock(m: TraceModel, selected: Selection | null): number {
  if (selected?.kind !== 'interval') return -1;
  const w = waitOf(m, selected.interval);
  if (w < 0) return -1;
  const [step] = unblockChain(m, w, 1);
  if (!step || step.kind !== 'goroutine' || step.waker < 0) return -1;
  const prev = previousWait(m, step.waker, step.timeNs);
  return prev >= 0 ? prev : intervalAt(m, step.waker, step.timeNs);
}
