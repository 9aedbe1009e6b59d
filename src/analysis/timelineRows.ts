// The rows of the unified timeline, top to bottom: the session's non-trace files (with how they
// are aligned), the trace's global tracks (GC and stop-the-world, heap, tasks), processor lanes,
// and goroutine lanes grouped by start function, each followed by the dlv calls of that goroutine.
// A pure function of the decoded files and the lane settings (grouping, sort, filter, collapsed
// groups); the renderer draws only the rows inside the viewport (binary search on `y`).

import type { DlvModel } from '../model/dlv';
import type { MetricSeries, TraceModel } from '../model/trace';
import { compileUserPattern } from '../base/pattern';
import { upperBound } from '../base/search';
import { getDlvLayout, type DlvLane } from './dlvLanes';
import { goroutineGroups, goroutineStats } from './traceLanes';

export type LaneSort = 'id' | 'start' | 'running' | 'blocked';

export interface LaneSettings {
  sort: LaneSort;
  /** Case-insensitive substring (or /regex/) on start function names and goroutine ids. */
  filter: string;
  /** Group keys the user collapsed (true) or expanded (false); others follow the default. */
  collapsed: Record<string, boolean>;
  /** Restrict goroutine lanes to these goroutine ids (from a highlight), or null. */
  only: ReadonlySet<number> | null;
}

export const DEFAULT_LANES: LaneSettings = { sort: 'id', filter: '', collapsed: {}, only: null };

export interface TraceInput {
  fileId: string;
  name: string;
  model: TraceModel;
}

export interface DlvInput {
  fileId: string;
  name: string;
  model: DlvModel;
  /** Session-axis position of the log's own zero; null when it is not on the trace's clock. */
  offset: number | null;
  /** How it is aligned, for the file row. */
  quality: string;
  /** 'seq' lays calls out in line order (logs without timestamps). */
  mode?: 'time' | 'seq';
}

export interface ProfileInput {
  fileId: string;
  name: string;
  /** Window on the session axis, or null when it could not be placed. */
  startNs: number | null;
  durationNs: number;
  quality: string;
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
  | (RowBase & { kind: 'counts'; trace: TraceModel })
  | (RowBase & {
      kind: 'metric';
      trace: TraceModel;
      series: MetricSeries;
      unit: string;
      line?: MetricSeries;
    })
  | (RowBase & { kind: 'tasks'; trace: TraceModel; depth: Uint16Array; levels: number })
  | (RowBase & { kind: 'proc'; trace: TraceModel; p: number })
  | (RowBase & {
      kind: 'group';
      trace: TraceModel;
      groupKey: string;
      goroutines: Int32Array;
      collapsed: boolean;
    })
  | (RowBase & { kind: 'goroutine'; trace: TraceModel; g: number })
  | (RowBase & { kind: 'dlv'; fileId: string; model: DlvModel; lane: DlvLane; offset: number });

type WithoutY<T> = T extends unknown ? Omit<T, 'y'> : never;

export const ROW_H = {
  section: 22,
  file: 20,
  profile: 18,
  gc: 18,
  metric: 30,
  taskLevel: 14,
  proc: 14,
  group: 22,
  goroutine: 16,
  dlvDepth: 14,
} as const;

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
  /** Row of each goroutine (index): its lane, or its group's row when the group is collapsed. */
  rowOfGoroutine: Map<number, number>;
}

/** Heap and GOMAXPROCS series worth a plot row, with their units. */
const METRICS: Array<[RegExp, string, string]> = [
  [/^\/memory\/classes\/heap\/objects:bytes$/, 'heap live', 'bytes'],
  [/^\/gc\/heap\/goal:bytes$/, 'heap goal', 'bytes'],
  [/^\/sched\/gomaxprocs:threads$/, 'GOMAXPROCS', 'count'],
];

export function buildRows(
  trace: TraceInput | null,
  dlv: readonly DlvInput[],
  profiles: readonly ProfileInput[],
  settings: LaneSettings,
): RowLayout {
  const rows: Row[] = [];
  let y = 0;
  const add = (r: WithoutY<Row>): void => {
    rows.push({ ...r, y } as Row);
    y += r.h;
  };
  let goroutineLanes = 0;
  let procLanes = 0;
  const rowOfGoroutine = new Map<number, number>();

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
  const dlvByGoroutine = new Map<number, Array<{ d: DlvInput; lane: DlvLane }>>();
  const unplaced: DlvInput[] = [];
  for (const d of dlv) {
    if (!trace || d.offset === null) {
      unplaced.push(d);
      continue;
    }
    for (const lane of getDlvLayout(d.model, 'time').lanes) {
      const list = dlvByGoroutine.get(lane.goroutine);
      if (list) list.push({ d, lane });
      else dlvByGoroutine.set(lane.goroutine, [{ d, lane }]);
    }
  }

  if (trace) {
    const m = trace.model;
    add({
      kind: 'section',
      key: 't:global',
      h: ROW_H.section,
      label: trace.name,
      sub: `go ${m.version} trace`,
    });
    add({ kind: 'gc', key: 't:gc', h: ROW_H.gc, label: 'GC / STW', sub: '', trace: m });
    add({
      kind: 'counts',
      key: 't:counts',
      h: ROW_H.metric,
      label: 'Goroutines',
      sub: 'running · runnable · waiting',
      trace: m,
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
      });
    }
    if (m.tasks.length > 0) {
      const { depth, levels } = taskLevels(m);
      add({
        kind: 'tasks',
        key: 't:tasks',
        h: Math.max(1, Math.min(levels, 4)) * ROW_H.taskLevel + 4,
        label: 'Tasks',
        sub: `${m.tasks.length}`,
        trace: m,
        depth,
        levels,
      });
    }

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
    });
    procLanes = m.procs.length;
    if (!procsCollapsed) {
      for (let p = 0; p < m.procs.length; p++) {
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

    // Goroutines, grouped by start function.
    const match = filterFn(settings.filter);
    // Totals per goroutine are only needed to sort by them (computing them walks every interval).
    const cmp = sorter(m, settings.sort === 'id' ? null : goroutineStats(m), settings.sort);
    for (const group of goroutineGroups(m)) {
      const nameMatches = match(group.name);
      const members = Array.from(group.goroutines).filter(
        (g) =>
          (nameMatches || match(String(m.goroutines.id[g]))) &&
          (settings.only === null || settings.only.has(m.goroutines.id[g]!)),
      );
      goroutineLanes += group.goroutines.length;
      if (members.length === 0) continue;
      members.sort(cmp);
      const groupKey = `t:g:${group.name}`;
      const hasDlv = members.some((g) => dlvByGoroutine.has(m.goroutines.id[g]!));
      const collapsed =
        settings.collapsed[groupKey] ?? (members.length > 12 && !hasDlv && settings.only === null);
      add({
        kind: 'group',
        key: groupKey,
        h: ROW_H.group,
        label: group.name,
        sub: `×${members.length}`,
        trace: m,
        groupKey,
        goroutines: Int32Array.from(members),
        collapsed,
      });
      if (collapsed) {
        for (const g of members) rowOfGoroutine.set(g, rows.length - 1);
        continue;
      }
      for (const g of members) {
        const id = m.goroutines.id[g]!;
        rowOfGoroutine.set(g, rows.length);
        add({
          kind: 'goroutine',
          key: `t:G${id}`,
          h: ROW_H.goroutine,
          label: `G${id}`,
          sub: group.name,
          trace: m,
          g,
        });
        for (const { d, lane } of dlvByGoroutine.get(id) ?? []) {
          add({
            kind: 'dlv',
            key: `d:${d.fileId}:${id}`,
            h: (lane.maxDepth + 1) * ROW_H.dlvDepth + 4,
            label: 'dlv',
            sub: d.name,
            fileId: d.fileId,
            model: d.model,
            lane,
            offset: d.offset as number,
          });
        }
      }
    }
    // dlv goroutines the trace never saw.
    const seen = new Set<number>();
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
    const layout = getDlvLayout(d.model, d.mode ?? 'time');
    add({
      kind: 'section',
      key: `d:${d.fileId}`,
      h: ROW_H.section,
      label: d.name,
      sub: `${layout.lanes.length} goroutines · ${d.model.spanCount} calls`,
    });
    for (const lane of layout.lanes) {
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
  return {
    rows,
    y: ys,
    height: y,
    goroutineLanes,
    procLanes,
    traceFileId: trace?.fileId ?? null,
    rowOfGoroutine,
  };
}

/** Goroutine indexes the lane filter keeps (null when there is no filter). */
export function filteredGoroutines(m: TraceModel, settings: LaneSettings): Int32Array | null {
  if (!settings.filter.trim() && settings.only === null) return null;
  const match = filterFn(settings.filter);
  const out: number[] = [];
  for (const group of goroutineGroups(m)) {
    const nameMatches = match(group.name);
    for (const g of group.goroutines) {
      if (
        (nameMatches || match(String(m.goroutines.id[g]))) &&
        (settings.only === null || settings.only.has(m.goroutines.id[g]!))
      )
        out.push(g);
    }
  }
  return Int32Array.from(out);
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

function filterFn(filter: string): (s: string) => boolean {
  const f = filter.trim();
  if (!f) return () => true;
  const re = /^\/(.+)\/([a-z]*)$/.exec(f);
  if (re) {
    // The pattern may come from a link: RE2 (linear time), never a backtracking RegExp. Without
    // flags it ignores case, like the plain-text filter; `/re/i` too, other flags keep case.
    const flags = re[2]!.replace(/[gy]/g, '');
    try {
      const r = compileUserPattern(re[1]!, { ignoreCase: flags === '' || flags.includes('i') });
      return (s) => r.test(s);
    } catch {
      // An unfinished pattern filters like plain text.
    }
  }
  const lower = f.toLowerCase();
  return (s) => s.toLowerCase().includes(lower);
}

function sorter(
  m: TraceModel,
  stats: ReturnType<typeof goroutineStats> | null,
  sort: LaneSort,
): (a: number, b: number) => number {
  const id = (g: number) => m.goroutines.id[g]!;
  if (!stats) return (a, b) => id(a) - id(b);
  const s = stats;
  switch (sort) {
    case 'start':
      return (a, b) => s.firstNs[a]! - s.firstNs[b]! || id(a) - id(b);
    case 'running':
      return (a, b) => s.runningNs[b]! - s.runningNs[a]! || id(a) - id(b);
    case 'blocked':
      return (a, b) =>
        s.waitingNs[b]! + s.runnableNs[b]! - (s.waitingNs[a]! + s.runnableNs[a]!) || id(a) - id(b);
    default:
      return (a, b) => id(a) - id(b);
  }
}

const taskCache = new WeakMap<TraceModel, { depth: Uint16Array; levels: number }>();

/** Stacking level of each task so overlapping tasks do not cover each other (greedy by start). */
export function taskLevels(m: TraceModel): { depth: Uint16Array; levels: number } {
  let r = taskCache.get(m);
  if (r) return r;
  const t = m.tasks;
  const order = Array.from({ length: t.length }, (_, i) => i).sort(
    (a, b) => startOf(m, a) - startOf(m, b),
  );
  const depth = new Uint16Array(t.length);
  const levelEnd: number[] = [];
  for (const i of order) {
    const s = startOf(m, i);
    const e = endOf(m, i);
    let lvl = levelEnd.findIndex((end) => end <= s);
    if (lvl < 0) {
      lvl = levelEnd.length;
      levelEnd.push(e);
    } else levelEnd[lvl] = e;
    depth[i] = Math.min(lvl, 0xffff);
  }
  r = { depth, levels: levelEnd.length };
  taskCache.set(m, r);
  return r;
}

export function startOf(m: TraceModel, i: number): number {
  const s = m.tasks.start[i]!;
  return Number.isNaN(s) ? 0 : s;
}

export function endOf(m: TraceModel, i: number): number {
  const e = m.tasks.end[i]!;
  return Number.isNaN(e) ? m.durationNs : e;
}
