// Lookups of one item in a trace model (binary searches and accessors, never a pass over the
// model): what the page's painters, hit tests and tooltips use, and the analyses too.

import { upperBound } from '../base/search';
import type { TraceModel } from './trace';

/** The goroutine that interval `i` belongs to. */
export function goroutineOfInterval(m: TraceModel, i: number): number {
  return upperBound(m.goroutines.intervalStart, i) - 1;
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
