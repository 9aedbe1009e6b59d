// What the query evaluator and the completion need from a model, computed once per model:
// `buildQueryIndex(trace)` and `buildDlvQueryIndex(log)`. The caller keeps the index (the engine
// caches it by model) and passes it in; nothing here is cached at module level. Plain data:
// typed arrays, arrays and numbers, so it can cross postMessage.
//
// Runs. Go's reader re-states every goroutine's state at each generation start (GoStatus; the
// model begins a new interval there, flagged IV_STATUS). A query is about a goroutine's stay in a
// state (a wait of 40 ms is one wait, even across a generation boundary), so it works on runs: a
// run is a goroutine's maximal sequence of intervals in one state, joined across status
// re-statements. Runs partition the model's intervals: the runs of goroutine g are
// [goRuns[g], goRuns[g+1]), run r begins at interval runIv[r] and ends where the goroutine's next
// run begins (or at the end of the trace). Its reason and waker are those of its first interval
// (the model carries a run's reason over its status intervals).
//
// A run's stack is where the goroutine itself stands, as traceIndex.ts defines it
// (StateIndex.ownStack): the stack of the transition that began the run (a status stack when that
// had none); for a runnable run begun by an unblock, the stack of the wait it leaves (the model
// stores the unblocking goroutine's stack there, as Go's trace does). Running runs begun by
// Go's GoStart have no stack: Go records none.

import { lowerBound } from '../../base/search';
import type { DlvModel } from '../../model/dlv';
import { GS_RUNNABLE, GS_SYSCALL, GS_WAITING, IV_STATUS, type TraceModel } from '../../model/trace';

/** Distinct names with how many items carry each, sorted by name (code unit order). */
export interface NameCounts {
  names: string[];
  counts: Uint32Array;
}

export interface QueryIndex {
  goroutineCount: number;
  runCount: number;
  /** Runs of goroutine g are [goRuns[g], goRuns[g + 1]). Length goroutines + 1. */
  goRuns: Uint32Array;
  /** The first interval of each run (index into model.intervals). */
  runIv: Uint32Array;
  /** Each run's own stack (see the header), or -1. */
  runStack: Int32Array;
  /** Runs in each goroutine state (GS_*). */
  stateRuns: Float64Array;
  /** Per reason-table entry: waiting runs, and runnable runs with a reason (a stop), with it. */
  reasonRuns: Uint32Array;
  /** Go goroutine ids ascending, and the goroutine index of each. */
  idSorted: Float64Array;
  idIndex: Int32Array;
  /**
   * Goroutines of each task: the one that began it, the one that ended it, and those that ran
   * one of its regions or wrote one of its logs. Task t's are taskGo[taskGoStart[t] .. [t + 1]).
   */
  taskGoStart: Uint32Array;
  taskGo: Int32Array;
  /** Task ids ascending (Go's ids, float64), and the task index of each. */
  taskIdSorted: Float64Array;
  taskIdIndex: Int32Array;
  /** Function names on stacks (indexes into model.strings), sorted by name, distinct. */
  funcs: Int32Array;
  regionNames: NameCounts;
  taskNames: NameCounts;
  logCategories: NameCounts;
  logMessages: NameCounts;
}

export function buildQueryIndex(m: TraceModel): QueryIndex {
  const runs = buildRuns(m);
  const ids = sortedIds(m.goroutines.id, m.goroutines.length);
  const taskIds = sortedIds(m.tasks.id, m.tasks.length);
  const tg = taskGoroutines(m, taskIds);
  return {
    goroutineCount: m.goroutines.length,
    ...runs,
    idSorted: ids.sorted,
    idIndex: ids.index,
    taskGoStart: tg.start,
    taskGo: tg.goroutines,
    taskIdSorted: taskIds.sorted,
    taskIdIndex: taskIds.index,
    funcs: sortedFuncs(m),
    regionNames: nameCounts(m.strings, m.regions.name, m.regions.length),
    taskNames: nameCounts(m.strings, m.tasks.name, m.tasks.length),
    logCategories: nameCounts(m.strings, m.logs.category, m.logs.length),
    logMessages: nameCounts(m.strings, m.logs.message, m.logs.length),
  };
}

function buildRuns(m: TraceModel) {
  const iv = m.intervals;
  const { state, flags, stack, reason } = iv;
  const gs = m.goroutines;
  // Pass 1: count runs (an interval begins a run unless it is a same-state status re-statement).
  let count = 0;
  for (let g = 0; g < gs.length; g++) {
    const a = gs.intervalStart[g] as number;
    const b = gs.intervalStart[g + 1] as number;
    for (let i = a; i < b; i++) {
      if (!(i > a && (flags[i] as number) & IV_STATUS && state[i] === state[i - 1])) count++;
    }
  }
  const goRuns = new Uint32Array(gs.length + 1);
  const runIv = new Uint32Array(count);
  const runStack = new Int32Array(count);
  const stateRuns = new Float64Array(8);
  const reasonRuns = new Uint32Array(m.reasons.length);
  let r = -1;
  for (let g = 0; g < gs.length; g++) {
    goRuns[g] = r + 1;
    const a = gs.intervalStart[g] as number;
    const b = gs.intervalStart[g + 1] as number;
    let own = -1;
    let prev = -1;
    for (let i = a; i < b; i++) {
      const s = state[i] as number;
      const st = stack[i] as number;
      const status = ((flags[i] as number) & IV_STATUS) !== 0;
      if (i > a && status && s === prev) {
        // The same run: a run begun without a stack takes the status stack.
        if (own < 0 && st >= 0) runStack[r] = own = st;
        continue;
      }
      // A runnable run begun by an unblock keeps the stack of the wait (or syscall) it leaves.
      if (!(s === GS_RUNNABLE && !status && (prev === GS_WAITING || prev === GS_SYSCALL))) own = st;
      r++;
      runIv[r] = i;
      runStack[r] = own;
      stateRuns[s & 7] = (stateRuns[s & 7] as number) + 1;
      const rs = reason[i] as number;
      if (s === GS_WAITING || (s === GS_RUNNABLE && rs !== 0)) {
        reasonRuns[rs] = (reasonRuns[rs] as number) + 1;
      }
      prev = s;
    }
  }
  goRuns[gs.length] = count;
  return { runCount: count, goRuns, runIv, runStack, stateRuns, reasonRuns };
}

/** Ids ascending with the row of each (the first row when an id repeats). */
function sortedIds(id: Float64Array, n: number): { sorted: Float64Array; index: Int32Array } {
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (id[a] as number) - (id[b] as number) || a - b);
  const sorted = new Float64Array(n);
  const index = new Int32Array(n);
  order.forEach((row, k) => {
    sorted[k] = id[row] as number;
    index[k] = row;
  });
  return { sorted, index };
}

/** The row of `id` in a sortedIds table, or -1. */
export function lookupId(sorted: Float64Array, index: Int32Array, id: number): number {
  const k = lowerBound(sorted, id);
  return k < sorted.length && sorted[k] === id ? (index[k] as number) : -1;
}

/** The goroutine index of Go goroutine id `id`, or -1. */
export function goroutineOfId(x: QueryIndex, id: number): number {
  return lookupId(x.idSorted, x.idIndex, id);
}

function taskGoroutines(
  m: TraceModel,
  ids: { sorted: Float64Array; index: Int32Array },
): { start: Uint32Array; goroutines: Int32Array } {
  const T = m.tasks.length;
  const G = m.goroutines.length;
  // (task, goroutine) pairs as task * (G + 1) + goroutine: exact while below 2^53.
  const pairs: number[] = [];
  const add = (t: number, g: number) => {
    if (t >= 0 && g >= 0) pairs.push(t * (G + 1) + g);
  };
  const { tasks, regions, logs } = m;
  for (let t = 0; t < T; t++) {
    add(t, tasks.startGoroutine[t] as number);
    add(t, tasks.endGoroutine[t] as number);
  }
  for (let i = 0; i < regions.length; i++) {
    add(lookupId(ids.sorted, ids.index, regions.task[i] as number), regions.goroutine[i] as number);
  }
  for (let i = 0; i < logs.length; i++) {
    add(lookupId(ids.sorted, ids.index, logs.task[i] as number), logs.goroutine[i] as number);
  }
  const sorted = Float64Array.from(pairs).sort();
  const start = new Uint32Array(T + 1);
  const out: number[] = [];
  let last = -1;
  for (const p of sorted) {
    if (p === last) continue;
    last = p;
    const t = Math.floor(p / (G + 1));
    start[t + 1] = (start[t + 1] as number) + 1;
    out.push(p - t * (G + 1));
  }
  for (let t = 0; t < T; t++) start[t + 1] = (start[t + 1] as number) + (start[t] as number);
  return { start, goroutines: Int32Array.from(out) };
}

function sortedFuncs(m: TraceModel): Int32Array {
  const seen = new Set<number>();
  const { func, length } = m.frames;
  for (let f = 0; f < length; f++) seen.add(func[f] as number);
  const out = Array.from(seen);
  const s = m.strings;
  out.sort((a, b) => compareStrings(s[a] ?? '', s[b] ?? ''));
  return Int32Array.from(out);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Distinct strings of a string-index column with their counts, sorted by name. */
export function nameCounts(
  strings: readonly string[],
  col: ArrayLike<number>,
  n: number,
): NameCounts {
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const s = col[i] as number;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const keys = Array.from(counts.keys()).filter((k) => k >= 0);
  keys.sort((a, b) => compareStrings(strings[a] ?? '', strings[b] ?? ''));
  return {
    names: keys.map((k) => strings[k] ?? ''),
    counts: Uint32Array.from(keys, (k) => counts.get(k) as number),
  };
}

/** What the evaluator and the completion need from one dlv log. */
export interface DlvQueryIndex {
  /** The log's last timestamp (ns on its own axis; NaN without timestamps): the end of calls that never returned. */
  lastNs: number;
  /** Function names of calls with their counts, sorted. */
  funcs: NameCounts;
}

export function buildDlvQueryIndex(d: DlvModel): DlvQueryIndex {
  let last = -Infinity;
  const t = d.lines.timeNs;
  for (let i = 0; i < d.lineCount; i++) {
    const x = t[i] as number;
    if (x > last) last = x;
  }
  return {
    lastNs: last === -Infinity ? NaN : last,
    funcs: nameCounts(d.strings, d.spans.func, d.spanCount),
  };
}
