// Queries behind the analysis tabs (issue 16, testdata/ANALYSIS.md): go tool trace's goroutine
// table by start function, the task and region tables with their histograms and instances, the
// MMU curve and its worst windows, user logs, and slow vs typical as a difference flame graph.
// Each is a thin wrapper over the pure modules of src/analysis (goroutineSummary, goroutineGroups,
// userTasks, mmu, userLogs, slowTypical); what several of them share (the whole-trace goroutine
// summaries, the region and task summaries, MMU curves, per-goroutine CPU samples) is kept in the
// trace's memo, so the tables of one trace cost one pass each. The whole-trace tables are warmed
// up in the background as soon as a trace arrives (queries.ts warmUp), off the page's thread.

import { PatternError } from '../base/pattern';
import { buildDiffTree } from '../analysis/flame';
import {
  goroutineGroups,
  goroutineRows as rowsOf,
  type GoroutineGroup,
  type GoroutineRow,
  type GoroutineSortKey,
} from '../analysis/goroutineGroups';
import {
  goroutineNames,
  goroutineSummaries,
  type GoroutineSummaries,
} from '../analysis/goroutineSummary';
import {
  buildMmuCurve,
  logWindows,
  mmu as mmuAt,
  mutatorUtilization,
  worstWindows,
  type MmuCurve,
  type MmuOptions,
  type UtilWindow,
} from '../analysis/mmu';
import {
  regionInstances as regionSpans,
  slowVsTypical,
  spanInstances,
  taskInstances as taskSpans,
  type Instances,
  type InstanceStackSet,
  type Span,
} from '../analysis/slowTypical';
import { userLogs as listLogs, type LogList } from '../analysis/userLogs';
import {
  regionInstance,
  regionInstanceIndexes,
  regionTypes,
  taskInstance,
  taskInstanceIndexes,
  taskTypes,
  userRegions,
  userTasks,
  type RegionInstance,
  type RegionType,
  type TaskInstance,
  type TaskType,
  type UserRegions,
  type UserTasks,
} from '../analysis/userTasks';
import { familyInfo, type ReasonFamily } from '../analysis/reasons';
import { bucketRangeNs } from '../analysis/histogram';
import { whySlow, type StateBreakdown } from '../analysis/whySlow';
import type { TraceModel } from '../model/trace';
import type { QueryContext } from './engine';
import { goroutineSamplesOf, whyIndexesOf } from './why';
import { packTree, shares, type FlameTree } from './flame';

/** A time range on the trace's axis (ns), or null for the whole trace. */
export type AnalysisRange = { t0: number; t1: number } | null;

// ---- shared products (the trace's memo) ----------------------------------------------------------

function names(c: QueryContext, id: string): Int32Array {
  const m = c.trace(id);
  return c.memo(id)('goroutineNames', () => goroutineNames(m));
}

function summaries(c: QueryContext, id: string, range: AnalysisRange): GoroutineSummaries {
  const m = c.trace(id);
  if (range === null) {
    return c.memo(id)('summaries', () => goroutineSummaries(m, { names: names(c, id) }));
  }
  return goroutineSummaries(m, { range, names: names(c, id) });
}

function regionsOf(c: QueryContext, id: string): UserRegions {
  const m = c.trace(id);
  return c.memo(id)('userRegions', () => userRegions(m, summaries(c, id, null)));
}

function tasksOf(c: QueryContext, id: string): UserTasks {
  const m = c.trace(id);
  return c.memo(id)('userTasks', () => userTasks(m, regionsOf(c, id)));
}

/** The MMU options the page passes (Go's /mmu checkboxes); absent flags are false. */
export interface MmuFlags {
  stw: boolean;
  background: boolean;
  assist: boolean;
  sweep: boolean;
  perProc: boolean;
}

function curveOf(c: QueryContext, id: string, flags: MmuFlags): MmuCurve {
  const m = c.trace(id);
  const o: MmuOptions = {
    stw: flags.stw,
    background: flags.background,
    assist: flags.assist,
    sweep: flags.sweep,
    perProc: flags.perProc,
  };
  const key = `mmu:${+o.stw!}${+o.background!}${+o.assist!}${+o.sweep!}${+o.perProc!}`;
  return c.memo(id)(key, () => buildMmuCurve(mutatorUtilization(m, o)));
}

// ---- goroutines ----------------------------------------------------------------------------------

export interface GoroutineTable {
  /** The range the figures cover (the whole trace: 0 and its duration). */
  t0: number;
  t1: number;
  /** Groups by start function, largest execution time first (Go's order). */
  groups: GoroutineGroup[];
  /** Goroutines listed in all. */
  goroutines: number;
  /** The wait-reason families with blocked time, most first: the table's columns. */
  families: Array<{ family: ReasonFamily; label: string; description: string; ns: number }>;
}

/** Go's /goroutines table: goroutines grouped by start function, whole trace or a range. */
export function goroutineTable(
  c: QueryContext,
  p: { trace: string; range: AnalysisRange },
): GoroutineTable {
  const m = c.trace(p.trace);
  const s = summaries(c, p.trace, p.range);
  const groups = goroutineGroups(m, s);
  const byFamily = new Map<ReasonFamily, number>();
  for (const g of groups)
    for (const f of g.blockByFamily) byFamily.set(f.family, (byFamily.get(f.family) ?? 0) + f.ns);
  const families = [...byFamily]
    .map(([family, ns]) => ({ family, ns, ...familyInfo(family) }))
    .sort((a, b) => b.ns - a.ns)
    .map(({ family, ns, label, description }) => ({ family, label, description, ns }));
  return {
    t0: s.t0,
    t1: s.t1,
    groups,
    goroutines: groups.reduce((n, g) => n + g.count, 0),
    families,
  };
}

/** The goroutines of one group (an expanded row), sorted, at most `limit`. */
export function goroutineRows(
  c: QueryContext,
  p: {
    trace: string;
    range: AnalysisRange;
    group: string;
    sortBy: GoroutineSortKey;
    limit: number;
  },
): { rows: GoroutineRow[]; total: number } {
  const m = c.trace(p.trace);
  const table = c.query('goroutineTable', { trace: p.trace, range: p.range });
  const group = table.groups.find((g) => g.name === p.group);
  if (!group) return { rows: [], total: 0 };
  const s = summaries(c, p.trace, p.range);
  return {
    rows: rowsOf(m, s, group.goroutines, { sortBy: p.sortBy, limit: p.limit }),
    total: group.count,
  };
}

// ---- tasks and regions ---------------------------------------------------------------------------

/** Go's /usertasks and /userregions tables. */
export function taskTable(
  c: QueryContext,
  p: { trace: string },
): { tasks: TaskType[]; regions: RegionType[] } {
  const m = c.trace(p.trace);
  return {
    tasks: taskTypes(m, tasksOf(c, p.trace)),
    regions: regionTypes(m, regionsOf(c, p.trace)),
  };
}

export interface InstanceParams {
  trace: string;
  kind: 'task' | 'region';
  type: string;
  /** Regions: the start function of the row (null: any). */
  startFunction: string | null;
  /** One histogram bucket, or null for all. */
  bucket: number | null;
  /** Tasks: only the incomplete ones (they are in no bucket). */
  incomplete: boolean;
  order: 'asc' | 'desc';
  limit: number;
}

export interface InstanceList {
  /** Instances that pass the filter (the list holds at most `limit`). */
  total: number;
  tasks: TaskInstance[];
  regions: RegionInstance[];
  /** The bucket's duration range [minNs, maxNs), as Go labels it (null: no bucket asked). */
  bucketNs: { minNs: number; maxNs: number } | null;
}

/** The instances of a task or region type (one bucket, or the incomplete tasks), by duration. */
export function instances(c: QueryContext, p: InstanceParams): InstanceList {
  const m = c.trace(p.trace);
  const regions = regionsOf(c, p.trace);
  const bucketNs = p.bucket !== null ? bucketRangeNs(p.bucket) : null;
  const f = {
    ...(p.bucket !== null ? { bucket: p.bucket } : {}),
    ...(p.incomplete ? { complete: false } : {}),
    order: p.order,
  };
  if (p.kind === 'task') {
    const tasks = tasksOf(c, p.trace);
    const ks = taskInstanceIndexes(m, tasks, p.type, f);
    return {
      total: ks.length,
      tasks: ks.slice(0, Math.max(0, p.limit)).map((k) => taskInstance(m, tasks, regions, k)),
      regions: [],
      bucketNs,
    };
  }
  const ks = regionInstanceIndexes(m, regions, p.type, p.startFunction, f);
  return {
    total: ks.length,
    tasks: [],
    regions: ks.slice(0, Math.max(0, p.limit)).map((k) => regionInstance(m, regions, k)),
    bucketNs,
  };
}

/** Why one task or region instance was slow (analysis/whySlow.ts), in brief, or null. */
export interface InstanceWhy {
  durationNs: number;
  /** Its goroutines' time by state, added up. */
  total: StateBreakdown;
  /** Blocked goroutine-ns charged to causes, and the heaviest causes. */
  blockedNs: number;
  causes: Array<{
    goId: number;
    startFunction: string;
    state: string;
    ns: number;
    share: number;
    func: string;
  }>;
}

/** Why an instance (index in the task or region summaries, as `instances` lists them) was slow. */
export function instanceWhy(
  c: QueryContext,
  p: { trace: string; kind: 'task' | 'region'; index: number },
): InstanceWhy | null {
  const m = c.trace(p.trace);
  const rows = p.kind === 'task' ? tasksOf(c, p.trace).row : regionsOf(c, p.trace).row;
  const row = p.index >= 0 && p.index < rows.length ? rows[p.index]! : -1;
  // A task only mentioned (by a parent, a region or a log) or an inherited region has no row.
  if (row < 0) return null;
  const idx = whyIndexesOf(c, p.trace);
  const w = whySlow(
    m,
    p.kind === 'task' ? { kind: 'task', task: row } : { kind: 'region', region: row },
    idx,
  );
  return {
    durationNs: w.durationNs,
    total: w.total,
    blockedNs: w.charge.blockedNs,
    causes: w.charge.causes.slice(0, 5).map((x) => ({
      goId: x.goId,
      startFunction: x.startFunction,
      state: x.state,
      ns: x.ns,
      share: x.share,
      func: x.stack[0] ?? '',
    })),
  };
}

// ---- MMU ------------------------------------------------------------------------------------------

export interface MmuResult {
  /** Window sizes (ns, a log axis from 1 µs to the trace's length) and the MMU at each. */
  windowNs: Float64Array;
  utilization: Float64Array;
  /** Time the utilization functions cover (Go's curve can end early: see analysis/mmu.ts). */
  startNs: number;
  endNs: number;
  /** The trace never reported GOMAXPROCS: nothing to compute. */
  empty: boolean;
}

/** The MMU curve for go tool trace's options, at `points` windows from 1 µs to the trace's length. */
export function mmuCurve(
  c: QueryContext,
  p: { trace: string; flags: MmuFlags; points: number },
): MmuResult {
  const m = c.trace(p.trace);
  const curve = curveOf(c, p.trace, p.flags);
  const ws = logWindows(1000, Math.max(1000, m.durationNs), Math.max(2, Math.min(400, p.points)));
  return {
    windowNs: Float64Array.from(ws),
    utilization: Float64Array.from(ws, (w) => mmuAt(curve, w)),
    startNs: curve.startNs,
    endNs: curve.endNs,
    empty: curve.series.length === 0,
  };
}

/** The worst disjoint windows of one size (Go's /mmu details), lowest utilization first. */
export function mmuWorst(
  c: QueryContext,
  p: { trace: string; flags: MmuFlags; windowNs: number; count: number },
): UtilWindow[] {
  const curve = curveOf(c, p.trace, p.flags);
  return worstWindows(curve, Math.max(1, p.windowNs), Math.max(1, Math.min(100, p.count)));
}

// ---- user logs -------------------------------------------------------------------------------------

/** User logs in time order, by task, goroutine and/or pattern; a bad pattern is reported. */
export function userLogs(
  c: QueryContext,
  p: {
    trace: string;
    taskId: number | null;
    pattern: string;
    ignoreCase: boolean;
    limit: number;
  },
): LogList & { patternError: string | null } {
  const m = c.trace(p.trace);
  try {
    return {
      ...listLogs(m, {
        ...(p.taskId !== null ? { taskId: p.taskId } : {}),
        pattern: p.pattern,
        ignoreCase: p.ignoreCase,
        limit: p.limit,
      }),
      patternError: null,
    };
  } catch (e) {
    if (e instanceof PatternError) return { total: 0, logs: [], patternError: e.message };
    throw e;
  }
}

// ---- slow vs typical -------------------------------------------------------------------------------

export interface SlowTypicalParams {
  trace: string;
  kind: 'task' | 'region' | 'dlv';
  /** Task or region type; for dlv, the function. */
  type: string;
  /** Regions: the start function (null: any). */
  startFunction: string | null;
  /** dlv: the log's file id and its offset on the trace's axis (the session's alignment). */
  dlv: { file: string; offsetNs: number } | null;
  /** The slowest fraction (default 0.1), or a duration range [minNs, maxNs] that counts as slow. */
  fraction: number;
  minNs: number | null;
  maxNs: number | null;
}

export interface DiffGraph {
  tree: FlameTree;
  /** Per node: its change (slow minus typical) as a share of the largest, for the colours. */
  shares: Float64Array;
  unit: string;
  /** Weight per instance on each side. */
  slowTotal: number;
  typicalTotal: number;
}

export interface SlowTypicalResult {
  instances: number;
  slow: number;
  typical: number;
  thresholdNs: number;
  slowMeanNs: number;
  typicalMeanNs: number;
  /** CPU samples and blocked time per instance: typical is the base, slow what grew. */
  cpu: DiffGraph;
  blocked: DiffGraph;
}

function instancesFor(c: QueryContext, m: TraceModel, p: SlowTypicalParams): Instances {
  switch (p.kind) {
    case 'task':
      return taskSpans(m, tasksOf(c, p.trace), p.type);
    case 'region':
      return regionSpans(m, regionsOf(c, p.trace), p.type, p.startFunction);
    case 'dlv': {
      if (!p.dlv) return spanInstances([]);
      const d = c.dlv(p.dlv.file);
      const byId = c.memo(p.trace)('goroutineById', () => {
        const map = new Map<number, number>();
        for (let g = 0; g < m.goroutines.length; g++) map.set(m.goroutines.id[g]!, g);
        return map;
      });
      const fn = d.strings.indexOf(p.type);
      const spans: Span[] = [];
      const sp = d.spans;
      for (let i = 0; fn >= 0 && i < sp.func.length; i++) {
        if (sp.func[i] !== fn) continue;
        const a = sp.startNs[i]!;
        const b = sp.endNs[i]!;
        const g = byId.get(sp.goroutine[i]!);
        if (g === undefined || !(a === a && b === b)) continue;
        spans.push({ goroutine: g, startNs: a + p.dlv.offsetNs, endNs: b + p.dlv.offsetNs });
      }
      return spanInstances(spans);
    }
  }
}

/** The functions of a dlv log with calls that returned (slow vs typical candidates), most first. */
export function dlvFunctions(
  c: QueryContext,
  p: { dlv: string },
): Array<{ func: string; calls: number }> {
  const d = c.dlv(p.dlv);
  const counts = new Map<number, number>();
  const sp = d.spans;
  for (let i = 0; i < sp.func.length; i++) {
    const a = sp.startNs[i]!;
    const b = sp.endNs[i]!;
    if (a === a && b === b) counts.set(sp.func[i]!, (counts.get(sp.func[i]!) ?? 0) + 1);
  }
  return [...counts]
    .map(([f, calls]) => ({ func: d.strings[f] ?? '', calls }))
    .sort((a, b) => b.calls - a.calls || (a.func < b.func ? -1 : 1));
}

function diffGraph(a: InstanceStackSet, b: InstanceStackSet): DiffGraph {
  const d = buildDiffTree(a, b);
  return {
    tree: packTree(d, b),
    shares: shares((i) => d.totalB[i]! - d.totalA[i]!, d.length),
    unit: b.unit,
    slowTotal: b.total,
    typicalTotal: a.total,
  };
}

/** The slowest instances against the rest: per-instance CPU and blocked-time difference graphs. */
export function slowTypical(c: QueryContext, p: SlowTypicalParams): SlowTypicalResult {
  const m = c.trace(p.trace);
  const inst = instancesFor(c, m, p);
  const samples = goroutineSamplesOf(c, p.trace);
  const sel =
    p.minNs !== null || p.maxNs !== null
      ? {
          ...(p.minNs !== null ? { minNs: p.minNs } : {}),
          ...(p.maxNs !== null ? { maxNs: p.maxNs } : {}),
        }
      : { fraction: p.fraction };
  const r = slowVsTypical(m, inst, sel, { samples, split: 'reason' });
  return {
    instances: inst.length,
    slow: r.split.slow.length,
    typical: r.split.typical.length,
    thresholdNs: r.split.thresholdNs,
    slowMeanNs: r.slowMeanNs,
    typicalMeanNs: r.typicalMeanNs,
    cpu: diffGraph(r.typical.cpu, r.slow.cpu),
    blocked: diffGraph(r.typical.blocked, r.slow.blocked),
  };
}
