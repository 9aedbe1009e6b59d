// The view state that links and session bundles carry, as a URL-hash string (all optional):
//   v=START,END        visible range (ns on the session axis)
//   sel=START,END      time selection
//   pick=FILE.d.SPAN   selected dlv call (file position in the session, span index)
//   pick=FILE.i.IDX    selected goroutine state interval of a trace
//   src=KEY            flame graph source: trace:cpu|blocked|sched|syscall, or pprof:FILE (position)
//   st=FILE.TYPE       sample type chosen for a profile
//   q, focus, ignore, hide, fn, zoom (names joined by "|"), split=0|1, mode=sandwich,
//   scope=selected|lanes|list, cmp=START,END (baseline range)
//   gs=ID,ID           the flame graph's goroutine list (scope=list: "5 of the sync spike"),
//   gsl=LABEL          and what the list is ("of the sync spike")
//   lf=FILTER, ls=SORT, lc=KEY|KEY (collapsed groups), le=KEY|KEY (expanded groups)
//   only=ID,ID         the lane limit: only these goroutines' lanes (a spike's, a highlight's)
//   off=FILE:NS,FILE:NS  manual alignment offsets
//   sq=QUERY             the search box's query; ss=1 keeps its results to the selection,
//   so=1 shows only the lanes with results
// Unknown keys are ignored and bad values dropped, so an old or edited link still opens. Links
// and bundles come from anyone: every number must be finite and within bounds (positions and
// indexes safe integers, times within MAX_ABS_NS), ranges ordered, strings and lists bounded
// (MAX_STRING, MAX_LIST), and a hash longer than MAX_HASH is not read at all. Ranges are clamped
// to the session axis when applied (clampRange), and dropped when nothing of them is left.

import type { LaneSort } from '../analysis/timelineRows';
import type { FlameState, Selection, TimeRange } from './types';

export interface ViewState {
  view?: TimeRange;
  selection?: TimeRange;
  pick?: { file: number; kind: 'd' | 'i'; index: number };
  flame?: Partial<
    Pick<
      FlameState,
      'search' | 'focus' | 'ignore' | 'hide' | 'func' | 'zoom' | 'split' | 'mode' | 'compare'
    >
  > & {
    scope?: 'selected' | 'lanes' | 'list';
    /** Goroutine ids of the list scope, and its label. */
    scopeIds?: number[];
    scopeLabel?: string;
  };
  /** Flame source: a trace source key, or a profile by file position. */
  source?: { trace: string } | { file: number };
  /** Sample type per profile file position. */
  types?: Record<number, number>;
  lanes?: {
    filter?: string;
    sort?: LaneSort;
    collapsed?: Record<string, boolean>;
    /** Goroutine ids whose lanes alone are shown (the lane limit). */
    only?: number[];
  };
  offsets?: Record<number, number>;
  search?: { query?: string; inSelection?: boolean; onlyLanes?: boolean };
}

const SORTS: readonly LaneSort[] = ['id', 'start', 'running', 'blocked'];

export function encodeViewState(s: ViewState): string {
  const p = new URLSearchParams();
  const range = (r: TimeRange) => `${Math.round(r.startNs)},${Math.round(r.endNs)}`;
  if (s.view) p.set('v', range(s.view));
  if (s.selection) p.set('sel', range(s.selection));
  if (s.pick) p.set('pick', `${s.pick.file}.${s.pick.kind}.${s.pick.index}`);
  if (s.source) p.set('src', 'trace' in s.source ? s.source.trace : `pprof:${s.source.file}`);
  if (s.types) {
    const t = Object.entries(s.types).map(([f, i]) => `${f}.${i}`);
    if (t.length) p.set('st', t.join(','));
  }
  const f = s.flame ?? {};
  for (const k of ['search', 'focus', 'ignore', 'hide'] as const) {
    const v = f[k];
    if (v) p.set(k === 'search' ? 'q' : k, v);
  }
  if (f.func) p.set('fn', f.func);
  if (f.zoom && f.zoom.length) p.set('zoom', f.zoom.join('|'));
  if (f.split === 'none') p.set('split', '0');
  if (f.mode === 'sandwich') p.set('mode', 'sandwich');
  if (f.scope) p.set('scope', f.scope);
  if (f.scopeIds && f.scopeIds.length) p.set('gs', f.scopeIds.slice(0, MAX_IDS).join(','));
  if (f.scopeLabel) p.set('gsl', f.scopeLabel);
  if (f.compare) p.set('cmp', range(f.compare));
  const l = s.lanes ?? {};
  if (l.filter) p.set('lf', l.filter);
  if (l.sort && l.sort !== 'id') p.set('ls', l.sort);
  if (l.collapsed) {
    const closed = Object.keys(l.collapsed).filter((k) => l.collapsed?.[k]);
    const open = Object.keys(l.collapsed).filter((k) => l.collapsed?.[k] === false);
    if (closed.length) p.set('lc', closed.join('|'));
    if (open.length) p.set('le', open.join('|'));
  }
  if (l.only) p.set('only', l.only.slice(0, MAX_IDS).join(','));
  if (s.offsets) {
    const o = Object.entries(s.offsets).map(([file, ns]) => `${file}:${Math.round(ns)}`);
    if (o.length) p.set('off', o.join(','));
  }
  const q = s.search ?? {};
  if (q.query) {
    p.set('sq', q.query);
    if (q.inSelection) p.set('ss', '1');
    if (q.onlyLanes) p.set('so', '1');
  }
  // URLSearchParams writes spaces as '+', which a hash keeps as it is: fine both ways.
  return p.toString();
}

/** Longest view state read (a link's hash or a bundle's state); longer ones are ignored. */
export const MAX_HASH = 64 << 10;
/** Longest string value (patterns, names, the lane filter). */
const MAX_STRING = 2000;
/** Most entries of a list (zoom path, collapsed groups, sample types, offsets). */
const MAX_LIST = 256;
/** Most goroutine ids in a list (a spike's goroutines, the lane limit). */
const MAX_IDS = 4096;
/** Times and offsets beyond ±10^15 ns (11 days) are no trace's. */
const MAX_ABS_NS = 1e15;
/** File positions and item indexes: a session holds far fewer. */
const MAX_INDEX = 2 ** 31 - 1;

const index = (s: string | undefined): number | undefined => {
  const n = Number(s);
  return s !== undefined && /^\d{1,10}$/.test(s) && n <= MAX_INDEX ? n : undefined;
};
/** A list of goroutine ids ("1,5,67"): non-negative safe integers, at most MAX_IDS; null if bad. */
const ids = (s: string | null): number[] | null => {
  if (s === null || s.length > MAX_IDS * 17) return null;
  if (s === '') return [];
  const out: number[] = [];
  for (const part of s.split(',', MAX_IDS + 1)) {
    if (!/^\d{1,16}$/.test(part)) return null;
    const n = Number(part);
    if (!Number.isSafeInteger(n)) return null;
    out.push(n);
  }
  return out.length > MAX_IDS ? null : out;
};
const nanos = (s: string | undefined): number | undefined => {
  const n = Number(s);
  return s !== undefined && Number.isFinite(n) && Math.abs(n) <= MAX_ABS_NS ? n : undefined;
};
/** Keys that would reach an object's prototype when used as a property name. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function decodeViewState(hash: string): ViewState {
  const out: ViewState = {};
  if (hash.length > MAX_HASH) return out;
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const range = (v: string | null): TimeRange | undefined => {
    const m = v ? /^(-?\d{1,20}(?:\.\d{1,9})?),(-?\d{1,20}(?:\.\d{1,9})?)$/.exec(v) : null;
    if (!m) return undefined;
    const startNs = nanos(m[1]);
    const endNs = nanos(m[2]);
    return startNs !== undefined && endNs !== undefined && endNs > startNs
      ? { startNs, endNs }
      : undefined;
  };
  const view = range(p.get('v'));
  if (view) out.view = view;
  const selection = range(p.get('sel'));
  if (selection) out.selection = selection;
  const pick = /^(\d+)\.(?:([di])\.)?(\d+)$/.exec(p.get('pick') ?? '');
  const pickFile = index(pick?.[1]);
  const pickIndex = index(pick?.[3]);
  if (pick && pickFile !== undefined && pickIndex !== undefined)
    out.pick = { file: pickFile, kind: pick[2] === 'i' ? 'i' : 'd', index: pickIndex };
  const src = p.get('src') ?? '';
  if (/^trace:(cpu|blocked|sched|syscall)$/.test(src)) out.source = { trace: src };
  else if (/^pprof:\d+$/.test(src) && index(src.slice(6)) !== undefined)
    out.source = { file: Number(src.slice(6)) };
  const st = p.get('st');
  if (st) {
    const types: Record<number, number> = {};
    for (const part of st.split(',', MAX_LIST)) {
      const m = /^(\d+)\.(\d+)$/.exec(part);
      const file = index(m?.[1]);
      const type = index(m?.[2]);
      if (file !== undefined && type !== undefined) types[file] = type;
    }
    if (Object.keys(types).length) out.types = types;
  }
  const flame: NonNullable<ViewState['flame']> = {};
  const str = (k: string) => {
    const v = p.get(k);
    return v !== null && v.length <= MAX_STRING ? v : undefined;
  };
  if (str('q')) flame.search = str('q');
  if (str('focus')) flame.focus = str('focus');
  if (str('ignore')) flame.ignore = str('ignore');
  if (str('hide')) flame.hide = str('hide');
  if (str('fn')) flame.func = str('fn');
  const zoom = str('zoom');
  if (zoom) flame.zoom = zoom.split('|', MAX_LIST);
  if (p.get('split') === '0') flame.split = 'none';
  if (p.get('mode') === 'sandwich') flame.mode = 'sandwich';
  const scope = p.get('scope');
  const scopeIds = ids(p.get('gs'));
  if (scope === 'selected' || scope === 'lanes') flame.scope = scope;
  // A list scope needs its list: without one (or with a bad one) the link's scope is dropped.
  else if (scope === 'list' && scopeIds && scopeIds.length) flame.scope = scope;
  if (scopeIds && scopeIds.length) {
    flame.scopeIds = scopeIds;
    const label = str('gsl');
    if (label) flame.scopeLabel = label;
  }
  const cmp = range(p.get('cmp'));
  if (cmp) flame.compare = cmp;
  if (Object.keys(flame).length) out.flame = flame;
  const lanes: NonNullable<ViewState['lanes']> = {};
  if (str('lf')) lanes.filter = str('lf');
  const ls = p.get('ls') as LaneSort | null;
  if (ls && SORTS.includes(ls)) lanes.sort = ls;
  const collapsed: Record<string, boolean> = {};
  const groups = (k: string) =>
    (p.get(k) ?? '')
      .split('|', MAX_LIST)
      .filter((g) => g && g.length <= MAX_STRING && !UNSAFE_KEYS.has(g));
  for (const k of groups('lc')) collapsed[k] = true;
  for (const k of groups('le')) collapsed[k] = false;
  if (Object.keys(collapsed).length) lanes.collapsed = collapsed;
  const only = ids(p.get('only'));
  if (only) lanes.only = only;
  if (Object.keys(lanes).length) out.lanes = lanes;
  // The query is checked when it runs (a bad one gets its message under the box); here only its
  // length (MAX_STRING; the query language allows 4,096 characters, a link keeps 2,000).
  const sq = str('sq');
  if (sq) {
    out.search = { query: sq };
    if (p.get('ss') === '1') out.search.inSelection = true;
    if (p.get('so') === '1') out.search.onlyLanes = true;
  }
  const off = p.get('off');
  if (off) {
    const offsets: Record<number, number> = {};
    for (const part of off.split(',', MAX_LIST)) {
      const m = /^(\d+):(-?\d{1,20}(?:\.\d{1,9})?)$/.exec(part);
      const file = index(m?.[1]);
      const ns = nanos(m?.[2]);
      if (file !== undefined && ns !== undefined) offsets[file] = ns;
    }
    if (Object.keys(offsets).length) out.offsets = offsets;
  }
  return out;
}

/**
 * A range from a link or bundle clamped to the session axis [0, limit]: null when the axis is
 * empty or nothing of the range is on it (an inverted range is never produced).
 */
export function clampRange(r: TimeRange | undefined | null, limit: number): TimeRange | null {
  if (!r || !(limit > 0)) return null;
  const startNs = Math.min(limit, Math.max(0, r.startNs));
  const endNs = Math.min(limit, Math.max(0, r.endNs));
  return endNs > startNs ? { startNs, endNs } : null;
}

/** The pick of a selected item as positions in the file list, or undefined. */
export function pickOf(
  files: ReadonlyArray<{ id: string }>,
  selected: Selection | null,
): ViewState['pick'] {
  if (!selected) return undefined;
  const file = files.findIndex((f) => f.id === selected.fileId);
  if (file < 0) return undefined;
  return selected.kind === 'dlv'
    ? { file, kind: 'd', index: selected.span }
    : { file, kind: 'i', index: selected.interval };
}
