// Lookups of one item in a trace model (binary searches and accessors, never a pass over the
// model): what the page's painters, hit tests and tooltips use, and the analyses too.

import { upperBound } from '../base/search';
import { GS_RUNNABLE, GS_WAITING, intervalEnd, IV_STATUS, type TraceModel, wakerOf } from './trace';

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

export type UnblockKind =
  /** Another goroutine made g runnable: `waker` is it, `wakerStack` where it did. */
  | 'goroutine'
  /** Made runnable with no goroutine behind it: the netpoller, a timer, the runtime. */
  | 'runtime'
  /** The goroutine ended (or the wait ended some other way than becoming runnable). */
  | 'other'
  /** Still waiting when the trace ends. */
  | 'end-of-trace';

export interface Unblock {
  /** The goroutine that waited. */
  goroutine: number;
  /** The wait's first and last interval (the run of waiting intervals). */
  waitFirst: number;
  waitLast: number;
  /** When the wait began, ns. */
  waitStartNs: number;
  /** Go's reason for the wait. */
  reason: string;
  kind: UnblockKind;
  /** When the wait ended (the trace's end for 'end-of-trace'), ns. */
  timeNs: number;
  /** The interval that ended the wait (g's next one), or -1 for 'end-of-trace'. */
  wakeInterval: number;
  /** Goroutine index of the waker, or -1. */
  waker: number;
  /** Stack of the unblocking event in the waker, or -1 (the arrow's tail tooltip). */
  wakerStack: number;
}

/**
 * What ended the wait that interval `i` belongs to. Null when `i` is not a waiting interval.
 * `g` is i's goroutine when the caller knows it (else found by binary search).
 */
export function unblockedBy(m: TraceModel, i: number, g = -1): Unblock | null {
  const iv = m.intervals;
  if (i < 0 || i >= iv.length || iv.state[i] !== GS_WAITING) return null;
  const gi = g >= 0 ? g : goroutineOfInterval(m, i);
  const end = m.goroutines.intervalStart[gi + 1] as number;
  // The run: back over re-statements at generation starts, forward while still waiting.
  const a = waitRunFirst(m, gi, i);
  const z = waitRunLast(m, i, end);
  const base = {
    goroutine: gi,
    waitFirst: a,
    waitLast: z,
    waitStartNs: iv.start[a] as number,
    reason: m.reasons[iv.reason[a] as number] ?? '',
  };
  const next = z + 1;
  if (next >= end) {
    return {
      ...base,
      kind: 'end-of-trace',
      timeNs: intervalEnd(m, gi, z),
      wakeInterval: -1,
      waker: -1,
      wakerStack: -1,
    };
  }
  const state = iv.state[next] as number;
  const waker = wakerOf(iv, gi, next);
  const kind: UnblockKind =
    state === GS_RUNNABLE ? (waker >= 0 ? 'goroutine' : 'runtime') : 'other';
  return {
    ...base,
    kind,
    timeNs: iv.start[next] as number,
    wakeInterval: next,
    waker,
    wakerStack: state === GS_RUNNABLE && waker >= 0 ? (iv.stack[next] as number) : -1,
  };
}
