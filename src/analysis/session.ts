// The session's shared time axis, derived from the decoded files. An execution trace owns the
// axis (ns since its first event, its wall clock when it has one) and every other file is placed
// on it by ./alignment.ts. Without a trace, timed dlv logs share an axis by their wall clocks.
// Logs without timestamps, and logs that do not fit the trace's run, get views of their own.

import { dlvTimeExtent, type DlvModel } from '../model/dlv';
import type { DecodedFile } from '../model/file';
import type { TraceModel } from '../model/trace';
import type { RunningIntervals } from './align';
import { alignDlv, alignProfile, runningIntervals, type Alignment } from './alignment';

export interface PlacedFile {
  fileId: string;
  /** Session-axis position of the file's own zero (dlv: its first timestamp); null: not placed. */
  offsetNs: number | null;
  /** How it was placed; null when there is no trace to align to. */
  alignment: Alignment | null;
}

export interface SessionAxis {
  /** Axis length in ns (0 when nothing is timed). */
  durationNs: number;
  /** Wall-clock ns of axis t=0, when known. */
  wallBaseNs: bigint | null;
  /** The execution trace that owns the axis (the session's clock), if any. */
  traceId: string | null;
  /** Every trace that could be the clock (see `canBeClock`), in file order: what a picker lists. */
  clockCandidates: string[];
  /** dlv logs with timestamps: placed on the axis (offset) or not (offset null). */
  dlv: PlacedFile[];
  profiles: PlacedFile[];
  /** dlv logs without timestamps: shown on a sequence axis. */
  sequential: string[];
}

export interface SessionFile {
  id: string;
  decoded: DecodedFile | null;
}

/**
 * Whether a decoded trace can be the session's clock: it holds a span of time with something in
 * it (goroutine transitions, processor runs or CPU samples). A damaged trace that decoded to its
 * header and a Sync event (0 or 1 ns long) must not become the axis: everything else would then be
 * measured against a 1 ns timeline and called "not the same run" (issue 21).
 */
export function canBeClock(m: TraceModel): boolean {
  return (
    m.durationNs > 0 &&
    (m.intervals.length > 0 || m.procIntervals.length > 0 || m.cpuSamples.length > 0)
  );
}

/**
 * The trace that owns the session axis: `preferredId` when it names a trace that can be the
 * clock, else the first such trace in file order, else none (the other files then share an axis
 * of their own, as without a trace).
 */
export function clockTrace<F extends SessionFile>(
  files: readonly F[],
  preferredId: string | null = null,
): (F & { decoded: DecodedFile & { format: 'go-trace' } }) | undefined {
  const usable = (f: F): f is F & { decoded: DecodedFile & { format: 'go-trace' } } =>
    f.decoded?.format === 'go-trace' && canBeClock(f.decoded.model);
  const preferred = preferredId === null ? undefined : files.find((f) => f.id === preferredId);
  return preferred && usable(preferred) ? preferred : files.find(usable);
}

/**
 * The axis of a session's files. `running` gives the clock trace's running intervals when the
 * caller keeps them (the engine, per file); otherwise they are computed when a dlv log needs them.
 */
export function sessionAxis(
  files: readonly SessionFile[],
  manualOffsets: Readonly<Record<string, number>> = {},
  /** The trace picked as the session's clock (null: the first that can be one). */
  clockId: string | null = null,
  running?: (trace: TraceModel) => RunningIntervals,
): SessionAxis {
  const trace = clockTrace(files, clockId);
  const clockCandidates = files
    .filter((f) => f.decoded?.format === 'go-trace' && canBeClock(f.decoded.model))
    .map((f) => f.id);
  const sequential: string[] = [];
  const dlvFiles: Array<{ id: string; m: DlvModel; extent: [number, number] }> = [];
  for (const f of files) {
    const d = f.decoded;
    if (!d || d.format !== 'dlv-trace') continue;
    const extent = dlvTimeExtent(d.model);
    if (extent && d.model.wallBaseNs !== null) dlvFiles.push({ id: f.id, m: d.model, extent });
    else if (d.model.spanCount > 0) sequential.push(f.id);
  }

  if (trace) {
    const t = trace.decoded.model;
    let run: RunningIntervals | undefined;
    const dlv = dlvFiles.map(({ id, m }) => {
      run ??= running ? running(t) : runningIntervals(t);
      const a = alignDlv(t, m, { manualOffsetNs: manualOffsets[id], running: run });
      return { fileId: id, offsetNs: a.offsetNs, alignment: a };
    });
    const profiles: PlacedFile[] = [];
    for (const f of files) {
      if (f.decoded?.format !== 'pprof') continue;
      const a = alignProfile(t, f.decoded.model, { manualOffsetNs: manualOffsets[f.id] });
      profiles.push({ fileId: f.id, offsetNs: a.offsetNs, alignment: a });
    }
    return {
      durationNs: Math.max(t.durationNs, 1),
      wallBaseNs: t.wallClockStartNs,
      traceId: trace.id,
      clockCandidates,
      dlv,
      profiles,
      sequential,
    };
  }

  // No trace: timed logs share an axis by their wall clocks, from the earliest line.
  if (dlvFiles.length === 0) {
    return {
      durationNs: 0,
      wallBaseNs: null,
      traceId: null,
      clockCandidates,
      dlv: [],
      profiles: [],
      sequential,
    };
  }
  let start: bigint | null = null;
  for (const d of dlvFiles) {
    const s = (d.m.wallBaseNs as bigint) + BigInt(Math.floor(d.extent[0]));
    if (start === null || s < start) start = s;
  }
  const base = start as bigint;
  let end = 0;
  const dlv = dlvFiles.map((d) => {
    const offsetNs = Number((d.m.wallBaseNs as bigint) - base) + (manualOffsets[d.id] ?? 0);
    end = Math.max(end, offsetNs + d.extent[1]);
    return { fileId: d.id, offsetNs, alignment: null };
  });
  return {
    durationNs: Math.max(end, 1),
    wallBaseNs: base,
    traceId: null,
    clockCandidates,
    dlv,
    profiles: [],
    sequential,
  };
}
