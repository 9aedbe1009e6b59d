// Which goroutine lanes the timeline's rows show, and in which order: goroutines grouped by start
// function (traceLanes.ts), kept by the lane filter (start function, goroutine id or /regex/) and
// by an explicit list of goroutine ids (a highlight's or a spike's goroutines), sorted by id, start
// or totals; and the stacking levels of the task track. The engine answers these
// (engine/timeline.ts: work over every goroutine or interval); the page lays its rows out from
// them (render/rowLayout.ts: work over the rows).

import type { TraceModel } from '../model/trace';
import { Heap } from '../base/heap';
import { compileUserPattern } from '../base/pattern';
import { taskEnd, taskStart } from '../model/lookup';
import type { GoroutineGroup, GoroutineStats } from './traceLanes';

export type LaneSort = 'id' | 'start' | 'running' | 'blocked';

/** What decides the goroutine lanes (the store's lane settings add the collapsed groups). */
export interface LaneQuery {
  sort: LaneSort;
  /** Case-insensitive substring (or /regex/) on start function names and goroutine ids. */
  filter: string;
  /** Restrict goroutine lanes to these goroutine ids (from a highlight), or null. */
  only: readonly number[] | null;
  /**
   * Goroutine ids a jump brought into view (issue 20): shown above the other lanes when the
   * filter, the list or a collapsed group hides them (the layout decides, render/rowLayout.ts).
   */
  pinned?: readonly number[];
}

export interface LaneGroup {
  /** Start function, or "(unknown start)". */
  name: string;
  /** The members the query keeps, in its order (goroutine indexes). */
  members: Int32Array;
  /** Members of the group before filtering. */
  size: number;
}

/** Every group with the members the query keeps (groups left empty included), in group order. */
export function laneGroups(
  m: TraceModel,
  groups: readonly GoroutineGroup[],
  stats: GoroutineStats | null,
  q: LaneQuery,
): LaneGroup[] {
  const match = filterFn(q.filter);
  const only = q.only === null ? null : new Set(q.only);
  const cmp = sorter(m, stats, q.sort);
  return groups.map((group) => {
    const nameMatches = match(group.name);
    const members = Array.from(group.goroutines).filter(
      (g) =>
        (nameMatches || match(String(m.goroutines.id[g]))) &&
        (only === null || only.has(m.goroutines.id[g]!)),
    );
    members.sort(cmp);
    return { name: group.name, members: Int32Array.from(members), size: group.goroutines.length };
  });
}

/** Goroutine indexes the lane filter keeps (null when there is no filter). */
export function filteredGoroutines(
  m: TraceModel,
  groups: readonly GoroutineGroup[],
  q: Pick<LaneQuery, 'filter' | 'only'>,
): Int32Array | null {
  if (!q.filter.trim() && q.only === null) return null;
  const match = filterFn(q.filter);
  const only = q.only === null ? null : new Set(q.only);
  const out: number[] = [];
  for (const group of groups) {
    const nameMatches = match(group.name);
    for (const g of group.goroutines) {
      if (
        (nameMatches || match(String(m.goroutines.id[g]))) &&
        (only === null || only.has(m.goroutines.id[g]!))
      )
        out.push(g);
    }
  }
  return Int32Array.from(out);
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
  stats: GoroutineStats | null,
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

/**
 * Stacking level of each task so overlapping tasks do not cover each other: greedy by start, each
 * task on the lowest level free at its start. Levels in use wait in a heap by their end and free
 * ones in a heap by number, so a trace of many tasks open at once (tasks never ended run to the
 * trace's end) costs n log n, not a scan of every level per task.
 */
export function taskLevels(m: TraceModel): { depth: Uint16Array; levels: number } {
  const t = m.tasks;
  const order = Array.from({ length: t.length }, (_, i) => i).sort(
    (a, b) => taskStart(m, a) - taskStart(m, b),
  );
  const depth = new Uint16Array(t.length);
  const levelEnd: number[] = [];
  const busy = new Heap<number>([], (a, b) => (levelEnd[a] as number) < (levelEnd[b] as number));
  const free = new Heap<number>([], (a, b) => a < b);
  for (const i of order) {
    const s = taskStart(m, i);
    const e = taskEnd(m, i);
    while (busy.length > 0 && (levelEnd[busy.items[0] as number] as number) <= s)
      free.push(busy.pop());
    let lvl: number;
    if (free.length > 0) lvl = free.pop();
    else {
      lvl = levelEnd.length;
      levelEnd.push(e);
    }
    levelEnd[lvl] = e;
    busy.push(lvl);
    depth[i] = Math.min(lvl, 0xffff);
  }
  return { depth, levels: levelEnd.length };
}

/** Tasks by start with a running maximum of their ends: the painter scans only visible ones. */
export function tasksByStart(m: TraceModel): {
  order: Uint32Array;
  starts: Float64Array;
  maxEnd: Float64Array;
} {
  const order = Uint32Array.from({ length: m.tasks.length }, (_, i) => i).sort(
    (a, b) => taskStart(m, a) - taskStart(m, b),
  );
  const starts = new Float64Array(order.length);
  const maxEnd = new Float64Array(order.length);
  let run = -Infinity;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    starts[k] = taskStart(m, i);
    run = Math.max(run, taskEnd(m, i));
    maxEnd[k] = run;
  }
  return { order, starts, maxEnd };
}
