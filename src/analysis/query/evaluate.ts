// Evaluating a parsed query (syntax.ts) over one execution trace and, optionally, dlv logs placed
// on its clock. Pure: (model, index, query, options) -> typed arrays.
//
// What a query returns. The query is an OR of ANDs; each AND is evaluated on its own and the
// results are joined (an item matched twice appears once).
// - Each key describes one kind of item: state, reason, fn, wakes, wokenby -> goroutine
//   intervals; dlv, arg, ret -> dlv calls; log -> logs; region -> regions; task -> tasks.
//   g and dur apply to every kind.
// - An AND without kind keys (`g:67`, `dur>1s`) returns every kind of item that passes it.
// - Otherwise it returns ONE kind: the first of interval, dlv call, log, region, task among its
//   keys. The terms of each other kind K become a condition on those items: "overlaps, on the same
//   goroutine, a K item that matches all the K terms" (`state:waiting region:lookup` is the waits
//   inside lookup regions; `log:phase dlv:main.refresh` the calls during which a phase log was
//   written). A task's goroutines are the ones that began or ended it or ran its regions or logs;
//   regions and logs belong to a task by their task id (Go's own association), so for region and
//   log results `task:` means "of such a task". `-` before such a term asks for items that overlap
//   no such K item; with positive K terms, negated K terms narrow which K items count.
// - g and dur always describe the returned items; so does the time range.
//
// Items and their times (ns since the trace's first event). Overlap is between half-open spans
// [start, end); an item of zero length is a point t, inside [a, b) when a <= t < b. The time range
// [a, b] keeps spans with start < b and end > a, and points with a <= t <= b.
// - interval: a run (queryIndex.ts) in running, runnable, waiting or syscall; `index` is its first
//   interval in model.intervals. Its stack is the goroutine's own (queryIndex.ts). reason: applies
//   to waiting runs and to runnable runs that carry a reason (stops: "preempted"); a reason term
//   never matches a running or syscall run, and -reason:x keeps them.
// - wokenby:N: runs begun by an unblock whose unblocker (model waker) is goroutine N: the runs of
//   the goroutines N woke, starting at the wake-up. wokenby:* is every run begun by a goroutine's
//   unblock.
// - wakes:N: for each run of goroutine N begun by an unblock from goroutine W, W's run at that
//   instant: its running run (the unblock is made by running code; when timestamps tie, the
//   running one is taken), else its latest run begun at or before it. These are the waker's
//   intervals, on the wakers' lanes. wakes:* is every run that woke a goroutine.
// - region, task: [start, end), a side open in the trace taken as the trace's start or end. A
//   task's lane is the goroutine that began it (the one that ended it if it began before the
//   trace); g: keeps a task when any of its goroutines is listed.
// - log: a point at its time. dlv call: [start, end) moved onto the trace's clock by the log's
//   offset; a call that never returned ends at the log's last timestamp; calls without times (a
//   log without timestamps) are not returned. A call's goroutine is the trace goroutine with its
//   id, or -1 (no lane) when the trace has none.

import { lowerBound, upperBound } from '../../base/search';
import { compileUserPattern } from '../../base/pattern';
import type { DlvModel } from '../../model/dlv';
import {
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_WAITING,
  type TraceModel,
  wakerOf,
} from '../../model/trace';
import { FAMILY_INDEX, reasonFamily } from '../reasons';
import { orderByKey } from './order';
import { compareStrings, goroutineOfId, type DlvQueryIndex, type QueryIndex } from './queryIndex';
import {
  KIND_COUNT,
  KIND_DLV,
  KIND_INTERVAL,
  KIND_LOG,
  KIND_REGION,
  KIND_TASK,
  keyInfo,
  parseQuery,
  type Comparison,
  type ParsedQuery,
  type QuerySyntaxError,
  type QueryTerm,
  type TermValue,
} from './syntax';

/** A dlv log placed on the trace's clock: trace time = the log's own time + offsetNs. */
export interface DlvSource {
  model: DlvModel;
  index: DlvQueryIndex;
  offsetNs: number;
}

export interface QueryOptions {
  /** dlv logs aligned to the trace (logs that could not be aligned are left out by the caller). */
  dlv?: readonly DlvSource[];
  /** Keep only results overlapping [a, b] (ns on the trace axis). */
  range?: readonly [number, number] | null;
}

/**
 * Results, one row per item, lane by lane: the rows of goroutine g are [laneStart[g],
 * laneStart[g + 1]) in start order (ties: interval, dlv call, log, region, task), so a lane draws
 * its results by binary search; rows without a lane (dlv calls of goroutines the trace does not
 * have) come last. `resultOrder` gives the list's orders (by start, by duration). Plain typed
 * arrays; at most one row per item of the trace and logs, 27 bytes each.
 */
export interface QueryResults {
  count: number;
  /** KIND_* */
  kind: Uint8Array;
  /** interval: first interval of the run (model.intervals); dlv: span; log, region, task: row. */
  index: Uint32Array;
  /** dlv calls: the log's position in options.dlv; 0 for the others. */
  source: Uint16Array;
  start: Float64Array;
  end: Float64Array;
  /** Goroutine index (lane), or -1. */
  goroutine: Int32Array;
  /** Rows of goroutine g: [laneStart[g], laneStart[g + 1]); length goroutines + 2 (the last slot: no lane). */
  laneStart: Uint32Array;
  /** Per goroutine index: 1 when some result is on its lane ("only lanes with results"). */
  goroutines: Uint8Array;
  /** Results of each kind (indexed by KIND_*). */
  kindCounts: Uint32Array;
}

export type QueryOutcome =
  { ok: true; query: ParsedQuery; results: QueryResults } | { ok: false; error: QuerySyntaxError };

/** Parses and evaluates `text`; a syntax error comes back as data (for the message under the box). */
export function runQuery(
  m: TraceModel,
  x: QueryIndex,
  text: string,
  options: QueryOptions = {},
): QueryOutcome {
  const parsed = parseQuery(text);
  if (!parsed.ok) return parsed;
  return { ok: true, query: parsed.query, results: evaluateQuery(m, x, parsed.query, options) };
}

interface Ctx {
  m: TraceModel;
  x: QueryIndex;
  dlv: readonly DlvSource[];
  duration: number;
  /**
   * What each distinct term computed (its mask over runs, reasons, stacks, goroutines or items),
   * for this evaluation only: the parentheses' expansion repeats terms in every alternative, and
   * a term such as wakes:* is a pass over every run.
   */
  memo: Map<string, unknown>;
}

/** The computation of a term's value, kept once per evaluation under `key` (see Ctx.memo). */
function memo<T>(c: Ctx, key: string, make: () => T): T {
  let v = c.memo.get(key) as T | undefined;
  if (v === undefined) {
    v = make();
    c.memo.set(key, v);
  }
  return v;
}

/** A term's key and value as text: equal for terms that select the same items (sign aside). */
function valueKey(t: QueryTerm): string {
  return `${t.key}\u0000${JSON.stringify(t.value)}`;
}

/** The per-kind result bitmaps. */
interface Marks {
  runs: Uint8Array;
  dlv: Uint8Array[];
  logs: Uint8Array;
  regions: Uint8Array;
  tasks: Uint8Array;
}

export function evaluateQuery(
  m: TraceModel,
  x: QueryIndex,
  query: ParsedQuery,
  options: QueryOptions = {},
): QueryResults {
  const c: Ctx = { m, x, dlv: options.dlv ?? [], duration: m.durationNs, memo: new Map() };
  const marks: Marks = {
    runs: new Uint8Array(x.runCount),
    dlv: c.dlv.map((d) => new Uint8Array(d.model.spanCount)),
    logs: new Uint8Array(m.logs.length),
    regions: new Uint8Array(m.regions.length),
    tasks: new Uint8Array(m.tasks.length),
  };
  const range = options.range ?? null;
  for (const and of query.alternatives) {
    const pos: QueryTerm[][] = Array.from({ length: KIND_COUNT }, () => []);
    const neg: QueryTerm[][] = Array.from({ length: KIND_COUNT }, () => []);
    const generic: QueryTerm[] = [];
    for (const t of and) {
      const k = keyInfo(t.key).kind;
      if (k < 0) generic.push(t);
      else (t.negated ? neg : pos)[k]!.push(t);
    }
    const gen = compileGeneric(c, generic, range);
    const present: number[] = [];
    for (let k = 0; k < KIND_COUNT; k++) {
      if (pos[k]!.length + neg[k]!.length > 0) present.push(k);
    }
    if (present.length === 0) {
      for (let k = 0; k < KIND_COUNT; k++) evalKind(c, k, [], [], gen, [], marks);
      continue;
    }
    const kind = present[0] as number;
    const contexts = present
      .slice(1)
      .map((k) => buildContext(c, k, kind, pos[k] as QueryTerm[], neg[k] as QueryTerm[]));
    evalKind(c, kind, pos[kind] as QueryTerm[], neg[kind] as QueryTerm[], gen, contexts, marks);
  }
  return collect(c, marks);
}

// ---------------------------------------------------------------- generic terms: g, dur, range

interface Generic {
  /** Per term: goroutine-index mask (null: any goroutine), Go ids (null: any), negated. */
  goroutines: Array<{ mask: Uint8Array | null; ids: Set<number> | null; negated: boolean }>;
  durations: Array<{ op: Comparison; ns: number; negated: boolean }>;
  range: readonly [number, number] | null;
}

function compileGeneric(
  c: Ctx,
  terms: QueryTerm[],
  range: readonly [number, number] | null,
): Generic {
  const out: Generic = { goroutines: [], durations: [], range };
  for (const t of terms) {
    const v = t.value;
    if (v.type === 'duration') {
      out.durations.push({ op: v.op, ns: v.ns, negated: t.negated });
    } else if (v.type === 'ids') {
      out.goroutines.push({
        mask: goroutineMask(c, v.ids),
        ids: new Set(v.ids),
        negated: t.negated,
      });
    } else if (v.type === 'any') {
      out.goroutines.push({ mask: null, ids: null, negated: t.negated });
    }
  }
  return out;
}

function goroutineMask(c: Ctx, ids: readonly number[]): Uint8Array {
  const mask = new Uint8Array(c.x.goroutineCount);
  for (const id of ids) {
    const g = goroutineOfId(c.x, id);
    if (g >= 0) mask[g] = 1;
  }
  return mask;
}

function compare(d: number, op: Comparison, ns: number): boolean {
  switch (op) {
    case '>':
      return d > ns;
    case '>=':
      return d >= ns;
    case '<':
      return d < ns;
    case '<=':
      return d <= ns;
    case '=':
      return d === ns;
  }
}

/** dur terms and the time range. */
function timeOk(gen: Generic, s: number, e: number): boolean {
  const ds = gen.durations;
  for (let k = 0; k < ds.length; k++) {
    const d = ds[k] as Generic['durations'][number];
    if (compare(e - s, d.op, d.ns) === d.negated) return false;
  }
  const r = gen.range;
  if (r !== null) {
    if (s === e ? !(s >= r[0] && s <= r[1]) : !(s < r[1] && e > r[0])) return false;
  }
  return true;
}

/** g terms for an item on goroutine index `g` (-1: none). */
function goroutineOk(gen: Generic, g: number): boolean {
  const gs = gen.goroutines;
  for (let k = 0; k < gs.length; k++) {
    const t = gs[k] as Generic['goroutines'][number];
    const hit = g >= 0 && (t.mask === null || t.mask[g] === 1);
    if (hit === t.negated) return false;
  }
  return true;
}

/** g terms for a dlv call on Go goroutine id `id`. */
function goroutineIdOk(gen: Generic, id: number): boolean {
  const gs = gen.goroutines;
  for (let k = 0; k < gs.length; k++) {
    const t = gs[k] as Generic['goroutines'][number];
    const hit = t.ids === null || t.ids.has(id);
    if (hit === t.negated) return false;
  }
  return true;
}

// ---------------------------------------------------------------- text values

type TextValue = Extract<TermValue, { type: 'text' }>;

function textTest(v: TextValue): (s: string) => boolean {
  switch (v.mode) {
    case 'exact':
      return (s) => s === v.text;
    case 'substring': {
      const needle = v.text.toLowerCase();
      return (s) => s.toLowerCase().includes(needle);
    }
    case 'regex': {
      const p = compileUserPattern(v.text, { ignoreCase: v.ignoreCase });
      return (s) => p.test(s);
    }
  }
}

/** A test of string-table entries, each string tested once. `any` passes every non-empty string. */
function stringTest(strings: readonly string[], v: TermValue): (i: number) => boolean {
  return memoized(strings, v.type === 'text' ? textTest(v) : (s: string) => s !== '');
}

/**
 * The values of a printed argument (or return value) list, one by one: split at commas and line
 * breaks outside brackets and quotes. Each value is given as written ("k: 62") and, when it has
 * a `name: ` prefix (`dlv trace -v`), without it ("62").
 */
export function printedValues(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  const push = (end: number) => {
    const v = s.slice(start, end).trim();
    if (v !== '') {
      out.push(v);
      const named = /^[\p{L}_][\p{L}\p{N}_]*: (.*)$/su.exec(v);
      if (named) out.push((named[1] as string).trim());
    }
    start = end + 1;
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (quote !== '') {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (ch === ',' || ch === '\n')) push(i);
  }
  push(s.length);
  return out;
}

/** A test of printed value lists: one of the values matches (`any`: there is a value). */
function valuesTest(strings: readonly string[], v: TermValue): (i: number) => boolean {
  if (v.type !== 'text') return memoized(strings, (s) => printedValues(s).length > 0);
  const test = textTest(v);
  return memoized(strings, (s) => printedValues(s).some(test));
}

function memoized(
  strings: readonly string[],
  test: (s: string) => boolean,
): (i: number) => boolean {
  const memo = new Int8Array(strings.length);
  return (i) => {
    if (i < 0 || i >= memo.length) return false;
    let r = memo[i] as number;
    if (r === 0) {
      r = test(strings[i] as string) ? 1 : 2;
      memo[i] = r;
    }
    return r === 1;
  };
}

// ---------------------------------------------------------------- items of each kind

function clampStart(s: number): number {
  return s === s ? s : 0;
}

function clampEnd(c: Ctx, e: number): number {
  return e === e ? e : c.duration;
}

/**
 * Per item of kind `kind` (not intervals): 1 when it matches term `t` (its positive sense). Kept
 * for the evaluation (Ctx.memo): callers read it, never write it.
 */
function termMask(c: Ctx, kind: number, t: QueryTerm, source = 0): Uint8Array {
  return memo(c, `item ${kind} ${source} ${valueKey(t)}`, () => itemMask(c, kind, t, source));
}

function itemMask(c: Ctx, kind: number, t: QueryTerm, source: number): Uint8Array {
  const { m } = c;
  switch (kind) {
    case KIND_REGION: {
      const test = stringTest(m.strings, t.value);
      const out = new Uint8Array(m.regions.length);
      for (let i = 0; i < out.length; i++) out[i] = test(m.regions.name[i] as number) ? 1 : 0;
      return out;
    }
    case KIND_TASK: {
      const test = stringTest(m.strings, t.value);
      const out = new Uint8Array(m.tasks.length);
      for (let i = 0; i < out.length; i++) out[i] = test(m.tasks.name[i] as number) ? 1 : 0;
      return out;
    }
    case KIND_LOG: {
      const test = stringTest(m.strings, t.value);
      const out = new Uint8Array(m.logs.length);
      for (let i = 0; i < out.length; i++) {
        out[i] = test(m.logs.category[i] as number) || test(m.logs.message[i] as number) ? 1 : 0;
      }
      return out;
    }
    case KIND_DLV: {
      const d = (c.dlv[source] as DlvSource).model;
      const sp = d.spans;
      const out = new Uint8Array(d.spanCount);
      if (t.key === 'dlv') {
        const test = stringTest(d.strings, t.value);
        for (let i = 0; i < out.length; i++) {
          out[i] = test(sp.func[i] as number) || test(sp.tracepoint[i] as number) ? 1 : 0;
        }
      } else {
        const test = valuesTest(d.strings, t.value);
        const col = t.key === 'arg' ? sp.args : sp.returns;
        for (let i = 0; i < out.length; i++) out[i] = test(col[i] as number) ? 1 : 0;
      }
      return out;
    }
  }
  throw new Error(`no item mask for kind ${kind}`);
}

function itemCount(c: Ctx, kind: number, source = 0): number {
  switch (kind) {
    case KIND_REGION:
      return c.m.regions.length;
    case KIND_TASK:
      return c.m.tasks.length;
    case KIND_LOG:
      return c.m.logs.length;
    case KIND_DLV:
      return (c.dlv[source] as DlvSource).model.spanCount;
  }
  return 0;
}

/** Items matching every positive term and no negated one (all items when there are none). */
function kindMask(
  c: Ctx,
  kind: number,
  pos: QueryTerm[],
  neg: QueryTerm[],
  source = 0,
): Uint8Array {
  const out = new Uint8Array(itemCount(c, kind, source)).fill(1);
  for (const t of pos) {
    const mk = termMask(c, kind, t, source);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) & (mk[i] as number);
  }
  for (const t of neg) {
    const mk = termMask(c, kind, t, source);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) & ((mk[i] as number) ^ 1);
  }
  return out;
}

/** Items matching any of the terms (their positive sense). */
function anyMask(c: Ctx, kind: number, terms: QueryTerm[], source = 0): Uint8Array {
  const out = new Uint8Array(itemCount(c, kind, source));
  for (const t of terms) {
    const mk = termMask(c, kind, t, source);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) | (mk[i] as number);
  }
  return out;
}

// ---------------------------------------------------------------- contexts

/** Time spans per goroutine, for "overlaps one of them on the same goroutine". */
interface GoroutineSpans {
  /** Spans (positive length) of goroutine g: [spanStart[g], spanStart[g + 1]), sorted by start. */
  spanStart: Uint32Array;
  a: Float64Array;
  /** Running maximum of the spans' ends within each goroutine's slice. */
  maxB: Float64Array;
  /** Points (zero length) of goroutine g: [pointStart[g], pointStart[g + 1]), ascending. */
  pointStart: Uint32Array;
  t: Float64Array;
}

type Context =
  | { type: 'spans'; spans: GoroutineSpans; negated: boolean }
  | { type: 'tasks'; ids: Set<number>; negated: boolean };

function buildContext(
  c: Ctx,
  kind: number,
  resultKind: number,
  pos: QueryTerm[],
  neg: QueryTerm[],
): Context {
  // The alternatives of a query repeat the same context terms: built once per evaluation.
  const keys = (ts: QueryTerm[]) => ts.map(valueKey).sort(compareStrings).join('\u0001');
  const key = `context ${kind} ${resultKind} ${keys(pos)}\u0002${keys(neg)}`;
  return memo(c, key, () => makeContext(c, kind, resultKind, pos, neg));
}

function makeContext(
  c: Ctx,
  kind: number,
  resultKind: number,
  pos: QueryTerm[],
  neg: QueryTerm[],
): Context {
  // With positive terms: items matching them (and none of the negated ones), required. With only
  // negated terms: items matching any of them, excluded.
  const negated = pos.length === 0;
  const mask = (source = 0) =>
    negated ? anyMask(c, kind, neg, source) : kindMask(c, kind, pos, neg, source);
  const { m, x } = c;
  if (kind === KIND_TASK && (resultKind === KIND_REGION || resultKind === KIND_LOG)) {
    const mk = mask();
    const ids = new Set<number>();
    for (let t = 0; t < mk.length; t++) if (mk[t]) ids.add(m.tasks.id[t] as number);
    return { type: 'tasks', ids, negated };
  }
  const g: number[] = [];
  const s: number[] = [];
  const e: number[] = [];
  const add = (gi: number, a: number, b: number) => {
    if (gi < 0) return;
    g.push(gi);
    s.push(a);
    e.push(Math.max(a, b));
  };
  switch (kind) {
    case KIND_REGION: {
      const mk = mask();
      const r = m.regions;
      for (let i = 0; i < mk.length; i++) {
        if (mk[i])
          add(
            r.goroutine[i] as number,
            clampStart(r.start[i] as number),
            clampEnd(c, r.end[i] as number),
          );
      }
      break;
    }
    case KIND_LOG: {
      const mk = mask();
      const l = m.logs;
      for (let i = 0; i < mk.length; i++) {
        if (mk[i]) add(l.goroutine[i] as number, l.time[i] as number, l.time[i] as number);
      }
      break;
    }
    case KIND_TASK: {
      const mk = mask();
      const tk = m.tasks;
      for (let t = 0; t < mk.length; t++) {
        if (!mk[t]) continue;
        const a = clampStart(tk.start[t] as number);
        const b = clampEnd(c, tk.end[t] as number);
        for (let k = x.taskGoStart[t] as number; k < (x.taskGoStart[t + 1] as number); k++) {
          add(x.taskGo[k] as number, a, b);
        }
      }
      break;
    }
    case KIND_DLV: {
      c.dlv.forEach((src, si) => {
        const mk = mask(si);
        const sp = src.model.spans;
        for (let i = 0; i < mk.length; i++) {
          if (!mk[i]) continue;
          const t = dlvTimes(src, i);
          if (t === null) continue;
          add(goroutineOfId(x, sp.goroutine[i] as number), t[0], t[1]);
        }
      });
      break;
    }
  }
  return { type: 'spans', spans: buildSpans(x.goroutineCount, g, s, e), negated };
}

function buildSpans(G: number, g: number[], s: number[], e: number[]): GoroutineSpans {
  const n = g.length;
  const spanStart = new Uint32Array(G + 1);
  const pointStart = new Uint32Array(G + 1);
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    if ((e[i] as number) > (s[i] as number)) spanStart[gi + 1] = (spanStart[gi + 1] as number) + 1;
    else pointStart[gi + 1] = (pointStart[gi + 1] as number) + 1;
  }
  for (let k = 0; k < G; k++) {
    spanStart[k + 1] = (spanStart[k + 1] as number) + (spanStart[k] as number);
    pointStart[k + 1] = (pointStart[k + 1] as number) + (pointStart[k] as number);
  }
  const a = new Float64Array(spanStart[G] as number);
  const b = new Float64Array(a.length);
  const t = new Float64Array(pointStart[G] as number);
  const sc = spanStart.slice(0, G);
  const pc = pointStart.slice(0, G);
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    if ((e[i] as number) > (s[i] as number)) {
      const p = sc[gi] as number;
      sc[gi] = p + 1;
      a[p] = s[i] as number;
      b[p] = e[i] as number;
    } else {
      const p = pc[gi] as number;
      pc[gi] = p + 1;
      t[p] = s[i] as number;
    }
  }
  const maxB = new Float64Array(a.length);
  for (let gi = 0; gi < G; gi++) {
    const lo = spanStart[gi] as number;
    const hi = spanStart[gi + 1] as number;
    if (hi - lo > 1) sortSpans(a, b, lo, hi);
    let mx = -Infinity;
    for (let k = lo; k < hi; k++) {
      mx = Math.max(mx, b[k] as number);
      maxB[k] = mx;
    }
    const plo = pointStart[gi] as number;
    const phi = pointStart[gi + 1] as number;
    if (phi - plo > 1) t.subarray(plo, phi).sort();
  }
  return { spanStart, a, maxB, pointStart, t };
}

/** Sorts spans [lo, hi) by start (a, b moved together), when not sorted already. */
function sortSpans(a: Float64Array, b: Float64Array, lo: number, hi: number): void {
  let sorted = true;
  for (let k = lo + 1; k < hi; k++) {
    if ((a[k] as number) < (a[k - 1] as number)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  const idx = Array.from({ length: hi - lo }, (_, k) => lo + k);
  idx.sort((p, q) => (a[p] as number) - (a[q] as number));
  const na = idx.map((p) => a[p] as number);
  const nb = idx.map((p) => b[p] as number);
  a.set(na, lo);
  b.set(nb, lo);
}

/** Whether [s, e) (a point when s === e) overlaps a span or point of goroutine g. */
function overlapsAny(sp: GoroutineSpans, g: number, s: number, e: number): boolean {
  if (g < 0) return false;
  const lo = sp.spanStart[g] as number;
  const hi = sp.spanStart[g + 1] as number;
  if (hi > lo) {
    // Spans that can overlap begin before e (at or before s for a point); one of them must end after s.
    const k = s === e ? upperBound(sp.a, s, lo, hi) : lowerBound(sp.a, e, lo, hi);
    if (k > lo && (sp.maxB[k - 1] as number) > s) return true;
  }
  const plo = sp.pointStart[g] as number;
  const phi = sp.pointStart[g + 1] as number;
  if (phi > plo) {
    const k = lowerBound(sp.t, s, plo, phi);
    if (k < phi && (s === e ? sp.t[k] === s : (sp.t[k] as number) < e)) return true;
  }
  return false;
}

function contextsOk(contexts: Context[], g: number, s: number, e: number, task = -1): boolean {
  for (let k = 0; k < contexts.length; k++) {
    const cx = contexts[k] as Context;
    const hit = cx.type === 'spans' ? overlapsAny(cx.spans, g, s, e) : cx.ids.has(task);
    if (hit === cx.negated) return false;
  }
  return true;
}

// ---------------------------------------------------------------- evaluation per kind

function evalKind(
  c: Ctx,
  kind: number,
  pos: QueryTerm[],
  neg: QueryTerm[],
  gen: Generic,
  contexts: Context[],
  marks: Marks,
): void {
  const { m, x } = c;
  switch (kind) {
    case KIND_INTERVAL:
      evalRuns(c, compileRunFilter(c, pos, neg), gen, contexts, marks.runs);
      return;
    case KIND_REGION: {
      const mk = kindMask(c, kind, pos, neg);
      const r = m.regions;
      for (let i = 0; i < mk.length; i++) {
        if (!mk[i]) continue;
        const g = r.goroutine[i] as number;
        const s = clampStart(r.start[i] as number);
        const e = clampEnd(c, r.end[i] as number);
        if (
          goroutineOk(gen, g) &&
          timeOk(gen, s, e) &&
          contextsOk(contexts, g, s, e, r.task[i] as number)
        ) {
          marks.regions[i] = 1;
        }
      }
      return;
    }
    case KIND_LOG: {
      const mk = kindMask(c, kind, pos, neg);
      const l = m.logs;
      for (let i = 0; i < mk.length; i++) {
        if (!mk[i]) continue;
        const g = l.goroutine[i] as number;
        const t = l.time[i] as number;
        if (
          goroutineOk(gen, g) &&
          timeOk(gen, t, t) &&
          contextsOk(contexts, g, t, t, l.task[i] as number)
        ) {
          marks.logs[i] = 1;
        }
      }
      return;
    }
    case KIND_TASK: {
      const mk = kindMask(c, kind, pos, neg);
      const tk = m.tasks;
      for (let i = 0; i < mk.length; i++) {
        if (!mk[i]) continue;
        const s = clampStart(tk.start[i] as number);
        const e = clampEnd(c, tk.end[i] as number);
        if (!timeOk(gen, s, e) || !taskGoroutinesOk(c, gen, i)) continue;
        // Tasks come last in priority: nothing else is ever their context.
        marks.tasks[i] = 1;
      }
      return;
    }
    case KIND_DLV:
      c.dlv.forEach((src, si) => {
        const mk = kindMask(c, kind, pos, neg, si);
        const sp = src.model.spans;
        const out = marks.dlv[si] as Uint8Array;
        for (let i = 0; i < mk.length; i++) {
          if (!mk[i]) continue;
          const t = dlvTimes(src, i);
          if (t === null) continue;
          const id = sp.goroutine[i] as number;
          if (!goroutineIdOk(gen, id) || !timeOk(gen, t[0], t[1])) continue;
          if (contexts.length > 0 && !contextsOk(contexts, goroutineOfId(x, id), t[0], t[1]))
            continue;
          out[i] = 1;
        }
      });
      return;
  }
}

function taskGoroutinesOk(c: Ctx, gen: Generic, t: number): boolean {
  const gs = gen.goroutines;
  if (gs.length === 0) return true;
  const { taskGoStart, taskGo } = c.x;
  const lo = taskGoStart[t] as number;
  const hi = taskGoStart[t + 1] as number;
  for (const term of gs) {
    let hit = false;
    for (let k = lo; k < hi && !hit; k++) {
      const g = taskGo[k] as number;
      hit = term.mask === null || term.mask[g] === 1;
    }
    if (hit === term.negated) return false;
  }
  return true;
}

/** A dlv call's [start, end) on the trace clock, or null when it has no time. */
function dlvTimes(src: DlvSource, i: number): [number, number] | null {
  const sp = src.model.spans;
  const s = sp.startNs[i] as number;
  if (s !== s) return null;
  let e = sp.endNs[i] as number;
  if (e !== e) e = src.index.lastNs;
  if (!(e >= s)) e = s;
  return [s + src.offsetNs, e + src.offsetNs];
}

// ---------------------------------------------------------------- intervals (runs)

/**
 * The interval terms of an alternative, one mask per property and sense whatever the number of
 * terms: the positive terms' masks ANDed (a run must match each), the negated ones' ORed (it must
 * match none); null where no term asks.
 */
interface RunFilter {
  /** Allowed GS_* states. */
  states: Uint8Array;
  /** Over the reason table: must (pos) or must not (neg) hold, where reason applies. */
  reasonPos: Uint8Array | null;
  reasonNeg: Uint8Array | null;
  /** Over stacks (the run's own stack). */
  stackPos: Uint8Array | null;
  stackNeg: Uint8Array | null;
  /** Over goroutines (the run's waker). */
  wakerPos: Uint8Array | null;
  wakerNeg: Uint8Array | null;
  /** Over runs (wakes:). */
  runPos: Uint8Array | null;
  runNeg: Uint8Array | null;
  /** When a positive wakes: term narrows the runs: those runs, ascending. */
  candidates: Int32Array | null;
}

interface KeyedMask {
  key: string;
  mask: Uint8Array;
}

/**
 * The masks of one property and sense ANDed or ORed into one (null for none), kept per evaluation
 * under the terms' keys: the alternatives of a query repeat the same terms. Never writes a mask
 * it is given (they are Ctx.memo's).
 */
function combine(c: Ctx, op: 'and' | 'or', terms: KeyedMask[]): Uint8Array | null {
  if (terms.length === 0) return null;
  if (terms.length === 1) return (terms[0] as KeyedMask).mask;
  const sorted = [...terms].sort((a, b) => compareStrings(a.key, b.key));
  return memo(c, `${op} ${sorted.map((t) => t.key).join('\u0001')}`, () => {
    const out = (sorted[0] as KeyedMask).mask.slice();
    for (let k = 1; k < sorted.length; k++) {
      const mk = (sorted[k] as KeyedMask).mask;
      if (op === 'and')
        for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) & (mk[i] as number);
      else for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) | (mk[i] as number);
    }
    return out;
  });
}

function compileRunFilter(c: Ctx, pos: QueryTerm[], neg: QueryTerm[]): RunFilter {
  const f: RunFilter = {
    states: new Uint8Array(8),
    reasonPos: null,
    reasonNeg: null,
    stackPos: null,
    stackNeg: null,
    wakerPos: null,
    wakerNeg: null,
    runPos: null,
    runNeg: null,
    candidates: null,
  };
  for (const s of [GS_RUNNING, GS_RUNNABLE, GS_WAITING, GS_SYSCALL]) f.states[s] = 1;
  // Per property: the masks of the positive terms and of the negated ones.
  const masks = {
    reason: [[], []] as KeyedMask[][],
    fn: [[], []] as KeyedMask[][],
    wokenby: [[], []] as KeyedMask[][],
    wakes: [[], []] as KeyedMask[][],
  };
  const seen = new Set<string>();
  for (const t of [...pos, ...neg]) {
    const v = t.value;
    const vk = valueKey(t);
    // A term said twice says nothing more.
    if (seen.has(`${t.negated ? '-' : '+'}${vk}`)) continue;
    seen.add(`${t.negated ? '-' : '+'}${vk}`);
    switch (t.key) {
      case 'state': {
        const set = new Uint8Array(8);
        if (v.type === 'any') set.fill(1);
        else if (v.type === 'states') for (const s of v.states) set[s] = 1;
        for (let s = 0; s < 8; s++) {
          if ((set[s] === 1) === t.negated) f.states[s] = 0;
        }
        break;
      }
      case 'reason': {
        const mask = memo(c, vk, () => reasonMask(c, v));
        masks.reason[t.negated ? 1 : 0]!.push({ key: vk, mask });
        break;
      }
      case 'fn': {
        const mask = memo(c, vk, () => stackMask(c, v));
        masks.fn[t.negated ? 1 : 0]!.push({ key: vk, mask });
        break;
      }
      case 'wokenby': {
        const mask = memo(c, vk, () =>
          v.type === 'ids' ? goroutineMask(c, v.ids) : new Uint8Array(c.x.goroutineCount).fill(1),
        );
        masks.wokenby[t.negated ? 1 : 0]!.push({ key: vk, mask });
        break;
      }
      case 'wakes': {
        const runs = memo(c, vk, () => wakerRuns(c, v.type === 'ids' ? v.ids : null));
        masks.wakes[t.negated ? 1 : 0]!.push({ key: vk, mask: runs.mask });
        if (!t.negated) {
          f.candidates =
            f.candidates === null ? runs.list : f.candidates.filter((r) => runs.mask[r] === 1);
        }
        break;
      }
    }
  }
  f.reasonPos = combine(c, 'and', masks.reason[0]!);
  f.reasonNeg = combine(c, 'or', masks.reason[1]!);
  f.stackPos = combine(c, 'and', masks.fn[0]!);
  f.stackNeg = combine(c, 'or', masks.fn[1]!);
  f.wakerPos = combine(c, 'and', masks.wokenby[0]!);
  f.wakerNeg = combine(c, 'or', masks.wokenby[1]!);
  f.runPos = combine(c, 'and', masks.wakes[0]!);
  f.runNeg = combine(c, 'or', masks.wakes[1]!);
  return f;
}

function reasonMask(c: Ctx, v: TermValue): Uint8Array {
  const reasons = c.m.reasons;
  const out = new Uint8Array(reasons.length);
  if (v.type === 'family') {
    const fam = FAMILY_INDEX[v.family];
    for (let r = 0; r < reasons.length; r++) {
      out[r] = FAMILY_INDEX[reasonFamily(reasons[r] as string)] === fam ? 1 : 0;
    }
  } else if (v.type === 'text') {
    const test = textTest(v);
    for (let r = 0; r < reasons.length; r++) out[r] = test(reasons[r] as string) ? 1 : 0;
  } else {
    for (let r = 0; r < reasons.length; r++) out[r] = reasons[r] !== '' ? 1 : 0;
  }
  return out;
}

/** Per stack: 1 when one of its frames' functions matches (parents come first in the table). */
function stackMask(c: Ctx, v: TermValue): Uint8Array {
  const { frames, stacks, strings } = c.m;
  const out = new Uint8Array(stacks.length);
  if (v.type === 'any') return out.fill(1);
  const test = stringTest(strings, v);
  const frameHit = new Uint8Array(frames.length);
  for (let f = 0; f < frames.length; f++) frameHit[f] = test(frames.func[f] as number) ? 1 : 0;
  const { frame, parent } = stacks;
  for (let s = 0; s < stacks.length; s++) {
    const p = parent[s] as number;
    out[s] = frameHit[frame[s] as number] === 1 || (p >= 0 && out[p] === 1) ? 1 : 0;
  }
  return out;
}

/** The start of run r. */
function runStart(c: Ctx, r: number): number {
  return c.m.intervals.start[c.x.runIv[r] as number] as number;
}

/**
 * The runs of the goroutines that woke goroutines `ids` (null: any goroutine), see the header:
 * a mask over runs and the list of them, ascending.
 */
function wakerRuns(c: Ctx, ids: readonly number[] | null): { mask: Uint8Array; list: Int32Array } {
  const { m, x } = c;
  const mask = new Uint8Array(x.runCount);
  const { wakerAt, wakerG, wakerStart } = m.intervals;
  const visit = (g: number) => {
    // The goroutine's wakers, walked with its runs (both ascend by interval).
    const wEnd = wakerStart[g + 1] as number;
    let wk = wakerStart[g] as number;
    for (let r = x.goRuns[g] as number; r < (x.goRuns[g + 1] as number) && wk < wEnd; r++) {
      const i = x.runIv[r] as number;
      while (wk < wEnd && (wakerAt[wk] as number) < i) wk++;
      if (wk === wEnd || wakerAt[wk] !== i) continue;
      const k = wakerRunAt(c, wakerG[wk] as number, runStart(c, r));
      if (k >= 0) mask[k] = 1;
    }
  };
  if (ids === null) for (let g = 0; g < x.goroutineCount; g++) visit(g);
  else
    for (const id of ids) {
      const g = goroutineOfId(x, id);
      if (g >= 0) visit(g);
    }
  const list: number[] = [];
  for (let r = 0; r < mask.length; r++) if (mask[r]) list.push(r);
  return { mask, list: Int32Array.from(list) };
}

/** Goroutine w's run at instant t: a running one when several touch t, else the latest begun by t. */
function wakerRunAt(c: Ctx, w: number, t: number): number {
  const { m, x } = c;
  const a = x.goRuns[w] as number;
  const b = x.goRuns[w + 1] as number;
  // Last run with start <= t.
  let lo = a;
  let hi = b;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (runStart(c, mid) <= t) lo = mid + 1;
    else hi = mid;
  }
  const k = lo - 1;
  if (k < a) return -1;
  const state = m.intervals.state;
  for (let j = k; j >= a; j--) {
    if (state[x.runIv[j] as number] === GS_RUNNING) return j;
    if (runStart(c, j) < t) break;
  }
  return k;
}

function evalRuns(c: Ctx, f: RunFilter, gen: Generic, contexts: Context[], out: Uint8Array): void {
  const { m, x } = c;
  const iv = m.intervals;
  const state = iv.state;
  const reason = iv.reason;
  const starts = iv.start;
  const { goRuns, runIv, runStack } = x;
  const duration = c.duration;
  const states = f.states;
  const range = gen.range;
  const check = (g: number, r: number, end: number): void => {
    const i = runIv[r] as number;
    const st = state[i] as number;
    if (states[st] !== 1) return;
    const { reasonPos, reasonNeg, stackPos, stackNeg, wakerPos, wakerNeg, runPos, runNeg } = f;
    if (reasonPos !== null || reasonNeg !== null) {
      const rs = reason[i] as number;
      const applies = st === GS_WAITING || (st === GS_RUNNABLE && rs !== 0);
      if (reasonPos !== null && (!applies || reasonPos[rs] !== 1)) return;
      if (reasonNeg !== null && applies && reasonNeg[rs] === 1) return;
    }
    const s = starts[i] as number;
    const e = r + 1 < end ? (starts[runIv[r + 1] as number] as number) : duration;
    if (!timeOk(gen, s, e)) return;
    if (stackPos !== null || stackNeg !== null) {
      const sk = runStack[r] as number;
      if (stackPos !== null && (sk < 0 || stackPos[sk] !== 1)) return;
      if (stackNeg !== null && sk >= 0 && stackNeg[sk] === 1) return;
    }
    if (wakerPos !== null || wakerNeg !== null) {
      const w = wakerOf(iv, g, i);
      if (wakerPos !== null && (w < 0 || wakerPos[w] !== 1)) return;
      if (wakerNeg !== null && w >= 0 && wakerNeg[w] === 1) return;
    }
    if (runPos !== null && runPos[r] !== 1) return;
    if (runNeg !== null && runNeg[r] === 1) return;
    if (gen.goroutines.length > 0 && !goroutineOk(gen, g)) return;
    if (contexts.length > 0 && !contextsOk(contexts, g, s, e)) return;
    out[r] = 1;
  };
  if (f.candidates !== null) {
    for (const r of f.candidates) {
      const g = upperBound(goRuns, r) - 1;
      check(g, r, goRuns[g + 1] as number);
    }
    return;
  }
  const stack0 = f.stackPos;
  const waker0 = f.wakerPos;
  const { wakerAt, wakerG, wakerStart } = iv;
  // Goroutines a positive g: term names are the only ones to visit.
  let only: Uint8Array | null = null;
  for (const t of gen.goroutines) if (!t.negated && t.mask !== null) only = t.mask;
  for (let g = 0; g < x.goroutineCount; g++) {
    if (only !== null && only[g] !== 1) continue;
    // The goroutine's wakers, walked with its runs (both ascend by interval).
    const wEnd = wakerStart[g + 1] as number;
    let wk = wakerStart[g] as number;
    if (waker0 !== null && wk === wEnd) continue;
    const a = goRuns[g] as number;
    const b = goRuns[g + 1] as number;
    let r = a;
    if (range !== null) {
      // The first run that can reach range[0]: the last one begun at or before it.
      let lo = a;
      let hi = b;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((starts[runIv[mid] as number] as number) <= range[0]) lo = mid + 1;
        else hi = mid;
      }
      r = Math.max(a, lo - 1);
      // Zero-length runs at range[0] before it are points inside the range too.
      while (r > a && (starts[runIv[r - 1] as number] as number) === range[0]) r--;
    }
    for (; r < b; r++) {
      // The cheap tests inline, before the full check: most runs fail one of them.
      const i = runIv[r] as number;
      if (range !== null && (starts[i] as number) > range[1]) break;
      if (states[state[i] as number] !== 1) continue;
      if (stack0 !== null) {
        const sk = runStack[r] as number;
        if (sk < 0 || stack0[sk] !== 1) continue;
      }
      if (waker0 !== null) {
        while (wk < wEnd && (wakerAt[wk] as number) < i) wk++;
        if (wk === wEnd || wakerAt[wk] !== i || waker0[wakerG[wk] as number] !== 1) continue;
      }
      check(g, r, b);
    }
  }
}

// ---------------------------------------------------------------- results

function collect(c: Ctx, marks: Marks): QueryResults {
  const { m, x } = c;
  const G = x.goroutineCount;
  const kindCounts = new Uint32Array(KIND_COUNT);
  // Lane of each item: its goroutine, or G for none. Pass 1 counts per lane.
  const laneStart = new Uint32Array(G + 2);
  const runs = marks.runs;
  for (let g = 0; g < G; g++) {
    let k = 0;
    const b = x.goRuns[g + 1] as number;
    for (let r = x.goRuns[g] as number; r < b; r++) k += runs[r] as number;
    laneStart[g + 1] = k;
    kindCounts[KIND_INTERVAL] = (kindCounts[KIND_INTERVAL] as number) + k;
  }
  const lane = (g: number) => (g >= 0 && g < G ? g : G);
  // Lanes that receive items other than intervals: their slices are sorted by start afterwards.
  const mixed = new Uint8Array(G + 1);
  const others: Array<{
    kind: number;
    source: number;
    marks: Uint8Array;
    lane: (i: number) => number;
  }> = [];
  c.dlv.forEach((src, si) => {
    const ids = src.model.spans.goroutine;
    others.push({
      kind: KIND_DLV,
      source: si,
      marks: marks.dlv[si] as Uint8Array,
      lane: (i) => lane(goroutineOfId(x, ids[i] as number)),
    });
  });
  others.push({
    kind: KIND_LOG,
    source: 0,
    marks: marks.logs,
    lane: (i) => lane(m.logs.goroutine[i] as number),
  });
  others.push({
    kind: KIND_REGION,
    source: 0,
    marks: marks.regions,
    lane: (i) => lane(m.regions.goroutine[i] as number),
  });
  others.push({
    kind: KIND_TASK,
    source: 0,
    marks: marks.tasks,
    lane: (i) => lane(taskLane(m, i)),
  });
  for (const o of others) {
    for (let i = 0; i < o.marks.length; i++) {
      if (!o.marks[i]) continue;
      const l = o.lane(i);
      laneStart[l + 1] = (laneStart[l + 1] as number) + 1;
      mixed[l] = 1;
      kindCounts[o.kind] = (kindCounts[o.kind] as number) + 1;
    }
  }
  for (let l = 0; l <= G; l++)
    laneStart[l + 1] = (laneStart[l + 1] as number) + (laneStart[l] as number);
  const n = laneStart[G + 1] as number;
  const out: QueryResults = {
    count: n,
    kind: new Uint8Array(n),
    index: new Uint32Array(n),
    source: new Uint16Array(n),
    start: new Float64Array(n),
    end: new Float64Array(n),
    goroutine: new Int32Array(n),
    laneStart,
    goroutines: new Uint8Array(G),
    kindCounts,
  };
  // Pass 2: intervals lane by lane (in time order already), then the other kinds after them.
  const cursor = laneStart.slice(0, G + 1);
  const starts = m.intervals.start;
  for (let g = 0; g < G; g++) {
    const b = x.goRuns[g + 1] as number;
    let p = cursor[g] as number;
    for (let r = x.goRuns[g] as number; r < b; r++) {
      if (!runs[r]) continue;
      const i = x.runIv[r] as number;
      out.index[p] = i;
      out.start[p] = starts[i] as number;
      out.end[p] = r + 1 < b ? (starts[x.runIv[r + 1] as number] as number) : c.duration;
      out.goroutine[p++] = g;
    }
    cursor[g] = p;
  }
  for (const o of others) {
    for (let i = 0; i < o.marks.length; i++) {
      if (!o.marks[i]) continue;
      const l = o.lane(i);
      const p = cursor[l] as number;
      cursor[l] = p + 1;
      out.kind[p] = o.kind;
      out.index[p] = i;
      out.source[p] = o.source;
      const t = itemTimes(c, o.kind, o.source, i);
      out.start[p] = t[0];
      out.end[p] = t[1];
      out.goroutine[p] = l < G ? l : -1;
    }
  }
  for (let l = 0; l <= G; l++) {
    const lo = laneStart[l] as number;
    const hi = laneStart[l + 1] as number;
    if (l < G && hi > lo) out.goroutines[l] = 1;
    if (mixed[l] && hi - lo > 1) sortLane(out, lo, hi);
  }
  return out;
}

/** A task's lane: the goroutine that began it, or the one that ended it. */
function taskLane(m: TraceModel, t: number): number {
  const g = m.tasks.startGoroutine[t] as number;
  return g >= 0 ? g : (m.tasks.endGoroutine[t] as number);
}

/** [start, end) of an item other than an interval (on the trace clock, open sides clamped). */
function itemTimes(c: Ctx, kind: number, source: number, i: number): [number, number] {
  const m = c.m;
  switch (kind) {
    case KIND_DLV:
      return dlvTimes(c.dlv[source] as DlvSource, i) as [number, number];
    case KIND_LOG:
      return [m.logs.time[i] as number, m.logs.time[i] as number];
    case KIND_REGION:
      return [clampStart(m.regions.start[i] as number), clampEnd(c, m.regions.end[i] as number)];
    default:
      return [clampStart(m.tasks.start[i] as number), clampEnd(c, m.tasks.end[i] as number)];
  }
}

/** Sorts the rows [lo, hi) by start, stably (rows already in order stay as they are). */
function sortLane(r: QueryResults, lo: number, hi: number): void {
  let sorted = true;
  for (let p = lo + 1; p < hi && sorted; p++)
    sorted = (r.start[p - 1] as number) <= (r.start[p] as number);
  if (sorted) return;
  const order = orderByKey(r.start.subarray(lo, hi));
  const permute = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(
    col: T,
  ) => {
    const copy = col.slice(lo, hi);
    for (let q = 0; q < order.length; q++) col[lo + q] = copy[order[q] as number] as number;
  };
  permute(r.kind);
  permute(r.index);
  permute(r.source);
  permute(r.start);
  permute(r.end);
  permute(r.goroutine);
}

/**
 * An order of the results for the list: by start or by duration, ascending or descending. Ties
 * keep the results' own order (start, then kind and index).
 */
export function resultOrder(
  res: QueryResults,
  by: 'start' | 'duration',
  descending = false,
): Uint32Array {
  const keys = new Float64Array(res.count);
  const sign = descending ? -1 : 1;
  for (let i = 0; i < res.count; i++) {
    const k =
      by === 'start' ? (res.start[i] as number) : (res.end[i] as number) - (res.start[i] as number);
    keys[i] = sign * k;
  }
  return orderByKey(keys);
}
