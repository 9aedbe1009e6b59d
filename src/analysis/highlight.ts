// From a frame of the flame graph to the timeline (issue 7): every goroutine interval and every
// CPU sample whose stack contains a function, the goroutines involved, and a histogram of where
// in the trace they cluster; and back, from one interval to the functions of its stack.
//
// The per-stack question "does this stack contain f?" is one pass over the stack prefix tree in
// index order (contains[s] = func(frame[s]) == f || contains[parent[s]], parents come first, as
// in flame.ts). The interval side reads the range indexes of traceIndex.ts (waiting, runnable and syscall intervals: the states that carry stacks; running
// intervals have none, and CPU samples stand in for them).
//
// Which stack an interval "has": by default the goroutine's own stack (StateIndex.ownStack), so a
// goroutine woken by an unblock is highlighted where it waited, not where its waker was (the
// model stores the waker's stack on such runnable intervals, as Go's trace does).

import { GS_RUNNABLE, GS_SYSCALL, GS_WAITING, type TraceModel } from '../model/trace';
import { intervalStacks, goroutineOfInterval, type TraceIndexes } from './traceIndex';

export interface HighlightOptions {
  /** Histogram buckets over the whole trace (default 200). */
  buckets?: number;
  /**
   * 'own' (default): the goroutine's own stack; 'event': the stack the model stores on the
   * transition that began the interval's run (for an unblock, the waker's). See StateIndex.
   */
  stack?: 'own' | 'event';
  /** States whose intervals are searched (default waiting, runnable, syscall). */
  states?: readonly number[];
}

export interface FunctionHighlight {
  /** The function's string index, -1 when no frame has that name. */
  func: number;
  name: string;
  /** Interval indexes (into model.intervals) whose stack contains the function, ascending. */
  intervals: Int32Array;
  /** CPU sample indexes whose stack contains it, ascending. */
  samples: Int32Array;
  /** Goroutines with such an interval or sample, ascending. */
  goroutines: Int32Array;
  /** Sum of the matching intervals' durations, ns. */
  intervalNs: number;
  histogram: {
    bucketNs: number;
    /** Matching interval time in each bucket, ns. */
    intervalNs: Float64Array;
    /** Matching CPU samples in each bucket. */
    samples: Uint32Array;
  };
}

/** String index of a function name in the model's string table, or -1 (a scan of the frames). */
export function functionIndex(m: TraceModel, name: string): number {
  const { func, length } = m.frames;
  for (let f = 0; f < length; f++) {
    const s = func[f] as number;
    if (m.strings[s] === name) return s;
  }
  return -1;
}

/** The function (string index) of a frame. */
export function frameFunction(m: TraceModel, frame: number): number {
  return frame >= 0 && frame < m.frames.length ? (m.frames.func[frame] as number) : -1;
}

/** Per stack of the model: 1 when the stack contains a frame of function `func`. */
export function stacksContaining(m: TraceModel, func: number): Uint8Array {
  const { frame, parent, length } = m.stacks;
  const ffunc = m.frames.func;
  const out = new Uint8Array(length);
  for (let s = 0; s < length; s++) {
    const p = parent[s] as number;
    out[s] = ffunc[frame[s] as number] === func || (p >= 0 && out[p] === 1) ? 1 : 0;
  }
  return out;
}

/**
 * Where a function is on the timeline. `target` is a function name or a string index (a frame's
 * `func`, or a call tree node's `func` when the tree was built over the model's tables).
 */
export function highlightFunction(
  ix: TraceIndexes,
  target: string | number,
  options: HighlightOptions = {},
): FunctionHighlight {
  const m = ix.model;
  const func = typeof target === 'number' ? target : functionIndex(m, target);
  const buckets = Math.max(1, Math.floor(options.buckets ?? 200));
  const own = (options.stack ?? 'own') === 'own';
  const states = options.states ?? [GS_WAITING, GS_RUNNABLE, GS_SYSCALL];
  return buildHighlight(ix, func, buckets, own, states);
}

function buildHighlight(
  ix: TraceIndexes,
  func: number,
  buckets: number,
  own: boolean,
  states: readonly number[],
): FunctionHighlight {
  const m = ix.model;
  const name = func >= 0 ? (m.strings[func] ?? '') : '';
  const bucketNs = Math.max(1, m.durationNs) / buckets;
  const histNs = new Float64Array(buckets);
  const histSamples = new Uint32Array(buckets);
  const inSet = new Uint8Array(m.goroutines.length);
  const intervals: number[] = [];
  const samples: number[] = [];
  let intervalNs = 0;
  if (func >= 0) {
    const contains = stacksContaining(m, func);
    for (const state of states) {
      const idx = ix.state(state);
      const stacks = own ? idx.ownStack : idx.stack;
      for (let p = 0; p < idx.length; p++) {
        const s = stacks[p] as number;
        if (s < 0 || contains[s] === 0) continue;
        intervals.push(idx.iv[p] as number);
        inSet[idx.g[p] as number] = 1;
        const a = idx.start[p] as number;
        const z = idx.end[p] as number;
        intervalNs += z - a;
        spread(histNs, a, z, bucketNs);
      }
    }
    const cs = m.cpuSamples;
    for (let i = 0; i < cs.length; i++) {
      const s = cs.stack[i] as number;
      if (s < 0 || contains[s] === 0) continue;
      samples.push(i);
      const g = cs.goroutine[i] as number;
      if (g >= 0) inSet[g] = 1;
      const b = Math.min(buckets - 1, Math.floor((cs.time[i] as number) / bucketNs));
      histSamples[b] = (histSamples[b] as number) + 1;
    }
  }
  const goroutines: number[] = [];
  for (let g = 0; g < inSet.length; g++) if (inSet[g]) goroutines.push(g);
  return {
    func,
    name,
    intervals: Int32Array.from(intervals).sort(),
    samples: Int32Array.from(samples),
    goroutines: Int32Array.from(goroutines),
    intervalNs,
    histogram: { bucketNs, intervalNs: histNs, samples: histSamples },
  };
}

/** Adds [a, z) to the buckets it covers. */
function spread(hist: Float64Array, a: number, z: number, bucketNs: number): void {
  const last = hist.length - 1;
  const ba = Math.min(last, Math.floor(a / bucketNs));
  const bz = Math.min(last, Math.floor(z / bucketNs));
  if (ba === bz) {
    hist[ba] = (hist[ba] as number) + (z - a);
    return;
  }
  hist[ba] = (hist[ba] as number) + ((ba + 1) * bucketNs - a);
  for (let b = ba + 1; b < bz; b++) hist[b] = (hist[b] as number) + bucketNs;
  hist[bz] = (hist[bz] as number) + (z - bz * bucketNs);
}

export interface StackFunctions {
  /** The stack (index into model.stacks), -1 when the interval has none. */
  stack: number;
  /** Frames from the outermost to the innermost. */
  frames: Int32Array;
  /** Their functions (string indexes), same order. */
  funcs: Int32Array;
  names: string[];
}

/**
 * The functions on an interval's stack, outermost first, to highlight them in the flame graph.
 * `stack` as in HighlightOptions (default 'own'); `g` may be given when known.
 */
export function intervalFunctions(
  m: TraceModel,
  interval: number,
  options: { stack?: 'own' | 'event'; goroutine?: number } = {},
): StackFunctions {
  const g = options.goroutine ?? goroutineOfInterval(m, interval);
  const st = intervalStacks(m, g, interval);
  const stack = (options.stack ?? 'own') === 'own' ? st.own : st.run;
  return stackFunctions(m, stack);
}

/** The functions of a stack, outermost first. */
export function stackFunctions(m: TraceModel, stack: number): StackFunctions {
  const frames: number[] = [];
  for (let s = stack; s >= 0; s = m.stacks.parent[s] as number) {
    frames.push(m.stacks.frame[s] as number);
  }
  frames.reverse();
  const funcs = Int32Array.from(frames, (f) => m.frames.func[f] as number);
  return {
    stack,
    frames: Int32Array.from(frames),
    funcs,
    names: Array.from(funcs, (f) => m.strings[f] ?? ''),
  };
}
