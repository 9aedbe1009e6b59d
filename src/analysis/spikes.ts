// The spike finder (issue 7): moments where blocking rises above its usual level, ranked by the
// excess blocked goroutine-time, per reason family. A steady 70 goroutines waiting on the network
// is a service's normal state; 17 handlers piling up on one mutex for 120 ms is the spike.
//
// Method:
//  1. Per series, the number of goroutines waiting over time, as the exact goroutine-ns in each
//     of N equal buckets over the trace divided by the bucket width (the mean count per bucket).
//     A series is one wait reason string (the default) or one reason family; goroutines in a
//     system call form the 'syscall' series.
//  2. The series' usual level is its median over the whole trace, and its spread the median
//     absolute deviation (scaled by 1.4826 to estimate a standard deviation): both robust to the
//     spikes themselves, which are short by nature.
//  3. Cores: runs of buckets whose mean exceeds the level by more than max(minExcess, sigma x
//     spread). Cores whose surroundings above the level meet (or come within 4 buckets) merge.
//     A rough score from the buckets picks the 3 x limit best for the next step (a noisy series
//     has thousands of cores).
//  4. Each picked core is refined on the exact step function of the count (built from the series'
//     intervals near the core): the spike extends from the core outwards while the count stays
//     above the level, and is trimmed inwards where it is not. Its excess is the exact integral
//     of (count - level) over its range, in goroutine-ns.
//  5. Spikes are ranked by their excess in units of the series' usual fluctuation:
//     score = excessNs / max(1, spread). A raw goroutine-ns ranking is not enough: while the
//     spike program's handlers sit on the mutex the whole service idles, and the clients'
//     connection readers that usually alternate between running and waiting all wait on the
//     network at once (19 -> 33 goroutines for the same 150 ms), a raw excess as large as the
//     mutex pile-up's (1 -> 18). The network count always moves by a few goroutines; the mutex
//     count never does, so the scaled score tells the consequence from the cause.
//  6. A spike's goroutines are those whose blocking rose in it (issue 20): a goroutine blocked in
//     the series as much elsewhere as in the spike (main.main in WaitGroup.Wait for the whole
//     run) is part of the usual level, listed as `background`, and left out of what the page
//     shows for the spike and of the spike's why charge (why.ts).
//
// Why per reason by default: the 'sync' family holds mutex waits ("sync") and condition variable
// waits ("sync.(*Cond).Wait"); in an HTTP server every idle keep-alive connection parks on a
// sync.Cond (net/http.(*connReader).abortPendingRead), so the family's level is about 8 and moves
// by +-5 all the time, which drowns a mutex pile-up. Each spike still reports its family.
//
// Everything here reads the range indexes of traceIndex.ts (TraceIndexes, built once per model by
// the caller); the caller memoizes results (the engine's `spikes` query).

import { GS_NOT_EXIST, GS_SYSCALL, GS_WAITING, type TraceModel } from '../model/trace';
import {
  familiesOf,
  FAMILY_INDEX,
  reasonLabel,
  REASON_FAMILIES,
  type ReasonFamily,
  type ReasonFamilyInfo,
} from './reasons';
import { overlapping, type StateIndex, type TraceIndexes } from './traceIndex';

export interface SpikeOptions {
  /** 'reason' (default): one series per wait reason string; 'family': one per reason family. */
  groupBy?: 'reason' | 'family';
  /** Buckets over the trace for the series (default 2000). */
  buckets?: number;
  /** A core must exceed the level by at least this many goroutines (default 1). */
  minExcess?: number;
  /** ... and by this many spreads (default 3). */
  sigma?: number;
  /** Families to look at (default: all). */
  families?: readonly ReasonFamily[];
  /** Most spikes to return (default 20). */
  limit?: number;
}

export interface BlockingSeries {
  family: ReasonFamily;
  /** The reason string of a per-reason series ('syscall' for system calls); null per family. */
  reason: string | null;
  /** What the series is called (the reason, or the family's label). */
  label: string;
  /** Width of each bucket, ns (the trace's duration / bucket count). */
  bucketNs: number;
  /** Mean number of goroutines waiting (in this series) in each bucket. */
  mean: Float64Array;
  /** The usual level: the median of `mean`. */
  level: number;
  /** Robust spread of `mean` (1.4826 x median absolute deviation). */
  spread: number;
  /** A core exceeds `level + threshold`. */
  threshold: number;
}

export interface BlockingSpike {
  family: ReasonFamily;
  startNs: number;
  endNs: number;
  /** Most goroutines of the series waiting at once within the spike, and when. */
  peakCount: number;
  peakNs: number;
  /** The series' usual level (goroutines), which the excess is measured from. */
  baseline: number;
  /** Integral of (waiting goroutines - baseline) over [startNs, endNs], goroutine-ns. */
  excessNs: number;
  /** The series' usual fluctuation (goroutines), see BlockingSeries.spread. */
  spread: number;
  /** The rank: excessNs / max(1, spread). */
  score: number;
  /** The series the spike was found in: the reason (groupBy 'reason') or the family's label. */
  series: string;
  /** The series' waiting time within the spike, per reason string, largest first. */
  reasons: Array<{ reason: string; ns: number }>;
  /** reasons[0].reason. */
  topReason: string;
  /**
   * Goroutines whose blocking rose in the spike (indexes, ascending): waiting time of the series
   * in the spike, and a larger share of the spike than of the rest of their life (see
   * `risesInSpike`). Goroutines blocked there as much as usual are in `background`.
   */
  goroutines: Int32Array;
  goroutineCount: number;
  /** Goroutines with waiting time of the series in the spike whose blocking did not rise. */
  background: Int32Array;
  /** User tasks (indexes into model.tasks) overlapping the spike, longest overlap first. */
  tasks: Int32Array;
  /** Task names of `tasks` with their counts, most common first. */
  taskNames: Array<{ name: string; count: number }>;
}

const SYSCALL_FAMILY = FAMILY_INDEX.syscall;

// ---- series ---------------------------------------------------------------------------------------

/** What the series are: per reason string (plus system calls) or per family. */
interface Groups {
  count: number;
  label: string[];
  reason: Array<string | null>;
  family: number[];
  /** Series of a waiting interval, by reason-table index. */
  ofReason: Int32Array;
  /** Series of system-call intervals. */
  syscall: number;
}

function groups(m: TraceModel, by: 'reason' | 'family'): Groups {
  const fam = familiesOf(m.reasons);
  if (by === 'family') {
    return {
      count: REASON_FAMILIES.length,
      label: REASON_FAMILIES.map((f) => f.label),
      reason: REASON_FAMILIES.map(() => null),
      family: REASON_FAMILIES.map((_, f) => f),
      ofReason: Int32Array.from(fam),
      syscall: SYSCALL_FAMILY,
    };
  }
  const r = m.reasons.length;
  return {
    count: r + 1,
    label: [...m.reasons.map(reasonLabel), 'syscall'],
    reason: [...m.reasons, 'syscall'],
    family: [...fam, SYSCALL_FAMILY],
    ofReason: Int32Array.from(m.reasons, (_, i) => i),
    syscall: r,
  };
}

interface Series {
  groups: Groups;
  buckets: number;
  bucketNs: number;
  /** mean[group * buckets + b]. */
  mean: Float64Array;
}

/** Adds each entry's time to its series' buckets (exact goroutine-ns). */
function accumulate(
  idx: StateIndex,
  groupOf: (p: number) => number,
  ns: Float64Array,
  slope: Float64Array,
  buckets: number,
  bucketNs: number,
): void {
  const { start, end } = idx;
  for (let p = 0; p < idx.length; p++) {
    const a = start[p] as number;
    const z = end[p] as number;
    if (!(z > a)) continue;
    const base = groupOf(p) * buckets;
    const ba = Math.min(buckets - 1, Math.floor(a / bucketNs));
    const bz = Math.min(buckets - 1, Math.floor(z / bucketNs));
    if (ba === bz) {
      ns[base + ba] = (ns[base + ba] as number) + (z - a);
      continue;
    }
    // Partial first and last buckets directly; the full ones between through a difference array.
    ns[base + ba] = (ns[base + ba] as number) + ((ba + 1) * bucketNs - a);
    ns[base + bz] = (ns[base + bz] as number) + (z - bz * bucketNs);
    if (bz > ba + 1) {
      slope[base + ba + 1] = (slope[base + ba + 1] as number) + 1;
      slope[base + bz] = (slope[base + bz] as number) - 1;
    }
  }
}

function series(ix: TraceIndexes, by: 'reason' | 'family', buckets: number): Series {
  const m = ix.model;
  const gr = groups(m, by);
  const bucketNs = Math.max(1, m.durationNs) / buckets;
  const ns = new Float64Array(gr.count * buckets);
  const slope = new Float64Array(gr.count * buckets);
  const waiting = ix.state(GS_WAITING);
  const ofReason = gr.ofReason;
  accumulate(
    waiting,
    (p) => ofReason[waiting.reason[p] as number] as number,
    ns,
    slope,
    buckets,
    bucketNs,
  );
  const sys = gr.syscall;
  accumulate(ix.state(GS_SYSCALL), () => sys, ns, slope, buckets, bucketNs);
  const mean = new Float64Array(gr.count * buckets);
  for (let g = 0; g < gr.count; g++) {
    let full = 0;
    for (let b = 0; b < buckets; b++) {
      const k = g * buckets + b;
      full += slope[k] as number;
      mean[k] = ((ns[k] as number) + full * bucketNs) / bucketNs;
    }
  }
  return { groups: gr, buckets, bucketNs, mean };
}

function median(xs: Float64Array): number {
  if (xs.length === 0) return 0;
  const s = xs.slice().sort();
  const h = s.length >> 1;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

interface SeriesStats extends BlockingSeries {
  group: number;
  familyIndex: number;
}

function seriesStats(s: Series, options: SpikeOptions): SeriesStats[] {
  const buckets = s.buckets;
  const out: SeriesStats[] = [];
  for (let g = 0; g < s.groups.count; g++) {
    const mean = s.mean.subarray(g * buckets, (g + 1) * buckets);
    const level = median(mean);
    const dev = Float64Array.from(mean, (v) => Math.abs(v - level));
    const spread = 1.4826 * median(dev);
    const threshold = Math.max(options.minExcess ?? 1, (options.sigma ?? 3) * spread);
    const f = s.groups.family[g] as number;
    out.push({
      group: g,
      familyIndex: f,
      family: (REASON_FAMILIES[f] as ReasonFamilyInfo).id,
      reason: s.groups.reason[g] ?? null,
      label: s.groups.label[g] ?? '',
      bucketNs: s.bucketNs,
      mean,
      level,
      spread,
      threshold,
    });
  }
  return out;
}

/**
 * The series the finder works on, with their levels and thresholds (for a sparkline next to the
 * list, or to explain a spike). Series without any waiting time are left out.
 */
export function blockingSeries(ix: TraceIndexes, options: SpikeOptions = {}): BlockingSeries[] {
  return seriesStats(series(ix, options.groupBy ?? 'reason', bucketCount(options)), options)
    .filter((s) => s.mean.some((v) => v > 0))
    .map(({ family, reason, label, bucketNs, mean, level, spread, threshold }) => ({
      family,
      reason,
      label,
      bucketNs,
      mean,
      level,
      spread,
      threshold,
    }));
}

// ---- exact refinement -----------------------------------------------------------------------------

interface Step {
  /** Segment j is [time[j], time[j + 1]) with `count[j]` goroutines waiting; last time = window end. */
  time: Float64Array;
  count: Int32Array;
}

/** The exact count of the series' waiting goroutines over [w0, w1] (entries from `collect`). */
function stepFunction(
  entries: Int32Array,
  n: number,
  idx: StateIndex,
  w0: number,
  w1: number,
): Step {
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const p = entries[k] as number;
    starts[k] = Math.max(w0, idx.start[p] as number);
    ends[k] = Math.min(w1, idx.end[p] as number);
  }
  starts.sort();
  ends.sort();
  const time: number[] = [w0];
  const count: number[] = [];
  let c = 0;
  let i = 0;
  let j = 0;
  while (i < n && (starts[i] as number) <= w0) {
    c++;
    i++;
  }
  while (j < n && (ends[j] as number) <= w0) {
    c--;
    j++;
  }
  count.push(c);
  while (i < n || j < n) {
    const t = Math.min(
      i < n ? (starts[i] as number) : Infinity,
      j < n ? (ends[j] as number) : Infinity,
    );
    if (t >= w1) break;
    while (i < n && starts[i] === t) {
      c++;
      i++;
    }
    while (j < n && ends[j] === t) {
      c--;
      j++;
    }
    if (count[count.length - 1] === c) continue;
    time.push(t);
    count.push(c);
  }
  time.push(w1);
  return { time: Float64Array.from(time), count: Int32Array.from(count) };
}

/** The last segment that begins at or before t (strictly before t when `strict`). */
function segmentAt(step: Step, t: number, strict = false): number {
  let lo = 0;
  let hi = step.count.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    const tm = step.time[mid] as number;
    if (tm < t || (!strict && tm === t)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

interface Refined {
  start: number;
  end: number;
  peak: number;
  peakNs: number;
  excess: number;
}

/** Grows (or trims) the core [c0, c1) to where the exact count crosses the level. */
function refine(step: Step, c0: number, c1: number, level: number): Refined | null {
  const { time, count } = step;
  const last = count.length - 1;
  let a = segmentAt(step, c0);
  let z = Math.max(a, segmentAt(step, c1, true));
  if ((count[a] as number) > level) {
    while (a > 0 && (count[a - 1] as number) > level) a--;
  } else {
    while (a < z && (count[a] as number) <= level) a++;
  }
  if ((count[z] as number) > level) {
    while (z < last && (count[z + 1] as number) > level) z++;
  } else {
    while (z > a && (count[z] as number) <= level) z--;
  }
  if ((count[a] as number) <= level) return null;
  let peak = -1;
  let peakNs = 0;
  let excess = 0;
  for (let j = a; j <= z; j++) {
    const c = count[j] as number;
    excess += (c - level) * ((time[j + 1] as number) - (time[j] as number));
    if (c > peak) {
      peak = c;
      peakNs = time[j] as number;
    }
  }
  return { start: time[a] as number, end: time[z + 1] as number, peak, peakNs, excess };
}

// ---- the finder -----------------------------------------------------------------------------------

/** Buckets of the series (default 2000, at least 16). */
function bucketCount(options: SpikeOptions): number {
  return Math.max(16, Math.floor(options.buckets ?? 2000));
}

/** Blocking spikes of the whole trace, highest score first. */
export function findSpikes(ix: TraceIndexes, options: SpikeOptions = {}): BlockingSpike[] {
  return computeSpikes(ix, options);
}

function computeSpikes(ix: TraceIndexes, options: SpikeOptions): BlockingSpike[] {
  const m = ix.model;
  const wanted = new Set(options.families ?? REASON_FAMILIES.map((f) => f.id));
  const by = options.groupBy ?? 'reason';
  const limit = options.limit ?? 20;
  const all = series(ix, by, bucketCount(options));
  const gr = all.groups;
  // Rank the cores by their excess on the bucket series first: a noisy series has thousands of
  // small cores, and only the best few are worth the exact step function.
  const rough: Array<{ s: SeriesStats; b0: number; b1: number; score: number }> = [];
  for (const s of seriesStats(all, options)) {
    if (!wanted.has(s.family)) continue;
    for (const c of cores(s)) rough.push({ s, ...c });
  }
  rough.sort((x, y) => y.score - x.score);
  const spikes: Array<{ s: SeriesStats; r: Refined; score: number }> = [];
  for (const { s, b0, b1 } of rough.slice(0, REFINE_FACTOR * limit)) {
    const { idx, inSeries } = seriesEntries(ix, gr, s.group);
    const c0 = b0 * s.bucketNs;
    const c1 = Math.min(m.durationNs, (b1 + 1) * s.bucketNs);
    const pad = Math.max(c1 - c0, 8 * s.bucketNs);
    const w0 = Math.max(0, c0 - pad);
    const w1 = Math.min(m.durationNs, c1 + pad);
    const n = collect(idx, w0, w1, inSeries);
    const r = refine(stepFunction(idx.scratch, n, idx, w0, w1), c0, c1, s.level);
    if (r && r.excess > 0) spikes.push({ s, r, score: r.excess / Math.max(1, s.spread) });
  }
  spikes.sort((x, y) => y.score - x.score || x.r.start - y.r.start);
  // Two cores of one series can refine to the same spike (they were apart only in the buckets).
  const kept: typeof spikes = [];
  for (const c of spikes) {
    const dup = kept.some((k) => k.s === c.s && k.r.start < c.r.end && c.r.start < k.r.end);
    if (!dup) kept.push(c);
  }
  // Only the spikes returned are described (goroutines, reasons, tasks).
  // A goroutine's time in a series over its life, for every spike of the series it is in.
  const lives = new Map<number, SeriesLife>();
  return kept.slice(0, limit).map(({ s, r, score }) => describe(ix, gr, s, r, score, lives));
}

/** How many rough candidates per returned spike get the exact refinement. */
const REFINE_FACTOR = 3;

/** The index a series' intervals live in, and the test for its entries. */
function seriesEntries(
  ix: TraceIndexes,
  gr: Groups,
  group: number,
): { idx: StateIndex; inSeries: (p: number) => boolean; isSyscall: boolean } {
  if (group === gr.syscall) {
    return { idx: ix.state(GS_SYSCALL), inSeries: () => true, isSyscall: true };
  }
  const idx = ix.state(GS_WAITING);
  const { ofReason } = gr;
  const reason = idx.reason;
  return {
    idx,
    inSeries: (p) => ofReason[reason[p] as number] === group,
    isSyscall: false,
  };
}

/**
 * Cores: runs of buckets above level + threshold, with a rough score: the excess over the level
 * on the buckets around the core that stay above the level, in units of the spread (as the exact
 * score). Cores whose surroundings meet (or come within 4 buckets) are one.
 */
function cores(s: BlockingSeries): Array<{ b0: number; b1: number; score: number }> {
  const out: Array<{ b0: number; b1: number; score: number; x0: number; x1: number }> = [];
  const { mean } = s;
  // The means are sums of floating-point ns over a bucket width: allow for rounding.
  const level = s.level + 1e-6;
  const hi = s.level + s.threshold + 1e-6;
  const n = mean.length;
  for (let b = 0; b < n; b++) {
    if ((mean[b] as number) <= hi) continue;
    let e = b;
    while (e + 1 < n && (mean[e + 1] as number) > hi) e++;
    // The core [b, e] refines exactly; its extent [x0, x1] (while above the level) scores it
    // and joins it to a neighbour.
    let x0 = b;
    let x1 = e;
    while (x0 > 0 && (mean[x0 - 1] as number) > level) x0--;
    while (x1 + 1 < n && (mean[x1 + 1] as number) > level) x1++;
    let b0 = b;
    const prev = out[out.length - 1];
    if (prev && x0 - prev.x1 <= 4) {
      out.pop();
      x0 = prev.x0;
      b0 = prev.b0;
    }
    let excess = 0;
    for (let k = x0; k <= x1; k++) excess += (mean[k] as number) - s.level;
    out.push({ b0, b1: e, x0, x1, score: (excess * s.bucketNs) / Math.max(1, s.spread) });
    // Go on after the core, not the extent: a higher core may rise within it (then they merge).
    b = e;
  }
  return out;
}

/** Entries of the series overlapping [w0, w1], compacted to the front of idx.scratch. */
function collect(
  idx: StateIndex,
  w0: number,
  w1: number,
  inSeries: (p: number) => boolean,
): number {
  const n = overlapping(idx, w0, w1);
  const sc = idx.scratch;
  let k = 0;
  for (let j = 0; j < n; j++) {
    const p = sc[j] as number;
    if (inSeries(p)) sc[k++] = p;
  }
  return k;
}

function describe(
  ix: TraceIndexes,
  gr: Groups,
  s: SeriesStats,
  r: Refined,
  score: number,
  lives: Map<number, SeriesLife>,
): BlockingSpike {
  const m = ix.model;
  const { idx, inSeries, isSyscall } = seriesEntries(ix, gr, s.group);
  const n = collect(idx, r.start, r.end, inSeries);
  const byReason = new Map<number, number>();
  /** Per goroutine: its time in the series inside the spike. */
  const inside = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const p = idx.scratch[k] as number;
    const w = Math.min(r.end, idx.end[p] as number) - Math.max(r.start, idx.start[p] as number);
    if (!(w > 0)) continue;
    const reason = idx.reason[p] as number;
    byReason.set(reason, (byReason.get(reason) ?? 0) + w);
    const g = idx.g[p] as number;
    inside.set(g, (inside.get(g) ?? 0) + w);
  }
  const reasons = [...byReason]
    .map(([ri, ns]) => ({ reason: isSyscall ? 'syscall' : (m.reasons[ri] ?? ''), ns }))
    .sort((a, b) => b.ns - a.ns);
  const rose: number[] = [];
  const background: number[] = [];
  const ofReason = gr.ofReason;
  const inGroup = isSyscall
    ? (state: number) => state === GS_SYSCALL
    : (state: number, reason: number) => state === GS_WAITING && ofReason[reason] === s.group;
  for (const [g, ns] of inside) {
    const key = s.group * m.goroutines.length + g;
    let life = lives.get(key);
    if (life === undefined) {
      life = seriesLife(m, g, inGroup);
      lives.set(key, life);
    }
    (risesInSpike(life, ns, r.start, r.end) ? rose : background).push(g);
  }
  const goroutines = Int32Array.from(rose).sort();
  const tasks = overlappingTasks(m, r.start, r.end);
  return {
    family: s.family,
    series: s.label,
    startNs: r.start,
    endNs: r.end,
    peakCount: r.peak,
    peakNs: r.peakNs,
    baseline: s.level,
    excessNs: r.excess,
    spread: s.spread,
    score,
    reasons,
    topReason: reasons[0]?.reason ?? '',
    goroutines,
    goroutineCount: goroutines.length,
    background: Int32Array.from(background).sort(),
    tasks,
    taskNames: countNames(m, tasks),
  };
}

/** A goroutine's life in the trace and its time in one series over it. */
interface SeriesLife {
  /** From its first interval to its end (or the trace's); empty when it has no interval. */
  start: number;
  end: number;
  /** Time in the series. */
  ns: number;
}

/** One pass over goroutine g's intervals. */
function seriesLife(
  m: TraceModel,
  g: number,
  inGroup: (state: number, reason: number) => boolean,
): SeriesLife {
  const iv = m.intervals;
  const first = m.goroutines.intervalStart[g] as number;
  const last = m.goroutines.intervalStart[g + 1] as number;
  if (first >= last) return { start: 0, end: 0, ns: 0 };
  let ns = 0;
  let end = m.durationNs;
  for (let i = first; i < last; i++) {
    const st = iv.state[i] as number;
    if (st === GS_NOT_EXIST) {
      end = iv.start[i] as number;
      break;
    }
    const e = i + 1 < last ? (iv.start[i + 1] as number) : m.durationNs;
    if (inGroup(st, iv.reason[i] as number)) ns += e - (iv.start[i] as number);
  }
  return { start: iv.start[first] as number, end, ns };
}

/**
 * Whether a goroutine's blocking rose in the spike [a, b] (issue 20, item 8): the share of the
 * spike it spent blocked in the series (`insideNs` / spike length) is more than RISE times its
 * share of the rest of its life in the trace (from its first interval to its end or the trace's).
 * `main.main` waiting in WaitGroup.Wait for the whole run was blocked as much before the spike
 * as in it: it is background, not part of the pile-up, and its wait would otherwise weigh in
 * every flame graph and charge of the spike. A goroutine that lived only within the spike has
 * no rest of life and rises.
 */
function risesInSpike(life: SeriesLife, insideNs: number, a: number, b: number): boolean {
  const outsideLife = life.end - life.start - (Math.min(b, life.end) - Math.max(a, life.start));
  if (!(outsideLife > 0)) return true;
  const shareIn = insideNs / (b - a);
  const shareOut = Math.max(0, life.ns - insideNs) / outsideLife;
  return shareIn > RISE * shareOut;
}

/** How much larger a goroutine's blocked share in a spike must be than elsewhere to be part of it. */
const RISE = 1.5;

/** Tasks overlapping [a, b]; a task begun before the trace or never ended is open on that side. */
export function overlappingTasks(m: TraceModel, a: number, b: number): Int32Array {
  const t = m.tasks;
  const hits: Array<{ i: number; overlap: number; start: number }> = [];
  for (let i = 0; i < t.length; i++) {
    const s = t.start[i] as number;
    const e = t.end[i] as number;
    const ts = s === s ? s : -Infinity;
    const te = e === e ? e : Infinity;
    if (ts < b && te > a) hits.push({ i, overlap: Math.min(b, te) - Math.max(a, ts), start: ts });
  }
  hits.sort((x, y) => y.overlap - x.overlap || x.start - y.start || x.i - y.i);
  return Int32Array.from(hits, (h) => h.i);
}

function countNames(m: TraceModel, tasks: Int32Array): Array<{ name: string; count: number }> {
  const counts = new Map<string, number>();
  for (const i of tasks) {
    const name = m.strings[m.tasks.name[i] as number] ?? '';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
