// The timeline rows of the current session, memoized on the store's state objects, for the page
// and the automation snapshot alike.

import {
  buildRows,
  type DlvInput,
  type ProfileInput,
  type RowLayout,
  type TraceInput,
} from '../analysis/timelineRows';
import { profileDurationNs } from '../analysis/alignment';
import { dlvTimeExtent } from '../model/dlv';
import type { SessionState } from '../store/session';

export interface SessionRows {
  main: RowLayout;
  /** dlv logs with timestamps that are not on the trace's clock: each its own layout. */
  apart: Array<{ fileId: string; name: string; quality: string; layout: RowLayout; limit: number }>;
  /** dlv logs without timestamps: sequence layouts. */
  sequential: Array<{ fileId: string; name: string; layout: RowLayout; limit: number }>;
}

let last: { files: unknown; axis: unknown; lanes: unknown; rows: SessionRows } | null = null;

export function sessionRows(s: Pick<SessionState, 'files' | 'axis' | 'lanes'>): SessionRows {
  if (last && last.files === s.files && last.axis === s.axis && last.lanes === s.lanes)
    return last.rows;
  const byId = new Map(s.files.map((f) => [f.id, f]));
  const t = s.axis.traceId ? byId.get(s.axis.traceId) : undefined;
  const trace: TraceInput | null =
    t?.decoded?.format === 'go-trace'
      ? { fileId: t.id, name: t.name, model: t.decoded.model }
      : null;
  const dlv: DlvInput[] = [];
  const apart: SessionRows['apart'] = [];
  for (const p of s.axis.dlv) {
    const f = byId.get(p.fileId);
    if (f?.decoded?.format !== 'dlv-trace') continue;
    const input: DlvInput = {
      fileId: f.id,
      name: f.name,
      model: f.decoded.model,
      offset: p.offsetNs,
      quality: p.alignment?.quality ?? 'placed by its wall clock',
    };
    if (trace && p.offsetNs === null) {
      const layout = buildRows(null, [{ ...input, offset: 0 }], [], s.lanes);
      const end = dlvTimeExtent(f.decoded.model)?.[1] ?? 1;
      apart.push({
        fileId: f.id,
        name: f.name,
        quality: input.quality,
        layout,
        limit: Math.max(1, end),
      });
    } else dlv.push(input);
  }
  const profiles: ProfileInput[] = [];
  for (const p of s.axis.profiles) {
    const f = byId.get(p.fileId);
    if (f?.decoded?.format !== 'pprof') continue;
    profiles.push({
      fileId: f.id,
      name: f.name,
      startNs: p.alignment?.startNs ?? null,
      durationNs: profileDurationNs(f.decoded.model),
      quality: p.alignment?.quality ?? '',
    });
  }
  const sequential = s.axis.sequential.flatMap((id) => {
    const f = byId.get(id);
    if (f?.decoded?.format !== 'dlv-trace') return [];
    const layout = buildRows(
      null,
      [{ fileId: f.id, name: f.name, model: f.decoded.model, offset: 0, quality: '', mode: 'seq' }],
      [],
      s.lanes,
    );
    return [{ fileId: f.id, name: f.name, layout, limit: Math.max(1, f.decoded.model.lineCount) }];
  });
  const rows: SessionRows = { main: buildRows(trace, dlv, profiles, s.lanes), apart, sequential };
  last = { files: s.files, axis: s.axis, lanes: s.lanes, rows };
  return rows;
}
