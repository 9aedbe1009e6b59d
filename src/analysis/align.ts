// Clock alignment between a dlv log and an execution trace when the trace carries no wall clock
// (method "auto" of SUMMARY.md). Delve stops a goroutine at each traced call and return, and the
// execution trace shows that goroutine Running while it is stopped; so the right offset puts the
// log's timestamped lines inside Running intervals of their own goroutine.
//
// Exact sweep: each (line, Running interval of the line's goroutine) pair admits the offsets
// [start - t, end - t]; the best offset is where the most of these ranges overlap. The intervals
// of one goroutine are disjoint, so one line counts at most once at any offset. Sorting the 2N
// range ends and sweeping finds the maximum exactly (no grid), in O(N log N) for N pairs.

export interface RunningIntervals {
  /** Sorted, disjoint [start, end] Running intervals of a goroutine, on the trace axis (ns). */
  get(goroutine: number): { starts: Float64Array; ends: Float64Array } | undefined;
}

export interface TimedLines {
  goroutine: Float64Array;
  /** Line times on the log's own axis (ns); NaN lines are ignored. */
  timeNs: Float64Array;
}

export interface OffsetFit {
  /** Trace time = log time + offset. */
  offsetNs: number;
  /** Lines inside a Running interval of their goroutine at that offset. */
  inside: number;
  /** Timestamped lines considered. */
  total: number;
  /** The range of offsets that reach the same count (the fit is the middle of it). */
  range: [number, number];
  /** Pairs the sweep looked at (for the limit below). */
  pairs: number;
}

/** Beyond this many (line, interval) pairs the sweep samples lines evenly (and says so). */
export const MAX_PAIRS = 20_000_000;

/** Binary search: first index with ends[i] >= x. */
function firstEndAtLeast(ends: Float64Array, x: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ends[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The offset in [minOffset, maxOffset] that puts the most lines inside Running intervals of
 * their goroutine. Null when no line can be placed at all.
 */
export function bestOffset(
  lines: TimedLines,
  running: RunningIntervals,
  minOffset: number,
  maxOffset: number,
): OffsetFit | null {
  const n = lines.timeNs.length;
  // Count pairs first so the event arrays are allocated once.
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    const t = lines.timeNs[i] as number;
    if (Number.isNaN(t)) continue;
    const r = running.get(lines.goroutine[i] as number);
    if (!r) continue;
    const from = firstEndAtLeast(r.ends, t + minOffset);
    let j = from;
    while (j < r.starts.length && (r.starts[j] as number) <= t + maxOffset) j++;
    pairs += j - from;
  }
  if (pairs === 0) return null;
  const stride = pairs > MAX_PAIRS ? Math.ceil(pairs / MAX_PAIRS) : 1;
  const pos = new Float64Array(2 * Math.ceil(pairs / stride) + 2);
  const delta = new Int8Array(pos.length);
  let k = 0;
  let seen = 0;
  let considered = 0;
  for (let i = 0; i < n; i++) {
    const t = lines.timeNs[i] as number;
    if (Number.isNaN(t)) continue;
    if (seen++ % stride !== 0) continue;
    considered++;
    const r = running.get(lines.goroutine[i] as number);
    if (!r) continue;
    for (
      let j = firstEndAtLeast(r.ends, t + minOffset);
      j < r.starts.length && (r.starts[j] as number) <= t + maxOffset;
      j++
    ) {
      if (k + 2 > pos.length) break;
      pos[k] = Math.max(minOffset, (r.starts[j] as number) - t);
      delta[k++] = 1;
      pos[k] = Math.min(maxOffset, (r.ends[j] as number) - t);
      delta[k++] = -1;
    }
  }
  // Sort events by position; at equal positions openings come first (intervals are closed).
  const order = new Uint32Array(k);
  for (let i = 0; i < k; i++) order[i] = i;
  order.sort(
    (a, b) =>
      (pos[a] as number) - (pos[b] as number) || (delta[b] as number) - (delta[a] as number),
  );
  let count = 0;
  let best = -1;
  let bestLo = 0;
  let bestHi = 0;
  for (let e = 0; e < k; e++) {
    const i = order[e] as number;
    count += delta[i] as number;
    if (delta[i] === 1 && count > best) {
      best = count;
      bestLo = pos[i] as number;
      // The range lasts until the next closing event.
      let f = e + 1;
      while (f < k && delta[order[f] as number] === 1) f++;
      bestHi = f < k ? (pos[order[f] as number] as number) : bestLo;
    }
  }
  return {
    offsetNs: (bestLo + bestHi) / 2,
    inside: best,
    total: considered,
    range: [bestLo, bestHi],
    pairs,
  };
}

/** Lines inside a Running interval of their goroutine at a given offset, and the lines counted. */
export function countInside(
  lines: TimedLines,
  running: RunningIntervals,
  offsetNs: number,
): { inside: number; total: number } {
  let inside = 0;
  let total = 0;
  for (let i = 0; i < lines.timeNs.length; i++) {
    const t = lines.timeNs[i] as number;
    if (Number.isNaN(t)) continue;
    total++;
    const r = running.get(lines.goroutine[i] as number);
    if (!r) continue;
    const x = t + offsetNs;
    const j = firstEndAtLeast(r.ends, x);
    if (j < r.starts.length && (r.starts[j] as number) <= x) inside++;
  }
  return { inside, total };
}

/** Below this share of lines inside Running intervals, files are not forced together. */
export const SAME_RUN_THRESHOLD = 0.5;
