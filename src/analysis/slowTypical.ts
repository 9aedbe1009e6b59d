// Slow vs typical: split the instances of something that repeats (the tasks of a type, the
// regions of a type, the calls of a dlv-traced function, or any list of (goroutine, start, end)
// spans) into the slowest ones and the rest, and build for each side the stack sets the flame
// graph compares with buildDiffTree (flame.ts):
//
//   cpu      the trace's CPU samples taken on the instances' goroutines inside the instances
//   blocked  the instances' goroutines waiting inside the instances, weighted by the ns of the
//            wait inside the instance, at the stack where they blocked (the stack of the
//            transition into Waiting, kept over status re-statements as traceStacks.ts does)
//
// An instance is one or more spans: a region or a dlv call is one span on its goroutine; a task
// is one span per goroutine that took part in it (began or ended it, or had a region or a log
// in it), each over the task's whole duration. Weights are per instance by default (each side's
// sums divided by its number of instances), so that 10% of the instances compare with the other
// 90% by what one instance typically spends where; `perInstance: false` gives plain sums.
//
// The sets use the model's frame, stack and string tables (or, split by wait reason, tables
// layered on them by stackRoots.ts); what is returned is plain data.

import { lowerBound, upperBound } from '../base/search';
import * as trace from '../model/trace';
import type { TraceModel } from '../model/trace';
import type { WeightedStackSet } from './flame';
import { familiesOf, reasonLabel, REASON_FAMILIES } from './reasons';
import { RootedStacks } from './stackRoots';
import { buildGoroutineSamples, intervalStacks, type GoroutineSamples } from './traceIndex';
import type { UserRegions, UserTasks } from './userTasks';

const GS_WAITING = trace.GS_WAITING;
const IV_STATUS = trace.IV_STATUS;

/** A goroutine over a time span (ns on the trace's axis): one piece of an instance. */
export interface Span {
  goroutine: number;
  startNs: number;
  endNs: number;
}

/** Instances, columnar: instance k is the spans [spanStart[k], spanStart[k+1]). Plain data. */
export interface Instances {
  length: number;
  durationNs: Float64Array;
  startNs: Float64Array;
  endNs: Float64Array;
  spanStart: Uint32Array;
  spanGoroutine: Int32Array;
  spanStartNs: Float64Array;
  spanEndNs: Float64Array;
}

/** One span per instance. */
function single(n: number, fill: (i: number, out: Instances) => void): Instances {
  const out: Instances = {
    length: n,
    durationNs: new Float64Array(n),
    startNs: new Float64Array(n),
    endNs: new Float64Array(n),
    spanStart: new Uint32Array(n + 1),
    spanGoroutine: new Int32Array(n),
    spanStartNs: new Float64Array(n),
    spanEndNs: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    fill(i, out);
    out.spanStart[i] = i;
    out.startNs[i] = out.spanStartNs[i] as number;
    out.endNs[i] = out.spanEndNs[i] as number;
    out.durationNs[i] = (out.endNs[i] as number) - (out.startNs[i] as number);
  }
  out.spanStart[n] = n;
  return out;
}

/** Each span is one instance (dlv calls after alignment, or any list the caller makes). */
export function spanInstances(spans: readonly Span[]): Instances {
  return single(spans.length, (i, out) => {
    const x = spans[i] as Span;
    out.spanGoroutine[i] = x.goroutine;
    out.spanStartNs[i] = x.startNs;
    out.spanEndNs[i] = x.endNs;
  });
}

/** The complete tasks of a type (or of the given task indexes), one span per goroutine of each. */
export function taskInstances(
  m: TraceModel,
  tasks: UserTasks,
  type: string | null,
  indexes?: readonly number[],
): Instances {
  const typeIndex = type === null ? -2 : type === '' ? -1 : m.strings.indexOf(type);
  const keep = (k: number): boolean => {
    const a = tasks.start[k] as number;
    const b = tasks.end[k] as number;
    if (!(a === a && b === b)) return false;
    if (typeIndex === -2) return true;
    const t = tasks.type[k] as number;
    // "" is -1, or a string index of "" (a TaskBegin with an empty type).
    return t === typeIndex || (type === '' && m.strings[t] === '');
  };
  const count = indexes ? indexes.length : tasks.length;
  const at = (j: number): number => (indexes ? (indexes[j] as number) : j);
  let n = 0;
  let spans = 0;
  for (let j = 0; j < count; j++) {
    const k = at(j);
    if (!keep(k)) continue;
    n++;
    spans += (tasks.goroutineStart[k + 1] as number) - (tasks.goroutineStart[k] as number);
  }
  const out: Instances = {
    length: n,
    durationNs: new Float64Array(n),
    startNs: new Float64Array(n),
    endNs: new Float64Array(n),
    spanStart: new Uint32Array(n + 1),
    spanGoroutine: new Int32Array(spans),
    spanStartNs: new Float64Array(spans),
    spanEndNs: new Float64Array(spans),
  };
  let i = 0;
  let p = 0;
  for (let j = 0; j < count; j++) {
    const k = at(j);
    if (!keep(k)) continue;
    const a = tasks.start[k] as number;
    const b = tasks.end[k] as number;
    out.startNs[i] = a;
    out.endNs[i] = b;
    out.durationNs[i] = b - a;
    out.spanStart[i++] = p;
    for (
      let q = tasks.goroutineStart[k] as number;
      q < (tasks.goroutineStart[k + 1] as number);
      q++
    ) {
      out.spanGoroutine[p] = tasks.goroutines[q] as number;
      out.spanStartNs[p] = a;
      out.spanEndNs[p++] = b;
    }
  }
  out.spanStart[n] = p;
  return out;
}

/**
 * The regions of a type (and start function, unless null), or the given region indexes; a region
 * open at an end of the trace runs to that end, as in the region table.
 */
export function regionInstances(
  m: TraceModel,
  regions: UserRegions,
  type: string | null,
  startFunction: string | null = null,
  indexes?: readonly number[],
): Instances {
  const str = (k: number): string => (k < 0 ? '' : (m.strings[k] ?? ''));
  const picked: number[] = [];
  const count = indexes ? indexes.length : regions.length;
  for (let j = 0; j < count; j++) {
    const k = indexes ? (indexes[j] as number) : j;
    if (type !== null && str(regions.type[k] as number) !== type) continue;
    if (startFunction !== null && str(regions.startFunc[k] as number) !== startFunction) continue;
    picked.push(k);
  }
  return single(picked.length, (i, out) => {
    const k = picked[i] as number;
    const a = regions.start[k] as number;
    const b = regions.end[k] as number;
    out.spanGoroutine[i] = regions.goroutine[k] as number;
    out.spanStartNs[i] = a === a ? a : 0;
    out.spanEndNs[i] = b === b ? b : m.durationNs;
  });
}

/** Which instances are slow: the slowest fraction, or those with a duration in [minNs, maxNs]. */
export interface SlowSelection {
  /** Fraction of the instances, the slowest first (default 0.1); at least one instance. */
  fraction?: number;
  /** A duration range instead (inclusive), e.g. histogram buckets the user picked. */
  minNs?: number;
  maxNs?: number;
}

export interface Split {
  /** Instance indexes of the slow ones, slowest first. */
  slow: Int32Array;
  /** The others, slowest first. */
  typical: Int32Array;
  /** Shortest duration among the slow instances (NaN when none). */
  thresholdNs: number;
}

/** Splits instances into slow and typical (see SlowSelection). */
export function splitSlow(inst: Instances, sel: SlowSelection = {}): Split {
  const order = [...Array(inst.length).keys()].sort(
    (a, b) => (inst.durationNs[b] as number) - (inst.durationNs[a] as number) || a - b,
  );
  let slow: number[];
  let typical: number[];
  if (sel.minNs !== undefined || sel.maxNs !== undefined) {
    const lo = sel.minNs ?? -Infinity;
    const hi = sel.maxNs ?? Infinity;
    const isSlow = (k: number): boolean => {
      const d = inst.durationNs[k] as number;
      return d >= lo && d <= hi;
    };
    slow = order.filter(isSlow);
    typical = order.filter((k) => !isSlow(k));
  } else {
    const f = Math.min(1, Math.max(0, sel.fraction ?? 0.1));
    const n = inst.length === 0 ? 0 : Math.max(1, Math.ceil(inst.length * f));
    slow = order.slice(0, n);
    typical = order.slice(n);
  }
  let threshold = NaN;
  for (const k of slow)
    threshold = Math.min(
      threshold === threshold ? threshold : Infinity,
      inst.durationNs[k] as number,
    );
  return { slow: Int32Array.from(slow), typical: Int32Array.from(typical), thresholdNs: threshold };
}

/** Weight per stack index, growable (rooted stacks are appended while a query runs). */
class Weights {
  w: Float64Array;
  seen: Uint8Array;
  touched: Int32Array;
  n = 0;
  constructor(cap: number) {
    this.w = new Float64Array(Math.max(16, cap));
    this.seen = new Uint8Array(this.w.length);
    this.touched = new Int32Array(64);
  }
  add(s: number, v: number): void {
    if (s >= this.w.length) {
      const cap = Math.max(s + 1, this.w.length * 2);
      const w = new Float64Array(cap);
      w.set(this.w);
      this.w = w;
      const seen = new Uint8Array(cap);
      seen.set(this.seen);
      this.seen = seen;
    }
    if (this.seen[s] === 0) {
      this.seen[s] = 1;
      if (this.n === this.touched.length) {
        const t = new Int32Array(this.n * 2);
        t.set(this.touched);
        this.touched = t;
      }
      this.touched[this.n++] = s;
    }
    this.w[s] = (this.w[s] as number) + v;
  }
}

/** A side's stack set: a WeightedStackSet plus what it was made of. */
export interface InstanceStackSet extends WeightedStackSet {
  unit: 'count' | 'nanoseconds';
  /** Instances that went in. */
  instances: number;
  /** Sum of the weights (per instance when so scaled), stacks or not. */
  total: number;
  /** Weight without a stack (left out of trees). */
  noStack: number;
  /** Frames at and after this index are synthetic reason roots (frames.length when none). */
  syntheticFrom: number;
}

export interface InstanceStackOptions {
  /** Divide weights by the number of instances (default true). */
  perInstance?: boolean;
  /** blocked: a root frame per wait reason or reason family above the stacks (default none). */
  split?: 'none' | 'reason' | 'family';
  /** From buildGoroutineSamples (built here when absent). */
  samples?: GoroutineSamples;
}

export interface SideSets {
  cpu: InstanceStackSet;
  blocked: InstanceStackSet;
}

/** The cpu and blocked stack sets of some instances (see the file comment). */
export function instanceStackSets(
  m: TraceModel,
  inst: Instances,
  which: ArrayLike<number>,
  options: InstanceStackOptions = {},
): SideSets {
  const samples = options.samples ?? buildGoroutineSamples(m);
  const split = options.split ?? 'none';
  // A fresh layered table per call: its result must not change when another call appends.
  const rooted = split === 'none' ? null : new RootedStacks(m);
  let rootOfReason: Int32Array | null = null;
  if (rooted) {
    const labels =
      split === 'reason'
        ? m.reasons.map(reasonLabel)
        : Array.from(
            familiesOf(m.reasons),
            (f) => (REASON_FAMILIES[f] ?? REASON_FAMILIES[0]!).label,
          );
    rooted.addLabels(labels);
    rootOfReason = Int32Array.from(labels, (l) => rooted.frameOf(l));
  }
  const cpuW = new Weights(m.stacks.length);
  const blockW = new Weights(rooted ? rooted.stackCount : m.stacks.length);
  let cpuTotal = 0;
  let cpuNoStack = 0;
  let blockTotal = 0;
  let blockNoStack = 0;
  const iv = m.intervals;
  const gs = m.goroutines;
  for (let w = 0; w < which.length; w++) {
    const k = which[w] as number;
    for (let p = inst.spanStart[k] as number; p < (inst.spanStart[k + 1] as number); p++) {
      const g = inst.spanGoroutine[p] as number;
      const a = inst.spanStartNs[p] as number;
      const b = inst.spanEndNs[p] as number;
      if (g < 0 || g >= gs.length || !(b > a)) continue;
      // CPU samples of g in [a, b].
      const sEnd = samples.offsets[g + 1] as number;
      const lo = lowerBound(samples.time, a, samples.offsets[g] as number, sEnd);
      const hi = upperBound(samples.time, b, lo, sEnd);
      for (let j = lo; j < hi; j++) {
        const st = samples.stack[j] as number;
        cpuTotal++;
        if (st < 0) cpuNoStack++;
        else cpuW.add(st, 1);
      }
      // Waiting intervals of g overlapping [a, b].
      const glo = gs.intervalStart[g] as number;
      const ghi = gs.intervalStart[g + 1] as number;
      let i = Math.max(glo, upperBound(iv.start, a, glo, ghi) - 1);
      const stop = lowerBound(iv.start, b, glo, ghi);
      for (; i < stop; i++) {
        if (iv.state[i] !== GS_WAITING) continue;
        const s0 = iv.start[i] as number;
        const s1 = i + 1 < ghi ? (iv.start[i + 1] as number) : m.durationNs;
        const d = (s1 < b ? s1 : b) - (s0 > a ? s0 : a);
        if (!(d > 0)) continue;
        let st = iv.stack[i] as number;
        if ((iv.flags[i] as number) & IV_STATUS && i > glo && iv.state[i - 1] === GS_WAITING) {
          st = intervalStacks(m, g, i).run;
        }
        blockTotal += d;
        if (rooted && rootOfReason) {
          st = rooted.rooted(rootOfReason[iv.reason[i] as number] as number, st);
        } else if (st < 0) {
          blockNoStack += d;
          continue;
        }
        blockW.add(st, d);
      }
    }
  }
  const n = which.length;
  const scale = options.perInstance === false || n === 0 ? 1 : 1 / n;
  const set = (
    wts: Weights,
    unit: 'count' | 'nanoseconds',
    total: number,
    noStack: number,
    layered: boolean,
  ): InstanceStackSet => {
    const keys = wts.touched.subarray(0, wts.n).sort();
    return {
      frames: layered && rooted ? rooted.frames : m.frames,
      stacks: layered && rooted ? rooted.stacks : m.stacks,
      strings: layered && rooted ? rooted.strings : m.strings,
      sampleStacks: keys.slice(),
      weights: Float64Array.from(keys, (s) => (wts.w[s] as number) * scale),
      unit,
      instances: n,
      total: total * scale,
      noStack: noStack * scale,
      syntheticFrom: layered && rooted ? rooted.syntheticFrom : m.frames.length,
    };
  };
  return {
    cpu: set(cpuW, 'count', cpuTotal, cpuNoStack, false),
    blocked: set(blockW, 'nanoseconds', blockTotal, blockNoStack, true),
  };
}

export interface SlowVsTypical {
  split: Split;
  /** Mean duration of each side (NaN when empty). */
  slowMeanNs: number;
  typicalMeanNs: number;
  slow: SideSets;
  typical: SideSets;
}

/**
 * Both sides' stack sets: compare them with `buildDiffTree(typical.cpu, slow.cpu)` and
 * `buildDiffTree(typical.blocked, slow.blocked)` (A is the baseline, B what grew).
 */
export function slowVsTypical(
  m: TraceModel,
  inst: Instances,
  sel: SlowSelection = {},
  options: InstanceStackOptions = {},
): SlowVsTypical {
  const split = splitSlow(inst, sel);
  const samples = options.samples ?? buildGoroutineSamples(m);
  const o = { ...options, samples };
  const mean = (ks: Int32Array): number => {
    if (ks.length === 0) return NaN;
    let s = 0;
    for (const k of ks) s += inst.durationNs[k] as number;
    return s / ks.length;
  };
  return {
    split,
    slowMeanNs: mean(split.slow),
    typicalMeanNs: mean(split.typical),
    slow: instanceStackSets(m, inst, split.slow, o),
    typical: instanceStackSets(m, inst, split.typical, o),
  };
}
