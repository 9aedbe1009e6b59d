// TEMPORARY (removed when the flame graph and highlights move to the engine): the range indexes
// of the models the page still analyses on the main thread.

import { traceIndexes, type TraceIndexes } from '../analysis/traceIndex';
import { rangeStacks, type RangeStacks } from '../analysis/traceStacks';
import type { TraceModel } from '../model/trace';

const held = new WeakMap<TraceModel, { ix: TraceIndexes; rs: RangeStacks }>();

export function legacyIndexes(m: TraceModel): { ix: TraceIndexes; rs: RangeStacks } {
  let h = held.get(m);
  if (!h) {
    const ix = traceIndexes(m);
    h = { ix, rs: rangeStacks(ix) };
    held.set(m, h);
  }
  return h;
}
