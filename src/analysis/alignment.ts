// Putting a dlv log or a pprof profile on an execution trace's time axis (SUMMARY.md `alignment`),
// by the best method the files allow:
//
// 1. clock-snapshot: traces from Go 1.25 on carry wall-clock readings per generation
//    (ClockSnapshot). Wall time maps to trace time piecewise: through the snapshot of the
//    generation the instant falls in. A dlv log then lands by its RFC 3339 timestamps, a profile
//    by its time_nanos.
// 2. auto (inferred): a dlv log's goroutine ids are the trace's, and Delve stops a goroutine at
//    each traced call and return while the trace shows it Running; the exact sweep of
//    ./align.ts finds the offset that puts the most lines inside their goroutine's Running time.
//    A profile without a clock goes on the span of the trace's own CPU samples.
// 3. manual: an offset the user chose (kept in the session and the link).
//
// Files from different runs are not forced together: below half of the lines inside Running
// intervals the dlv log is left unaligned, and the result says why.

import { dlvTimeExtent, type DlvModel } from '../model/dlv';
import type { ProfileModel } from '../model/profile';
import { GS_RUNNING, type TraceModel } from '../model/trace';
import { bestOffset, countInside, SAME_RUN_THRESHOLD, type RunningIntervals } from './align';

export type AlignMethod = 'clock-snapshot' | 'auto' | 'manual' | 'none';

export interface Alignment {
  method: AlignMethod;
  /** Where the file begins on the trace axis (ns since the trace's first event), or null. */
  startNs: number | null;
  /** Trace time = the file's own time + offsetNs (dlv: ns since its first timestamp). */
  offsetNs: number | null;
  /** dlv logs: share of timestamped entry and return lines inside Running intervals of their goroutine. */
  insideRunning?: number;
  /** One line for the user: the method and how good it is. */
  quality: string;
}

export interface AlignOptions {
  /** Use inference even when the trace has a wall clock (to check one method against the other). */
  ignoreClockSnapshot?: boolean;
  /** A manual offset (ns) chosen by the user: wins over every method. */
  manualOffsetNs?: number;
  /** The trace's running intervals (`runningIntervals(trace)`), when the caller keeps them. */
  running?: RunningIntervals;
}

/** Trace time of a wall-clock instant, through the snapshot of its generation; null without one. */
export function wallToTrace(trace: TraceModel, wallNs: bigint): number | null {
  const snaps = trace.clockSnapshots;
  if (snaps.length === 0) return null;
  let snap = snaps[0]!;
  for (const s of snaps) {
    if (s.wallNs <= wallNs) snap = s;
    else break;
  }
  return snap.traceNs + Number(wallNs - snap.wallNs);
}

/** Running intervals of each goroutine, by Go goroutine id (the ids dlv prints). */
export function runningIntervals(trace: TraceModel): RunningIntervals {
  const byId = new Map<number, { starts: Float64Array; ends: Float64Array }>();
  const { goroutines: gs, intervals: iv } = trace;
  for (let g = 0; g < gs.length; g++) {
    const a = gs.intervalStart[g]!;
    const b = gs.intervalStart[g + 1]!;
    let n = 0;
    for (let i = a; i < b; i++) if (iv.state[i] === GS_RUNNING) n++;
    if (n === 0) continue;
    const starts = new Float64Array(n);
    const ends = new Float64Array(n);
    let k = 0;
    for (let i = a; i < b; i++) {
      if (iv.state[i] !== GS_RUNNING) continue;
      starts[k] = iv.start[i]!;
      ends[k++] = i + 1 < b ? iv.start[i + 1]! : trace.durationNs;
    }
    byId.set(gs.id[g]!, { starts, ends });
  }
  return { get: (id) => byId.get(id) };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function alignDlv(trace: TraceModel, m: DlvModel, options: AlignOptions = {}): Alignment {
  const extent = dlvTimeExtent(m);
  if (extent === null || m.wallBaseNs === null) {
    return {
      method: 'none',
      startNs: null,
      offsetNs: null,
      quality:
        'no timestamps: shown in line order only (record with dlv trace --timestamp to place it in time)',
    };
  }
  const lines = { goroutine: m.lines.goroutine, timeNs: m.lines.timeNs };
  const running = options.running ?? runningIntervals(trace);
  const share = (offset: number) => {
    const c = countInside(lines, running, offset);
    return c.total > 0 ? c.inside / c.total : 0;
  };
  if (options.manualOffsetNs !== undefined) {
    const offset = options.manualOffsetNs;
    const inside = share(offset);
    return {
      method: 'manual',
      startNs: extent[0] + offset,
      offsetNs: offset,
      insideRunning: inside,
      quality: `manual offset: ${pct(inside)} of dlv lines inside their goroutine's running time`,
    };
  }
  const base = options.ignoreClockSnapshot ? null : wallToTrace(trace, m.wallBaseNs);
  if (base !== null) {
    const inside = share(base);
    return {
      method: 'clock-snapshot',
      startNs: extent[0] + base,
      offsetNs: base,
      insideRunning: inside,
      quality: `clock snapshot: ${pct(inside)} of dlv lines inside their goroutine's running time`,
    };
  }
  // The log must overlap the trace: search offsets that put some line inside [0, duration].
  const fit = bestOffset(lines, running, -extent[1], trace.durationNs - extent[0]);
  const inside = fit && fit.total > 0 ? fit.inside / fit.total : 0;
  if (!fit || inside < SAME_RUN_THRESHOLD) {
    return {
      method: 'none',
      startNs: null,
      offsetNs: null,
      insideRunning: inside,
      quality: `these files do not seem to come from the same run: at best ${pct(inside)} of dlv lines fall inside their goroutine's running time`,
    };
  }
  return {
    method: 'auto',
    startNs: extent[0] + fit.offsetNs,
    offsetNs: fit.offsetNs,
    insideRunning: inside,
    quality: `inferred: ${pct(inside)} of dlv lines inside their goroutine's running time`,
  };
}

export function alignProfile(
  trace: TraceModel,
  p: ProfileModel,
  options: AlignOptions = {},
): Alignment {
  if (options.manualOffsetNs !== undefined) {
    return {
      method: 'manual',
      startNs: options.manualOffsetNs,
      offsetNs: options.manualOffsetNs,
      quality: 'manual offset',
    };
  }
  const start =
    p.timeNanos !== 0n && !options.ignoreClockSnapshot ? wallToTrace(trace, p.timeNanos) : null;
  if (start !== null) {
    return {
      method: 'clock-snapshot',
      startNs: start,
      offsetNs: start,
      quality: "clock snapshot (the profile's time_nanos)",
    };
  }
  const cpu = trace.cpuSamples;
  if (cpu.length > 0) {
    const first = cpu.time[0]!;
    return {
      method: 'auto',
      startNs: first,
      offsetNs: first,
      quality:
        "inferred: placed on the span of the trace's own CPU samples (the profile has no usable clock)",
    };
  }
  return {
    method: 'none',
    startNs: null,
    offsetNs: null,
    quality:
      'no common clock: the trace has no clock snapshot and no CPU samples to place the profile by',
  };
}

/** Duration a profile covers (ns), 0 when unknown. */
export function profileDurationNs(p: ProfileModel): number {
  return Number(p.durationNanos);
}
