// Lookups of one item in a trace model (binary searches and accessors, never a pass over the
// model): what the page's painters, hit tests and tooltips use, and the analyses too.

import { upperBound } from '../base/search';
import { GS_WAITING, IV_STATUS, type TraceModel } from './trace';

/** The goroutine that interval `i` belongs to. */
export function goroutineOfInterval(m: TraceModel, i: number): number {
  return upperBound(m.goroutines.intervalStart, i) - 1;
}

/**
 * Interval `i` of `from` in `to`, a later model of the same trace (the next preview of a trace
 * being decoded, or its final model: each goroutine's intervals so far keep their order, and
 * more may follow): the same goroutine's interval of the same rank, or null when `to` lacks it.
 */
export function sameInterval(from: TraceModel, to: TraceModel, i: number): number | null {
  if (i < 0 || i >= from.intervals.length) return null;
  const g = goroutineOfInterval(from, i);
  if (g >= to.goroutines.length) return null;
  const k = i - (from.goroutines.intervalStart[g] as number);
  const at = (to.goroutines.intervalStart[g] as number) + k;
  return at < (to.goroutines.intervalStart[g + 1] as number) ? at : null;
}

/** Start of task `i`: 0 when it began before the trace. */
export function taskStart(m: TraceModel, i: number): number {
  const s = m.tasks.start[i]!;
  return Number.isNaN(s) ? 0 : s;
}

/** End of task `i`: the trace's end when it had not ended. */
export function taskEnd(m: TraceModel, i: number): number {
  const e = m.tasks.end[i]!;
  return Number.isNaN(e) ? m.durationNs : e;
}

/**
 * First interval of the wait that waiting interval `i` of goroutine `g` belongs to: Go re-states
 * every goroutine's status at each generation start (the model begins an interval there, flagged
 * IV_STATUS), so one wait can span several intervals.
 */
export function waitRunFirst(m: TraceModel, g: number, i: number): number {
  const iv = m.intervals;
  const first = m.goroutines.intervalStart[g] as number;
  let a = i;
  while (a > first && (iv.flags[a] as number) & IV_STATUS && iv.state[a - 1] === GS_WAITING) a--;
  return a;
}

/** Last interval of that wait; `end` is the goroutine's interval end (intervalStart[g + 1]). */
export function waitRunLast(m: TraceModel, i: number, end: number): number {
  const iv = m.intervals;
  let z = i;
  while (z + 1 < end && iv.state[z + 1] === GS_WAITING && (iv.flags[z + 1] as number) & IV_STATUS) {
    z++;
  }
  return z;
}
