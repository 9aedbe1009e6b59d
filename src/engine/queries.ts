// The catalog of named queries the engine answers. Each is a pure function of (the models it names
// by file id, params) built from src/analysis; its result is plain data (typed arrays, plain
// objects: nothing with methods, so it can cross postMessage) and is memoized by the engine under
// the query's name and params. Params are plain JSON.
//
// Adding a query: write `(c: QueryContext, p: Params) => Result` beside its kind (./trace.ts,
// ./timeline.ts, ./flame.ts), reading files through `c` (c.trace(id), c.indexes(id), c.memo(id)),
// and add one line here. The page then asks for it with `useEngineQuery('name', params)` (or
// `engine.query('name', params)`), tests and scripts with `engine.run('name', params)`; all get
// the result type from this table.

import { DEFAULT_LOG_QUERY, DEFAULT_MMU_FLAGS, MMU_POINTS } from '../base/analysisParams';
import type { DecodedFile } from '../model/file';
import {
  dlvFunctions,
  goroutineRows,
  goroutineTable,
  instanceWhy,
  instances,
  mmuCurve,
  mmuWorst,
  slowTypical,
  taskTable,
  userLogs,
} from './analysis';
import type { QueryContext } from './engine';
import { flame, flamePath, flamePprof, flameSearch, sandwich, topTable } from './flame';
import {
  axis,
  dlvLayouts,
  highlight,
  intervalsCsv,
  laneActivity,
  lanes,
  traceView,
  unblock,
} from './timeline';
import { runtimeLanes, search, searchComplete, searchOrder } from './search';
import { spikes } from './trace';
import { slowTargets, spikeWhy, whyChain, whySlow } from './why';

/**
 * Which waiting query the engine worker runs first: what the first picture needs (the axis, the
 * rows), then what answers the user (highlights, the flame graph), then findings that may come
 * later (spikes).
 */
export type Priority = 'first' | 'normal' | 'background';

export interface QueryDef<P, R> {
  run: (c: QueryContext, params: P) => R;
  /** false: never cached (the result is cheap, or unique to one call). */
  cache: boolean;
  priority: Priority;
  /**
   * Whether it reads a preview (what is decoded so far of a large trace, Engine.addFile): the
   * first picture's queries do; the rest wait for the whole model, since each preview would
   * cost their whole work again, on the core the decode shares with the page. Default: `first`.
   */
  previews: boolean;
}

function query<P, R>(
  run: (c: QueryContext, params: P) => R,
  options: { cache?: boolean; priority?: Priority; previews?: boolean } = {},
): QueryDef<P, R> {
  const priority = options.priority ?? 'normal';
  return {
    run,
    cache: options.cache ?? true,
    priority,
    previews: options.previews ?? priority === 'first',
  };
}

export const QUERIES = {
  // The session
  /** The shared time axis: the trace's, every other file aligned to it (analysis/session.ts). */
  axis: query(axis, { priority: 'first' }),

  // The timeline
  /**
   * What the painters of a trace's rows need: interval classes, regions, tasks, activity. Kept
   * with the file (QueryContext.keep), not in the result cache: at a byte per interval it can pass
   * the cache's whole byte bound, and storing it would push every other answer out.
   */
  traceView: query(traceView, { priority: 'first', cache: false }),
  /** The goroutine lanes: groups by start function, filtered and sorted. */
  lanes: query(lanes, { priority: 'first' }),
  /** Each lane group's activity (its collapsed row's plot). */
  laneActivity: query(laneActivity, { previews: true }),
  /** dlv logs' lanes, by time or in line order. */
  dlvLayouts: query(dlvLayouts, { priority: 'first' }),
  /** Every interval, CPU sample, lane and dlv call of a function. */
  highlight: query(highlight),
  /** The "unblocked by" arrows of the selected wait, and the U step back along them. */
  unblock: query(unblock),
  /** Blocking spikes of a trace, highest score first (analysis/spikes.ts). */
  spikes: query(spikes, { priority: 'background' }),
  /** Who held one spike up (analysis/why.ts), after the spike list: one query per spike. */
  spikeWhy: query(spikeWhy, { priority: 'background' }),
  /** The chain of wakers behind a selected wait ("Why was this blocked?", the chain's lanes). */
  whyChain: query(whyChain),
  /** A task's or region's time broken down and charged ("Why was this slow?"). */
  whySlow: query(whySlow),
  /** The regions and tasks around a selected interval ("Why was this slow?" is asked of them). */
  slowTargets: query(slowTargets),

  /**
   * Who ran on each P (with GC worker modes), each goroutine's mark assists and sweeps. Kept with
   * the file, not in the result cache (25 bytes a run: see traceView).
   */
  runtimeLanes: query(runtimeLanes, { priority: 'first', cache: false, previews: false }),

  // Search
  /** A query of the search box over the trace and the dlv logs on its clock (analysis/query). */
  search: query(search),
  /** Its results by start or duration, for the list. */
  searchOrder: query(searchOrder),
  /** Completion at the caret of the search box. */
  searchComplete: query(searchComplete),

  // The flame graph
  /** The flame graph for a source, range and settings. */
  flame: query(flame),
  /** The search's share of the zoomed frame. */
  flameSearch: query(flameSearch),
  /** The nodes on the selected interval's stack. */
  flamePath: query(flamePath),
  /** Callers and callees of a function. */
  sandwich: query(sandwich),
  /** Flat and cum per function, sorted. */
  topTable: query(topTable),

  // The analysis tabs (go tool trace's pages; engine/analysis.ts). The whole-trace tables are
  // warmed up in the background when a trace arrives.
  /** Goroutines grouped by start function (Go's /goroutines), whole trace or a range. */
  goroutineTable: query(goroutineTable, { priority: 'background' }),
  /** The goroutines of one group, sorted. */
  goroutineRows: query(goroutineRows),
  /** Task and region types with their histograms (Go's /usertasks, /userregions). */
  taskTable: query(taskTable, { priority: 'background' }),
  /** Instances of a task or region type (a histogram bucket), by duration. */
  instances: query(instances),
  /** Why one instance was slow: its time by state and what held it up (analysis/whySlow.ts). */
  instanceWhy: query(instanceWhy),
  /** The MMU curve for go tool trace's options. */
  mmuCurve: query(mmuCurve, { priority: 'background' }),
  /** The worst windows of one size. */
  mmuWorst: query(mmuWorst),
  /** User logs by task and pattern. */
  userLogs: query(userLogs),
  /** Slowest instances against the rest, as CPU and blocked-time difference graphs. */
  slowTypical: query(slowTypical),
  /** A dlv log's functions with completed calls. */
  dlvFunctions: query(dlvFunctions),

  // Exports (made once per click: not cached)
  /** The flame graph's stack set as gzip'd pprof. */
  flamePprof: query(flamePprof, { cache: false }),
  /** Goroutine intervals in a range as CSV. */
  intervalsCsv: query(intervalsCsv, { cache: false }),
};

export type QueryName = keyof typeof QUERIES;

/**
 * What the engine computes as soon as a file arrives, before anyone asks (the page's first
 * questions, with their default params): the answers are then waiting in the cache.
 */
export function warmUp(
  fileId: string,
  file: DecodedFile,
): Array<{ name: QueryName; params: unknown }> {
  if (file.format !== 'go-trace') return [];
  return [
    { name: 'traceView', params: { trace: fileId } },
    { name: 'lanes', params: { trace: fileId, sort: 'id', filter: '', only: null } },
    { name: 'spikes', params: { trace: fileId } },
    // The analysis tabs' tables, with the params the page asks first (base/analysisParams.ts).
    ...analysisWarmUp(fileId),
  ];
}
/** The first questions of the analysis tabs, so that their tables are ready when opened. */
export function analysisWarmUp(fileId: string): Array<{ name: QueryName; params: unknown }> {
  return [
    { name: 'goroutineTable', params: { trace: fileId, range: null } },
    { name: 'taskTable', params: { trace: fileId } },
    { name: 'mmuCurve', params: { trace: fileId, flags: DEFAULT_MMU_FLAGS, points: MMU_POINTS } },
    { name: 'userLogs', params: { trace: fileId, ...DEFAULT_LOG_QUERY } },
  ];
}

export type QueryParams<N extends QueryName> = Parameters<(typeof QUERIES)[N]['run']>[1];
export type QueryResult<N extends QueryName> = ReturnType<(typeof QUERIES)[N]['run']>;
