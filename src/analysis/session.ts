// The session's shared time axis, derived from the decoded files. An execution trace owns the
// axis (ns since its first event, its wall clock when it has one) and every other file is placed
// on it by ./alignment.ts. Without a trace, timed dlv logs share an axis by their wall clocks.
// Logs without timestamps, and logs that do not fit the trace's run, get views of their own.

import { dlvTimeExtent, type DlvModel } from '../model/dlv';
import type { DecodedFile } from '../model/file';
import { alignDlv, alignProfile, type Alignment } from './alignment';

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
  /** The execution trace that owns the axis, if any. */
  traceId: string | null;
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

export function sessionAxis(
  files: readonly SessionFile[],
  manualOffsets: Readonly<Record<string, number>> = {},
): SessionAxis {
  const trace = files.find((f) => f.decoded?.format === 'go-trace');
  const sequential: string[] = [];
  const dlvFiles: Array<{ id: string; m: DlvModel; extent: [number, number] }> = [];
  for (const f of files) {
    const d = f.decoded;
    if (!d || d.format !== 'dlv-trace') continue;
    const extent = dlvTimeExtent(d.model);
    if (extent && d.model.wallBaseNs !== null) dlvFiles.push({ id: f.id, m: d.model, extent });
    else if (d.model.spanCount > 0) sequential.push(f.id);
  }

  if (trace && trace.decoded?.format === 'go-trace') {
    const t = trace.decoded.model;
    const dlv = dlvFiles.map(({ id, m }) => {
      const a = alignDlv(t, m, { manualOffsetNs: manualOffsets[id] });
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
      dlv,
      profiles,
      sequential,
    };
  }

  // No trace: timed logs share an axis by their wall clocks, from the earliest line.
  if (dlvFiles.length === 0) {
    return { durationNs: 0, wallBaseNs: null, traceId: null, dlv: [], profiles: [], sequential };
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
    dlv,
    profiles: [],
    sequential,
  };
}
