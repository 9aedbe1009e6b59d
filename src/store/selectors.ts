// Selectors: what the page derives from the session's state, in one place. Cheap functions of the
// store's state (work over the session's files and settings, never over a model's events) that
// name a file, a range or the params of an engine query; views, exports and the automation
// snapshot all ask through them, so they ask the same questions.

import { formatDuration } from '../base/units';
import type { FlameParams, GoroutineScope } from '../engine/flame';
import type { SearchParams } from '../engine/search';
import type { CsvParams, HighlightParams, LaneParams } from '../engine/timeline';
import type { DlvModel } from '../model/dlv';
import { goroutineOfInterval } from '../model/lookup';
import type { TraceModel } from '../model/trace';
import type { SessionFileState, SessionState, TimeRange } from './session';

type Files = Pick<SessionState, 'files'>;
type WithAxis = Pick<SessionState, 'files' | 'axis'>;

/** The file of the trace that owns the axis, if any. */
export function traceFile(s: WithAxis): SessionFileState | undefined {
  return s.axis.traceId ? s.files.find((f) => f.id === s.axis.traceId) : undefined;
}

/** The trace model (the one on this thread: for painting, hit testing and tooltips). */
export function traceModel(s: WithAxis): TraceModel | null {
  const d = traceFile(s)?.decoded;
  return d?.format === 'go-trace' ? d.model : null;
}

/** The session's dlv logs that decoded, with their models. */
export function dlvFiles(s: Files): Array<{ fileId: string; model: DlvModel }> {
  return s.files.flatMap((f) =>
    f.decoded?.format === 'dlv-trace' ? [{ fileId: f.id, model: f.decoded.model }] : [],
  );
}

/** The session's decoded files (what the engine holds), in the order they were opened. */
export function decodedFiles(s: Files): Array<{ id: string; name: string }> {
  return s.files.flatMap((f) => (f.decoded ? [{ id: f.id, name: f.name }] : []));
}

/** Whether the flame graph has anything to show: a trace, or a profile with sample types. */
export function hasFlameSources(s: Files): boolean {
  return s.files.some(
    (f) =>
      f.decoded?.format === 'go-trace' ||
      (f.decoded?.format === 'pprof' && f.decoded.model.sampleTypes.length > 0),
  );
}

/**
 * The lanes' params for the engine (filter, sort, explicit goroutines, and the search when only
 * the lanes with results are shown), or null: no trace.
 */
export function laneParams(
  s: Pick<SessionState, 'files' | 'axis' | 'lanes'> &
    Partial<Pick<SessionState, 'search' | 'selection'>>,
): LaneParams | null {
  if (!traceModel(s) || !s.axis.traceId) return null;
  const search = s.search?.onlyLanes ? searchParams(s) : null;
  return {
    trace: s.axis.traceId,
    sort: s.lanes.sort,
    filter: s.lanes.filter,
    only: s.lanes.only === null ? null : [...s.lanes.only].sort((a, b) => a - b),
    // Only when there are any: the lanes' default params stay those the engine warms up.
    ...(s.lanes.pinned.length > 0 ? { pinned: [...s.lanes.pinned] } : {}),
    ...(search ? { search } : {}),
  };
}

/**
 * The search box's query for the engine: over the trace and the dlv logs on its clock, within
 * the selection when asked; null when there is no trace or no query.
 */
export function searchParams(
  s: Pick<SessionState, 'files' | 'axis'> & Partial<Pick<SessionState, 'search' | 'selection'>>,
): SearchParams | null {
  const q = s.search;
  if (!q || !q.query.trim() || !traceModel(s) || !s.axis.traceId) return null;
  const sel = q.inSelection ? (s.selection ?? null) : null;
  return {
    trace: s.axis.traceId,
    dlv: s.axis.dlv.flatMap((d) =>
      d.offsetNs === null ? [] : [{ file: d.fileId, offsetNs: d.offsetNs }],
    ),
    text: q.query,
    range: sel ? [sel.startNs, sel.endNs] : null,
  };
}

/** Goroutine index (in the trace) of the selected interval, or -1. */
function selectedGoroutine(s: SessionState, m: TraceModel): number {
  const sel = s.selected;
  if (sel?.kind !== 'interval' || sel.fileId !== s.axis.traceId) return -1;
  return sel.interval >= 0 && sel.interval < m.intervals.length
    ? goroutineOfInterval(m, sel.interval)
    : -1;
}

/** The goroutines the flame graph's range-following sources read, from the flame settings. */
function goroutineScope(s: SessionState): { scope: GoroutineScope; label: string } {
  const m = traceModel(s);
  if (!m) return { scope: { kind: 'all' }, label: 'all goroutines' };
  switch (s.flame.scope) {
    case 'selected': {
      const sel = s.selected;
      const g = selectedGoroutine(s, m);
      if (g >= 0) return { scope: { kind: 'goroutine', g }, label: `G${m.goroutines.id[g]}` };
      // A selected dlv call: its goroutine, by Go id.
      if (sel?.kind === 'dlv') {
        const f = s.files.find((x) => x.id === sel.fileId);
        if (f?.decoded?.format === 'dlv-trace') {
          const id = f.decoded.model.spans.goroutine[sel.span]!;
          return { scope: { kind: 'ids', ids: [id] }, label: `G${id}` };
        }
      }
      return { scope: { kind: 'all' }, label: 'all goroutines' };
    }
    case 'lanes':
      return {
        scope: {
          kind: 'lanes',
          filter: s.lanes.filter,
          only: s.lanes.only === null ? null : [...s.lanes.only].sort((a, b) => a - b),
        },
        label: 'filtered goroutines',
      };
    case 'list':
      return {
        scope: { kind: 'ids', ids: [...s.flame.scopeIds] },
        label: `goroutines ${s.flame.scopeLabel}`.trim(),
      };
    default:
      return { scope: { kind: 'all' }, label: 'all goroutines' };
  }
}

/**
 * The flame graph's params for the engine: the session's files, the flame settings, the range
 * range-following sources read (the selection, else `view`), the goroutines in scope and the
 * baseline of a comparison.
 */
export function flameParams(s: SessionState, view: TimeRange | null): FlameParams {
  const range = s.selection ?? view;
  const f = s.flame;
  return {
    files: decodedFiles(s),
    settings: {
      source: f.source,
      types: f.types,
      search: f.search,
      focus: f.focus,
      ignore: f.ignore,
      hide: f.hide,
      mergeBy: f.mergeBy,
      zoom: f.zoom,
      labels: f.labels,
      split: f.split,
    },
    range: range ? { startNs: range.startNs, endNs: range.endNs } : null,
    scope: goroutineScope(s).scope,
    compare: f.compare,
  };
}

/** The params of the graph itself: the zoom is the page's (render/flameTree.ts). */
export function graphParams(p: FlameParams): FlameParams {
  return { ...p, settings: { ...p.settings, zoom: [] } };
}

/** The params of the tree without what only its view depends on (search, zoom). */
export function treeParams(p: FlameParams): FlameParams {
  return { ...p, settings: { ...p.settings, search: '', zoom: [] } };
}

/**
 * What range-following sources read, in words: "selection 120 ms · G17". `scopeCount` is the
 * engine's count of the goroutines in scope (null: all).
 */
export function flameRangeLabel(
  s: SessionState,
  view: TimeRange | null,
  scopeCount: number | null,
): string {
  const range = s.selection ?? view;
  const { scope, label } = goroutineScope(s);
  const who =
    scope.kind === 'all' || scopeCount === null
      ? 'all goroutines'
      : scope.kind === 'goroutine' || (scope.kind === 'ids' && s.flame.scope === 'selected')
        ? label
        : `${scopeCount} ${label}`;
  return range
    ? `${s.selection ? 'selection' : 'view'} ${formatDuration(range.endNs - range.startNs)} · ${who}`
    : who;
}

/** What the timeline lights up: the previewed function, else the picked one; null: none. */
export function highlightParams(s: SessionState): HighlightParams | null {
  const func = s.preview ?? s.flame.func;
  if (!func) return null;
  return {
    trace: traceModel(s) ? s.axis.traceId : null,
    dlv: dlvFiles(s).map((d) => d.fileId),
    func,
  };
}

/** The selected interval of the trace, for its "unblocked by" arrows; null when none is. */
export function unblockParams(s: SessionState): { trace: string; interval: number } | null {
  const sel = s.selected;
  if (sel?.kind !== 'interval' || !traceModel(s) || sel.fileId !== s.axis.traceId) return null;
  return { trace: sel.fileId, interval: sel.interval };
}

/** The CSV export's params: the intervals in the selection (or view) of the filtered lanes. */
export function csvParams(s: SessionState): CsvParams | null {
  const m = traceModel(s);
  if (!m || !s.axis.traceId) return null;
  const range = s.selection ?? s.view ?? { startNs: 0, endNs: m.durationNs };
  return {
    trace: s.axis.traceId,
    range: { startNs: range.startNs, endNs: range.endNs },
    filter: s.lanes.filter,
    only: s.lanes.only === null ? null : [...s.lanes.only].sort((a, b) => a - b),
  };
}

/**
 * How far the decode of a trace drawn from a preview is (worker/client.ts Preview), or null when
 * no file is shown before it is whole: views that wait for the whole trace say so.
 */
export function previewProgress(s: Pick<SessionState, 'files'>): number | null {
  const f = s.files.find((x) => x.status === 'loading' && x.decoded !== null);
  return f ? f.progress : null;
}
