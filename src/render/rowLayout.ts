// The rows of the unified timeline, top to bottom: the session's non-trace files (with how they
// are aligned), the trace's global tracks (GC and stop-the-world, goroutine counts, heap, tasks),
// processor lanes, and goroutine lanes grouped by start function, each followed by the dlv calls
// of that goroutine. A pure function of what the engine answered (the lane groups in order, the
// trace's painting data, dlv lane layouts) and of the collapsed groups: work over the rows, not
// over the trace's intervals. The painters draw only the rows inside the viewport (binary search
// on `y`).

import { upperBound } from '../base/search';
import type { DlvLane, DlvLayout } from '../analysis/dlvLanes';
import type { Activity } from '../analysis/traceLanes';
import type { LaneLayout, TraceView } from '../engine/timeline';
import type { DlvModel } from '../model/dlv';
import type { MetricSeries, TraceModel } from '../model/trace';

export interface TraceRowsInput {
  fileId: string;
  name: string;
  model: TraceModel;
  /** The engine's painting data for the trace (interval classes, regions, tasks, activity). */
  view: TraceView;
  /** The engine's goroutine lanes (groups, members kept and ordered by the lane settings). */
  lanes: LaneLayout;
  /** Each group's activity, in the order of `lanes.groups` (null until the engine sends it). */
  activity: ReadonlyArray<{ activity: Activity; peak: number } | null> | null;
}

export interface DlvRowsInput {
  fileId: string;
  name: string;
  model: DlvModel;
  /** The log's lanes in the mode it is shown in (time, or line order for 'seq'). */
  layout: DlvLayout;
  /** Session-axis position of the log's own zero; null when it is not on the trace's clock. */
  offset: number | null;
  /** How it is aligned, for the file row. */
  quality: string;
  /** 'seq' lays calls out in line order (logs without timestamps). */
  mode?: 'time' | 'seq';
}

export interface ProfileRowsInput {
  fileId: string;
  name: string;
  /** Window on the session axis, or null when it could not be placed. */
  startNs: number | null;
  durationNs: number;
  quality: string;
}

export interface RowSettings {
  /** Group keys the user collapsed (true) or expanded (false); others follow the default. */
  collapsed: Readonly<Record<string, boolean>>;
  /** Lanes are restricted to a list of goroutines (a highlight's): groups open by default. */
  restricted: boolean;
}

interface RowBase {
  key: string;
  y: number;
  h: number;
  label: string;
  sub: string;
}

export type Row =
  | (RowBase & { kind: 'section' })
  | (RowBase & { kind: 'file'; fileId: string })
  | (RowBase & { kind: 'profile'; fileId: string; startNs: number | null; durationNs: number })
  | (RowBase & { kind: 'gc'; trace: TraceModel })
  | (RowBase & { kind: 'counts'; trace: TraceModel; view: TraceView })
  | (RowBase & {
      kind: 'metric';
      trace: TraceModel;
      series: MetricSeries;
      unit: string;
      line?: MetricSeries;
      /** The largest value of the series and the line: the track's scale (the whole trace's). */
      max: number;
    })
  | (RowBase & { kind: 'tasks'; trace: TraceModel; view: TraceView })
  | (RowBase & { kind: 'proc'; trace: TraceModel; p: number })
  | (RowBase & {
      kind: 'group';
      trace: TraceModel;
      groupKey: string;
      goroutines: Int32Array;
      collapsed: boolean;
      /** The members' activity (collapsed rows draw it), and its peak. */
      activity: Activity | null;
      peak: number;
    })
  | (RowBase & { kind: 'goroutine'; trace: TraceModel; view: TraceView; g: number })
  | (RowBase & { kind: 'dlv'; fileId: string; model: DlvModel; lane: DlvLane; offset: number });

type WithoutY<T> = T extends unknown ? Omit<T, 'y'> : never;

export const ROW_H = {
  section: 22,
  file: 20,
  profile: 18,
  gc: 18,
  metric: 30,
  taskLevel: 14,
  proc: 18,
  group: 22,
  goroutine: 16,
  dlvDepth: 14,
} as const;

/** The group key of the trace's tracks (GC, counts, heap, tasks): folding it leaves the lanes. */
export const TRACKS_KEY = 't:tracks';

/** Task rows shown (deeper overlaps are left out of the track; every task stays in the data). */
export const MAX_TASK_LEVELS = 4;

export interface RowLayout {
  rows: Row[];
  /** `rows[i].y`, for binary search. */
  y: Float64Array;
  height: number;
  /** Goroutine lanes that exist (not only visible ones) and processor lanes. */
  goroutineLanes: number;
  procLanes: number;
  /** File id of the trace the goroutine and proc rows belong to. */
  traceFileId: string | null;
  /**
   * Goroutines (indexes) drawn as pinned lanes above the others: pinned by a jump and hidden
   * otherwise (filtered out, or in a collapsed group).
   */
  pinned: number[];
  /**
   * Row of a goroutine (index) of the trace: its lane, its group's row when the group is
   * collapsed, or -1 when the filter hides it. (A table over every goroutine, made on first use:
   * only the "unblocked by" arrows need it.)
   */
  rowOfGoroutine(g: number): number;
}

/** Heap and GOMAXPROCS series worth a plot row, with their units. */
const METRICS: Array<[RegExp, string, string]> = [
  [/^\/memory\/classes\/heap\/objects:bytes$/, 'heap live', 'bytes'],
  [/^\/gc\/heap\/goal:bytes$/, 'heap goal', 'bytes'],
  [/^\/sched\/gomaxprocs:threads$/, 'GOMAXPROCS', 'count'],
];

/** A group collapses by default when it has more members than this (and no dlv calls). */
const COLLAPSE_ABOVE = 12;

export function buildRows(
  trace: TraceRowsInput | null,
  dlv: readonly DlvRowsInput[],
  profiles: readonly ProfileRowsInput[],
  settings: RowSettings,
): RowLayout {
  const rows: Row[] = [];
  let y = 0;
  const add = (r: WithoutY<Row>): void => {
    rows.push({ ...r, y } as Row);
    y += r.h;
  };
  let goroutineLanes = 0;
  let procLanes = 0;
  const pinned: number[] = [];

  // Non-trace files: what they are and how they sit on the axis (a group: collapsed when long).
  const fileCount = dlv.length + profiles.length;
  const filesKey = 'files';
  const filesCollapsed = settings.collapsed[filesKey] ?? fileCount > 3;
  if (trace && fileCount > 0) {
    add({
      kind: 'group',
      key: filesKey,
      h: ROW_H.group,
      label: 'Files on this clock',
      sub: `${fileCount}`,
      trace: trace.model,
      groupKey: filesKey,
      goroutines: new Int32Array(0),
      collapsed: filesCollapsed,
      activity: null,
      peak: 0,
    });
  }
  if (trace && fileCount > 0 && !filesCollapsed) {
    for (const p of profiles) {
      add({
        kind: 'profile',
        key: `p:${p.fileId}`,
        h: ROW_H.profile,
        label: p.name,
        sub: p.quality,
        fileId: p.fileId,
        startNs: p.startNs,
        durationNs: p.durationNs,
      });
    }
    for (const d of dlv) {
      add({
        kind: 'file',
        key: `f:${d.fileId}`,
        h: ROW_H.file,
        label: d.name,
        sub: d.quality,
        fileId: d.fileId,
      });
    }
  }

  // dlv lanes by goroutine id, to sit under the trace's goroutine lanes.
  const dlvByGoroutine = new Map<number, Array<{ d: DlvRowsInput; lane: DlvLane }>>();
  const unplaced: DlvRowsInput[] = [];
  for (const d of dlv) {
    if (!trace || d.offset === null) {
      unplaced.push(d);
      continue;
    }
    for (const lane of d.layout.lanes) {
      const list = dlvByGoroutine.get(lane.goroutine);
      if (list) list.push({ d, lane });
      else dlvByGoroutine.set(lane.goroutine, [{ d, lane }]);
    }
  }

  if (trace) {
    const m = trace.model;
    // The trace's tracks (GC, goroutine counts, heap, tasks) under one header that folds them
    // away, to leave the height to the lanes (issue 20); open unless the user folded it.
    const tracksKey = TRACKS_KEY;
    const tracksCollapsed = settings.collapsed[tracksKey] ?? false;
    add({
      kind: 'group',
      key: tracksKey,
      h: ROW_H.group,
      label: trace.name,
      sub: `go ${m.version} trace`,
      trace: m,
      groupKey: tracksKey,
      goroutines: new Int32Array(0),
      collapsed: tracksCollapsed,
      activity: null,
      peak: 0,
    });
  }
  if (trace && !settings.collapsed[TRACKS_KEY]) {
    const m = trace.model;
    const { view } = trace;
    add({ kind: 'gc', key: 't:gc', h: ROW_H.gc, label: 'GC / STW', sub: '', trace: m });
    add({
      kind: 'counts',
      key: 't:counts',
      h: ROW_H.metric,
      label: 'Goroutines',
      sub: 'running · runnable · waiting',
      trace: m,
      view,
    });
    // Heap: live heap as an area with the GC's goal as a line over it; other series on their own.
    const live = m.metrics.find((x) => /^\/memory\/classes\/heap\/objects:bytes$/.test(x.name));
    const goal = m.metrics.find((x) => /^\/gc\/heap\/goal:bytes$/.test(x.name));
    for (const series of m.metrics) {
      const spec = METRICS.find(([re]) => re.test(series.name));
      if (!spec || series.time.length === 0 || isConstant(series)) continue;
      if (series === goal && live && live.time.length > 0) continue;
      const withGoal = series === live && goal && goal.time.length > 0 ? goal : undefined;
      add({
        kind: 'metric',
        key: `t:m:${series.name}`,
        h: ROW_H.metric,
        label: withGoal ? 'heap' : spec[1],
        sub: withGoal ? 'live · goal' : '',
        trace: m,
        series,
        unit: spec[2],
        ...(withGoal ? { line: withGoal } : {}),
        max: Math.max(seriesMax(series), withGoal ? seriesMax(withGoal) : 0),
      });
    }
    if (m.tasks.length > 0) {
      add({
        kind: 'tasks',
        key: 't:tasks',
        h: Math.max(1, Math.min(view.tasks.levels, MAX_TASK_LEVELS)) * ROW_H.taskLevel + 4,
        label: 'Tasks',
        sub: `${m.tasks.length}`,
        trace: m,
        view,
      });
    }
  }
  if (trace) {
    const m = trace.model;
    const { view } = trace;
    // Processors.
    const procKey = 't:procs';
    const procsCollapsed = settings.collapsed[procKey] ?? m.procs.length > 16;
    add({
      kind: 'group',
      key: procKey,
      h: ROW_H.group,
      label: 'Processors',
      sub: `${m.procs.length}`,
      trace: m,
      groupKey: procKey,
      goroutines: new Int32Array(0),
      collapsed: procsCollapsed,
      activity: null,
      peak: 0,
    });
    procLanes = m.procs.length;
    if (!procsCollapsed) {
      // In P id order (the model keeps Ps in the order the trace first named them).
      const byId = Array.from({ length: m.procs.length }, (_, p) => p).sort(
        (a, b) => m.procs.id[a]! - m.procs.id[b]!,
      );
      for (const p of byId) {
        add({
          kind: 'proc',
          key: `t:p${p}`,
          h: ROW_H.proc,
          label: `P${m.procs.id[p]}`,
          sub: '',
          trace: m,
          p,
        });
      }
    }

    // Goroutines, grouped by start function, in the order the engine gave.
    goroutineLanes = trace.lanes.goroutineLanes;
    const groupCollapsed = trace.lanes.groups.map((group) => {
      const members = group.members;
      let hasDlv = false;
      if (dlvByGoroutine.size > 0)
        for (let k = 0; k < members.length && !hasDlv; k++)
          hasDlv = dlvByGoroutine.has(m.goroutines.id[members[k]!]!);
      return (
        settings.collapsed[`t:g:${group.name}`] ??
        (members.length > COLLAPSE_ABOVE && !hasDlv && !settings.restricted)
      );
    });
    const lane = (g: number, key: string, sub: string): void => {
      const id = m.goroutines.id[g]!;
      add({ kind: 'goroutine', key, h: ROW_H.goroutine, label: `G${id}`, sub, trace: m, view, g });
      // The goroutine's dlv calls directly under its lane, without a label of their own (the
      // lane's label says whose they are; the tooltip names the file).
      for (const { d, lane } of dlvByGoroutine.get(id) ?? []) {
        add({
          kind: 'dlv',
          key: `d:${d.fileId}:${id}${key.startsWith('t:pin:') ? ':pin' : ''}`,
          h: (lane.maxDepth + 1) * ROW_H.dlvDepth + 2,
          label: '',
          sub: d.name,
          fileId: d.fileId,
          model: d.model,
          lane,
          offset: d.offset as number,
        });
      }
    };
    // Pinned lanes (a jump's targets) that the settings hide, above the others.
    const pins = trace.lanes.pinned ?? [];
    if (pins.length > 0) {
      const shown = new Set<number>();
      trace.lanes.groups.forEach((group, k) => {
        if (!groupCollapsed[k]) for (const g of group.members) shown.add(g);
      });
      for (const g of pins) {
        if (shown.has(g) || pinned.includes(g)) continue;
        pinned.push(g);
        const sf = m.goroutines.startFunc[g]!;
        lane(g, `t:pin:G${m.goroutines.id[g]}`, `pinned · ${sf >= 0 ? (m.strings[sf] ?? '') : ''}`);
      }
    }
    trace.lanes.groups.forEach((group, k) => {
      const members = group.members;
      if (members.length === 0) return;
      const groupKey = `t:g:${group.name}`;
      const collapsed = groupCollapsed[k]!;
      add({
        kind: 'group',
        key: groupKey,
        h: ROW_H.group,
        label: group.name,
        sub: `×${members.length}`,
        trace: m,
        groupKey,
        goroutines: members,
        collapsed,
        activity: trace.activity?.[k]?.activity ?? null,
        peak: trace.activity?.[k]?.peak ?? 0,
      });
      if (collapsed) return;
      for (let j = 0; j < members.length; j++) {
        const g = members[j]!;
        lane(g, `t:G${m.goroutines.id[g]!}`, group.name);
      }
    });
    // dlv goroutines the trace never saw.
    const seen = new Set<number>();
    if (dlvByGoroutine.size > 0)
      for (let g = 0; g < m.goroutines.length; g++) seen.add(m.goroutines.id[g]!);
    for (const [id, list] of dlvByGoroutine) {
      if (seen.has(id)) continue;
      for (const { d, lane } of list) {
        add({
          kind: 'dlv',
          key: `d:${d.fileId}:${id}`,
          h: (lane.maxDepth + 1) * ROW_H.dlvDepth + 4,
          label: `G${id}`,
          sub: `${d.name} (not in the trace)`,
          fileId: d.fileId,
          model: d.model,
          lane,
          offset: d.offset as number,
        });
      }
    }
  }

  // dlv logs that are not on the trace's clock (or with no trace): their own lanes.
  for (const d of unplaced) {
    if (trace) continue; // shown in their own panel, not forced onto the trace
    add({
      kind: 'section',
      key: `d:${d.fileId}`,
      h: ROW_H.section,
      label: d.name,
      sub: `${d.layout.lanes.length} goroutines · ${d.model.spanCount} calls`,
    });
    for (const lane of d.layout.lanes) {
      add({
        kind: 'dlv',
        key: `d:${d.fileId}:${lane.goroutine}`,
        h: (lane.maxDepth + 1) * ROW_H.dlvDepth + 4,
        label: `G${lane.goroutine}`,
        sub: firstFunc(d.model, lane),
        fileId: d.fileId,
        model: d.model,
        lane,
        offset: d.offset ?? 0,
      });
    }
  }

  const ys = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) ys[i] = rows[i]!.y;
  let rowOf: Int32Array | null = null;
  return {
    rows,
    y: ys,
    height: y,
    goroutineLanes,
    procLanes,
    traceFileId: trace?.fileId ?? null,
    pinned,
    rowOfGoroutine(g) {
      if (rowOf === null) {
        rowOf = new Int32Array(trace ? trace.model.goroutines.length : 0).fill(-1);
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i]!;
          if (r.kind === 'goroutine') rowOf[r.g] = i;
          else if (r.kind === 'group' && r.collapsed)
            // A pinned lane (above its group) keeps its own row.
            for (let j = 0; j < r.goroutines.length; j++)
              if (rowOf[r.goroutines[j]!] === -1) rowOf[r.goroutines[j]!] = i;
        }
      }
      return rowOf[g] ?? -1;
    },
  };
}

/** Index of the row at content height `cy`, or -1. */
export function rowAt(layout: RowLayout, cy: number): number {
  const i = upperBound(layout.y, cy) - 1;
  if (i < 0) return -1;
  const r = layout.rows[i]!;
  return cy < r.y + r.h ? i : -1;
}

/** A series that never changes (GOMAXPROCS, usually) is not worth a plot. */
function isConstant(s: MetricSeries): boolean {
  for (let i = 1; i < s.value.length; i++) if (s.value[i] !== s.value[0]) return false;
  return true;
}

function firstFunc(m: DlvModel, lane: DlvLane): string {
  const i = lane.spans[0];
  return i === undefined ? '' : (m.strings[m.spans.func[i]!] ?? '');
}

/** The largest value of a series (0 when none is positive). */
function seriesMax(s: { value: Float64Array }): number {
  let max = 0;
  for (let i = 0; i < s.value.length; i++) if (s.value[i]! > max) max = s.value[i]!;
  return max;
}
