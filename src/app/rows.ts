// The timeline rows of the current session: the engine's answers (the trace's painting data, its
// goroutine lanes, dlv lane layouts) laid out as rows (render/rowLayout.ts), for the page
// (useSessionRows) and the automation snapshot (fetchSessionRows) alike.

import { useMemo, useRef } from 'react';
import type { DecodedFile } from '../model/file';
import type { TraceModel } from '../model/trace';
import { sameInterval } from '../model/lookup';
import { stableJson } from '../base/json';
import { useStore } from 'zustand';
import type { DlvLayout } from '../analysis/dlvLanes';
import type { EngineApi } from '../engine/api';
import type { DlvLayoutParams, LaneLayout, TraceView } from '../engine/timeline';
import type { QueryResult } from '../engine/api';
import { dlvTimeExtent } from '../model/dlv';
import { useEngineQuery } from '../components/engine';
import {
  buildRows,
  type DlvRowsInput,
  type ProfileRowsInput,
  type RowLayout,
  type TraceRowsInput,
} from '../render/rowLayout';
import { laneParams, traceFile } from '../store/selectors';
import type { Selection, SessionState, SessionStore } from '../store/session';

export interface SessionRows {
  /** The trace's rows and what is placed on its clock; null while the engine's answers are due. */
  main: RowLayout | null;
  /** dlv logs with timestamps that are not on the trace's clock: each its own layout. */
  apart: Array<{ fileId: string; name: string; quality: string; layout: RowLayout; limit: number }>;
  /** dlv logs without timestamps: sequence layouts. */
  sequential: Array<{ fileId: string; name: string; layout: RowLayout; limit: number }>;
  /** Some answer the rows need has not arrived yet. */
  pending: boolean;
  /**
   * The rows are of an older model of the trace (a preview) than the page holds, until the engine
   * answers for the new one: intervals picked on them are that model's (see `onHeldModel`).
   */
  held?: boolean;
}

/**
 * The trace model and view `layout`'s rows are drawn from (an older preview's while the rows are
 * held, SessionRows.held), or null when no row shows them.
 */
export function drawnTrace(layout: RowLayout): { trace: TraceModel; view: TraceView } | null {
  for (const r of layout.rows) {
    if (r.kind === 'goroutine' || r.kind === 'counts' || r.kind === 'tasks')
      return { trace: r.trace, view: r.view };
  }
  return null;
}

/**
 * A selection made on `layout`'s rows, for the model the page holds now: the same interval of the
 * newer model when the rows are held on an older preview of the trace (SessionRows.held).
 */
export function onHeldModel(
  sel: Selection | null,
  layout: RowLayout | null,
  files: ReadonlyArray<{ id: string; decoded: DecodedFile | null }>,
): Selection | null {
  if (sel?.kind !== 'interval' || !layout) return sel;
  const drawn = drawnTrace(layout)?.trace;
  const d = files.find((f) => f.id === sel.fileId)?.decoded;
  if (!drawn || d?.format !== 'go-trace' || d.model === drawn) return sel;
  const i = sameInterval(drawn, d.model, sel.interval);
  return i === null ? null : { ...sel, interval: i };
}

type RowState = Pick<SessionState, 'files' | 'axis' | 'lanes'> &
  Partial<Pick<SessionState, 'search' | 'selection'>>;

/** What the rows ask the engine for. */
export function rowQueries(s: RowState): {
  traceView: { trace: string } | null;
  lanes: ReturnType<typeof laneParams>;
  dlv: DlvLayoutParams;
} {
  const lanes = laneParams(s);
  const logs: DlvLayoutParams['logs'] = [];
  for (const p of s.axis.dlv) logs.push({ file: p.fileId, mode: 'time' });
  for (const id of s.axis.sequential) logs.push({ file: id, mode: 'seq' });
  return { traceView: lanes ? { trace: lanes.trace } : null, lanes, dlv: { logs } };
}

export interface RowAnswers {
  traceView: TraceView | null;
  lanes: LaneLayout | null;
  /**
   * The lanes were asked for a list of goroutines (a highlight's): groups then open by default.
   * From the params `lanes` answers, not the current settings, so a new list does not open every
   * group of the previous answer while the new one is computed.
   */
  restricted: boolean;
  /** The groups' activity for the same lane params (null: not yet; rows are drawn without). */
  laneActivity: QueryResult<'laneActivity'> | null;
  dlv: Record<string, DlvLayout> | null;
}

/** The session's rows from the engine's answers (for the current trace and files). */
export function sessionRows(s: RowState, a: RowAnswers): SessionRows {
  const byId = new Map(s.files.map((f) => [f.id, f]));
  const t = traceFile(s);
  let pending = false;
  const layoutOf = (file: string, mode: 'time' | 'seq'): DlvLayout | null => {
    const l = a.dlv?.[`${file}:${mode}`] ?? null;
    if (!l) pending = true;
    return l;
  };
  let trace: TraceRowsInput | null = null;
  let traceMissing = false;
  if (t?.decoded?.format === 'go-trace') {
    if (a.traceView && a.lanes)
      trace = {
        fileId: t.id,
        name: t.name,
        model: t.decoded.model,
        view: a.traceView,
        lanes: a.lanes,
        activity: a.laneActivity,
      };
    else traceMissing = true;
  }
  const settings = { collapsed: s.lanes.collapsed, restricted: a.restricted };
  const dlv: DlvRowsInput[] = [];
  const apart: SessionRows['apart'] = [];
  for (const p of s.axis.dlv) {
    const f = byId.get(p.fileId);
    if (f?.decoded?.format !== 'dlv-trace') continue;
    const layout = layoutOf(f.id, 'time');
    if (!layout) continue;
    const input: DlvRowsInput = {
      fileId: f.id,
      name: f.name,
      model: f.decoded.model,
      layout,
      offset: p.offsetNs,
      quality: p.alignment?.quality ?? 'placed by its wall clock',
    };
    if (t && p.offsetNs === null) {
      const end = dlvTimeExtent(f.decoded.model)?.[1] ?? 1;
      apart.push({
        fileId: f.id,
        name: f.name,
        quality: input.quality,
        layout: buildRows(null, [{ ...input, offset: 0 }], [], settings),
        limit: Math.max(1, end),
      });
    } else dlv.push(input);
  }
  const profiles: ProfileRowsInput[] = [];
  for (const p of s.axis.profiles) {
    const f = byId.get(p.fileId);
    if (f?.decoded?.format !== 'pprof') continue;
    profiles.push({
      fileId: f.id,
      name: f.name,
      startNs: p.alignment?.startNs ?? null,
      durationNs: Number(f.decoded.model.durationNanos),
      quality: p.alignment?.quality ?? '',
    });
  }
  const sequential = s.axis.sequential.flatMap((id) => {
    const f = byId.get(id);
    if (f?.decoded?.format !== 'dlv-trace') return [];
    const layout = layoutOf(f.id, 'seq');
    if (!layout) return [];
    const rows = buildRows(
      null,
      [
        {
          fileId: f.id,
          name: f.name,
          model: f.decoded.model,
          layout,
          offset: 0,
          quality: '',
          mode: 'seq',
        },
      ],
      [],
      settings,
    );
    return [
      { fileId: f.id, name: f.name, layout: rows, limit: Math.max(1, f.decoded.model.lineCount) },
    ];
  });
  return {
    main: traceMissing ? null : buildRows(trace, dlv, profiles, settings),
    apart,
    sequential,
    pending: pending || traceMissing,
  };
}

/** The session's rows for the page: asks the engine, keeps the last answers while new ones come. */
export function useSessionRows(store: SessionStore): SessionRows {
  const files = useStore(store, (x) => x.files);
  const axis = useStore(store, (x) => x.axis);
  const lanes = useStore(store, (x) => x.lanes);
  // The search filters lanes only with "only lanes with results" (and the selection only when
  // its results are kept to it): the shell does not re-render while a selection is dragged.
  const search = useStore(store, (x) => (x.search.onlyLanes ? x.search : null));
  const selection = useStore(store, (x) =>
    x.search.onlyLanes && x.search.inSelection ? x.selection : null,
  );
  const q = rowQueries({
    files,
    axis,
    lanes,
    ...(search ? { search } : {}),
    ...(selection ? { selection } : {}),
  });
  const tv = useEngineQuery('traceView', q.traceView);
  const ln = useEngineQuery('lanes', q.lanes);
  const la = useEngineQuery('laneActivity', q.lanes);
  const dl = useEngineQuery('dlvLayouts', q.dlv.logs.length > 0 ? q.dlv : null);
  // Answers about another trace (a previous session) are not used.
  const traceView = tv.params?.trace === axis.traceId ? tv.data : null;
  const laneData = ln.params?.trace === axis.traceId ? ln.data : null;
  // Activities line up with the groups of the same params (and models) only.
  const activity =
    la.data && la.fresh === ln.fresh && stableJson(la.params) === stableJson(ln.params)
      ? la.data
      : null;
  const now = {
    files,
    traceView,
    laneData,
    lanesParams: ln.params,
    activity,
  };
  // A trace still decoding was revised (worker/client.ts Preview): its view and lanes are of the
  // model before until the engine answers for the new one, and a view is indexed by interval, so
  // the rows stay those of the files the answers were computed from (and the page is not ready).
  const fresh = (traceView === null && laneData === null) || (tv.fresh && ln.fresh);
  const held = useRef(now);
  if (fresh) held.current = now;
  const shown = fresh ? now : held.current;
  const dlvData = dl.data;
  const rows = useMemo(
    () =>
      sessionRows(
        { files: shown.files, axis, lanes },
        {
          traceView: shown.traceView,
          lanes: shown.laneData,
          restricted:
            (shown.lanesParams?.only ?? null) !== null || shown.lanesParams?.search !== undefined,
          laneActivity: shown.activity,
          dlv: dlvData,
        },
      ),
    [
      shown.files,
      axis,
      lanes,
      shown.traceView,
      shown.laneData,
      shown.lanesParams,
      shown.activity,
      dlvData,
    ],
  );
  return fresh ? rows : { ...rows, pending: true, held: true };
}

/** The session's rows as the page shows them once the engine has answered (for the snapshot). */
export async function fetchSessionRows(
  store: SessionStore,
  engine: EngineApi,
): Promise<SessionRows> {
  const s = store.getState();
  const q = rowQueries(s);
  const [traceView, lanes, laneActivity, dlv] = await Promise.all([
    q.traceView ? engine.query('traceView', q.traceView) : null,
    q.lanes ? engine.query('lanes', q.lanes) : null,
    q.lanes ? engine.query('laneActivity', q.lanes) : null,
    q.dlv.logs.length > 0 ? engine.query('dlvLayouts', q.dlv) : {},
  ]);
  return sessionRows(s, {
    traceView,
    lanes,
    restricted: s.lanes.only !== null || q.lanes?.search !== undefined,
    laneActivity,
    dlv,
  });
}
