// "Unblocked by" (issue 7): for a wait of goroutine g, the event that ended it, and the chain of
// wakers behind it ("g waited on the mutex; h unlocked it; h had itself waited on a channel that
// k sent on; ...").
//
// In Go's trace a wait ends with GoUnblock, emitted by the goroutine that made g runnable (the
// unlocker, the sender, ...) or by no goroutine at all (the netpoller, a timer, the runtime);
// Go src/internal/trace/event.go, go1.26: StateTransition for EvGoUnblock. The model records it
// as g's next interval: runnable, with the unblocking goroutine as its waker (`wakerOf`: none for
// the runtime) and `stack` the unblocking event's stack in the waker (model/trace.ts
// GoroutineIntervals). A wait can span
// several intervals: Go re-states every goroutine's status at each generation start (IV_STATUS),
// so "the wait" here is the whole run of waiting intervals, and it ends at the first interval of
// g in another state.

import { upperBound } from '../base/search';
import { unblockedBy, type Unblock } from '../model/lookup';
import { GS_WAITING, type TraceModel } from '../model/trace';
import { goroutineOfInterval, intervalEndOf } from './traceIndex';

// What ended one wait is a lookup the page makes too (the details of a wait): model/lookup.ts.
export { unblockedBy, type Unblock, type UnblockKind } from '../model/lookup';

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
