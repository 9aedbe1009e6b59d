// Derived data for the trace's lanes: goroutine groups by start function, per-goroutine totals
// for sorting, and activity histograms (how many goroutines run, wait to run, or block over time)
// for the overview strip and collapsed groups. The caller keeps what it reuses (the engine's
// per-file memo).

import { GS_RUNNABLE, GS_RUNNING, GS_SYSCALL, GS_WAITING, type TraceModel } from '../model/trace';

export interface GoroutineGroup {
  /** Start function, or "(unknown start)". */
  name: string;
  /** Goroutine indices, by goroutine id. */
  goroutines: Int32Array;
}

export interface GoroutineStats {
  runningNs: Float64Array;
  runnableNs: Float64Array;
  waitingNs: Float64Array;
  syscallNs: Float64Array;
  /** Time of the first interval (creation or first appearance). */
  firstNs: Float64Array;
}

/** Goroutines grouped by start function, the largest groups first, then by name. */
export function goroutineGroups(m: TraceModel): GoroutineGroup[] {
  const byName = new Map<string, number[]>();
  const g = m.goroutines;
  for (let i = 0; i < g.length; i++) {
    if (g.intervalStart[i + 1] === g.intervalStart[i]) continue; // never seen in a transition
    const f = g.startFunc[i]!;
    const name = f >= 0 ? (m.strings[f] ?? '') || '(unknown start)' : '(unknown start)';
    const list = byName.get(name);
    if (list) list.push(i);
    else byName.set(name, [i]);
  }
  return [...byName]
    .map(([name, list]) => ({
      name,
      goroutines: Int32Array.from(list.sort((a, b) => g.id[a]! - g.id[b]!)),
    }))
    .sort(
      (a, b) =>
        b.goroutines.length - a.goroutines.length ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
}

/** Time per state and first appearance of every goroutine (one pass over the intervals). */
export function goroutineStats(m: TraceModel): GoroutineStats {
  const n = m.goroutines.length;
  const s: GoroutineStats = {
    runningNs: new Float64Array(n),
    runnableNs: new Float64Array(n),
    waitingNs: new Float64Array(n),
    syscallNs: new Float64Array(n),
    firstNs: new Float64Array(n).fill(Infinity),
  };
  const { intervalStart } = m.goroutines;
  const { start, state } = m.intervals;
  for (let g = 0; g < n; g++) {
    const a = intervalStart[g]!;
    const b = intervalStart[g + 1]!;
    if (a < b) s.firstNs[g] = start[a]!;
    for (let i = a; i < b; i++) {
      const d = (i + 1 < b ? start[i + 1]! : m.durationNs) - start[i]!;
      switch (state[i]) {
        case GS_RUNNING:
          s.runningNs[g] = s.runningNs[g]! + d;
          break;
        case GS_RUNNABLE:
          s.runnableNs[g] = s.runnableNs[g]! + d;
          break;
        case GS_WAITING:
          s.waitingNs[g] = s.waitingNs[g]! + d;
          break;
        case GS_SYSCALL:
          s.syscallNs[g] = s.syscallNs[g]! + d;
          break;
      }
    }
  }
  return s;
}

export interface Activity {
  buckets: number;
  /** Width of a bucket, ns. */
  bucketNs: number;
  /** Average number of goroutines in each state per bucket. */
  running: Float32Array;
  runnable: Float32Array;
  waiting: Float32Array;
  syscall: Float32Array;
}

/**
 * Average goroutine counts per state in `buckets` equal slices of the trace, over all goroutines
 * or a subset. O(intervals + buckets): each interval adds its exact overlap to its first and last
 * bucket and a full bucket's worth to the ones between through a difference array.
 */
export function activity(
  m: TraceModel,
  buckets = 2048,
  subset: Int32Array | null = null,
): Activity {
  const dur = Math.max(1, m.durationNs);
  const w = dur / buckets;
  // One flat array per kind, a row of buckets + 1 per slot (running, runnable, waiting, syscall):
  // this loop sees every interval of the trace, before the first picture.
  const row = buckets + 1;
  const acc = new Float64Array(4 * row);
  const full = new Float64Array(4 * row);
  const { intervalStart } = m.goroutines;
  const { start, state } = m.intervals;
  const last = buckets - 1;
  const count = subset ? subset.length : m.goroutines.length;
  for (let j = 0; j < count; j++) {
    const g = subset ? subset[j]! : j;
    const a = intervalStart[g]!;
    const b = intervalStart[g + 1]!;
    for (let i = a; i < b; i++) {
      const st = state[i]!;
      const s =
        st === GS_RUNNING
          ? 0
          : st === GS_RUNNABLE
            ? 1
            : st === GS_WAITING
              ? 2
              : st === GS_SYSCALL
                ? 3
                : -1;
      if (s < 0) continue;
      const t0 = start[i]!;
      const t1 = i + 1 < b ? start[i + 1]! : dur;
      if (t1 <= t0) continue;
      // Clamped at both ends: a bucket index out of range would land in another kind's row.
      const b0 = Math.max(0, Math.min(last, Math.floor(t0 / w)));
      const b1 = Math.max(0, Math.min(last, Math.floor(t1 / w)));
      const o = s * row;
      if (b0 === b1) {
        acc[o + b0] = acc[o + b0]! + t1 - t0;
        continue;
      }
      acc[o + b0] = acc[o + b0]! + (b0 + 1) * w - t0;
      acc[o + b1] = acc[o + b1]! + t1 - b1 * w;
      if (b1 > b0 + 1) {
        full[o + b0 + 1] = full[o + b0 + 1]! + 1;
        full[o + b1] = full[o + b1]! - 1;
      }
    }
  }
  const out = [0, 1, 2, 3].map((s) => {
    const r = new Float32Array(buckets);
    const o = s * row;
    let run = 0;
    for (let i = 0; i < buckets; i++) {
      run += full[o + i]!;
      r[i] = run + acc[o + i]! / w;
    }
    return r;
  });
  return {
    buckets,
    bucketNs: w,
    running: out[0]!,
    runnable: out[1]!,
    waiting: out[2]!,
    syscall: out[3]!,
  };
}

/** The largest number of goroutines in any bucket (the scale of an activity plot). */
export function activityPeak(a: Activity): number {
  let p = 1e-9;
  for (let i = 0; i < a.buckets; i++)
    p = Math.max(p, a.running[i]! + a.runnable[i]! + a.syscall[i]! + a.waiting[i]!);
  return p;
}

export interface RegionIndex {
  /** Regions of goroutine g are `order[start[g] .. start[g+1])`, sorted by start. */
  start: Uint32Array;
  order: Uint32Array;
}

/** User regions grouped by goroutine (CSR), each goroutine's sorted by start. */
export function regionIndex(m: TraceModel): RegionIndex {
  const n = m.goroutines.length;
  const reg = m.regions;
  const count = new Uint32Array(n + 1);
  for (let i = 0; i < reg.length; i++) {
    const g = reg.goroutine[i]!;
    if (g >= 0 && g < n) count[g + 1] = count[g + 1]! + 1;
  }
  for (let g = 0; g < n; g++) count[g + 1] = count[g + 1]! + count[g]!;
  const start = count.slice();
  const fill = count.slice();
  const order = new Uint32Array(start[n]!);
  for (let i = 0; i < reg.length; i++) {
    const g = reg.goroutine[i]!;
    if (g < 0 || g >= n) continue;
    order[fill[g]!] = i;
    fill[g] = fill[g]! + 1;
  }
  const s = (i: number) => (Number.isNaN(reg.start[i]!) ? 0 : reg.start[i]!);
  for (let g = 0; g < n; g++) {
    const a = start[g]!;
    const b = start[g + 1]!;
    if (b - a > 1) order.subarray(a, b).sort((x, y) => s(x) - s(y));
  }
  return { start, order };
}
