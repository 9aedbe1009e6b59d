// "Unblocked by" (issue 7): for a wait of goroutine g, the event that ended it, and the chain of
// wakers behind it ("g waited on the mutex; h unlocked it; h had itself waited on a channel that
// k sent on; ...").
//
// In Go's trace a wait ends with GoUnblock, emitted by the goroutine that made g runnable (the
// unlocker, the sender, ...) or by no goroutine at all (the netpoller, a timer, the runtime);
// Go src/internal/trace/event.go, go1.26: StateTransition for EvGoUnblock. The model records it
// as g's next interval: runnable, with `waker` the unblocking goroutine (or -1) and `stack` the
// unblocking event's stack in the waker (model/trace.ts GoroutineIntervals). A wait can span
// several intervals: Go re-states every goroutine's status at each generation start (IV_STATUS),
// so "the wait" here is the whole run of waiting intervals, and it ends at the first interval of
// g in another state.

import { upperBound } from '../base/search';
import { GS_RUNNABLE, GS_WAITING, type TraceModel, wakerOf } from '../model/trace';
import { goroutineOfInterval, intervalEndOf, waitRunFirst, waitRunLast } from './traceIndex';

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
      timeNs: intervalEndOf(m, gi, z),
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

/** The wait behind a selected interval: itself when waiting, the wait it ended when runnable. */
export function waitBehind(m: TraceModel, interval: number): number {
  if (interval < 0 || interval >= m.intervals.length) return -1;
  if (m.intervals.state[interval] === GS_WAITING) return interval;
  const g = goroutineOfInterval(m, interval);
  const prev = interval - 1;
  return prev >= m.goroutines.intervalStart[g]! && m.intervals.state[prev] === GS_WAITING
    ? prev
    : -1;
}

/**
 * The last wait of goroutine `g` that had ended by time `t` (its last waiting interval), or -1:
 * what the waker was doing before it woke someone at `t`.
 */
export function previousWait(m: TraceModel, g: number, t: number): number {
  const first = m.goroutines.intervalStart[g] as number;
  const end = m.goroutines.intervalStart[g + 1] as number;
  const iv = m.intervals;
  // Last interval that began at or before t; a wait begun exactly at t (after the unblock, at the
  // same ns) has not ended by t and is skipped by the end test.
  for (let k = upperBound(iv.start, t, first, end) - 1; k >= first; k--) {
    if (iv.state[k] === GS_WAITING && intervalEndOf(m, g, k) <= t) return k;
  }
  return -1;
}

/**
 * The chain of wakers behind the wait of interval `i`: step 0 is `unblockedBy(i)`; each next step
 * is what ended the waker's own previous wait, until a wait ended without a goroutine behind it,
 * the waker had not waited before, a wait repeats, or `maxSteps` steps. The time from step k+1's
 * `timeNs` (the waker woke) to step k's (it woke the next one) is what it ran in between.
 */
export function unblockChain(m: TraceModel, i: number, maxSteps = 8): Unblock[] {
  const out: Unblock[] = [];
  const seen = new Set<number>();
  let cur = unblockedBy(m, i);
  while (cur && out.length < maxSteps && !seen.has(cur.waitFirst)) {
    out.push(cur);
    seen.add(cur.waitFirst);
    if (cur.kind !== 'goroutine') break;
    const prev = previousWait(m, cur.waker, cur.timeNs);
    if (prev < 0) break;
    cur = unblockedBy(m, prev, cur.waker);
  }
  return out;
}
