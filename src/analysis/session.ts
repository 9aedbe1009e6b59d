// The session's shared time axis, derived from the decoded files. Every timed file is placed by
// its wall clock relative to the earliest one (the execution trace will own the axis once it is
// decoded, with the alignment methods of SUMMARY.md); files without time go to a sequence view.

import type { DlvModel } from '../model/dlv';
import type { DecodedFile } from '../model/file';

export interface TimedTrack {
  fileId: string;
  /** Where this file's own t=0 sits on the session axis, in ns. */
  offsetNs: number;
}

export interface SessionAxis {
  /** Axis length in ns (0 when nothing is timed). */
  durationNs: number;
  /** Wall-clock ns of axis t=0, when known. */
  wallBaseNs: bigint | null;
  timed: TimedTrack[];
  /** Files shown on a sequence axis (dlv logs without timestamps). */
  sequential: string[];
}

export interface SessionFile {
  id: string;
  decoded: DecodedFile | null;
}

/** Extent [first, last] of a dlv log's timestamps on its own axis, or null without any. */
export function dlvExtent(m: DlvModel): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m.lineCount; i++) {
    const t = m.lines.timeNs[i] as number;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return lo <= hi ? [lo, hi] : null;
}

export function sessionAxis(files: readonly SessionFile[]): SessionAxis {
  const timed: Array<{ id: string; base: bigint; extent: [number, number] }> = [];
  const sequential: string[] = [];
  for (const f of files) {
    const d = f.decoded;
    if (!d || d.format !== 'dlv-trace') continue;
    const extent = dlvExtent(d.model);
    if (extent && d.model.wallBaseNs !== null)
      timed.push({ id: f.id, base: d.model.wallBaseNs, extent });
    else if (d.model.spanCount > 0) sequential.push(f.id);
  }
  if (timed.length === 0) return { durationNs: 0, wallBaseNs: null, timed: [], sequential };
  let start: bigint | null = null;
  for (const t of timed) {
    const s = t.base + BigInt(Math.floor(t.extent[0]));
    if (start === null || s < start) start = s;
  }
  const base = start as bigint;
  let end = 0;
  const tracks = timed.map((t) => {
    const offsetNs = Number(t.base - base);
    end = Math.max(end, offsetNs + t.extent[1]);
    return { fileId: t.id, offsetNs };
  });
  return { durationNs: Math.max(end, 1), wallBaseNs: base, timed: tracks, sequential };
}
