// The view state that links and session bundles carry, as a URL-hash string (all optional):
//   v=START,END        visible range (ns on the session axis)
//   sel=START,END      time selection
//   pick=FILE.d.SPAN   selected dlv call (file position in the session, span index)
//   pick=FILE.i.IDX    selected goroutine state interval of a trace
//   src=KEY            flame graph source: trace:cpu|blocked|sched|syscall, or pprof:FILE (position)
//   st=FILE.TYPE       sample type chosen for a profile
//   q, focus, ignore, hide, fn, zoom (names joined by "|"), split=0|1, mode=sandwich,
//   scope=selected|lanes, cmp=START,END (baseline range)
//   lf=FILTER, ls=SORT, lc=KEY|KEY (collapsed groups), le=KEY|KEY (expanded groups)
//   off=FILE:NS,FILE:NS  manual alignment offsets
// Unknown keys are ignored and bad values dropped, so an old or edited link still opens.

import type { LaneSort } from '../analysis/timelineRows';
import type { FlameState, Selection, TimeRange } from './session';

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
    scope?: 'selected' | 'lanes';
  };
  /** Flame source: a trace source key, or a profile by file position. */
  source?: { trace: string } | { file: number };
  /** Sample type per profile file position. */
  types?: Record<number, number>;
  lanes?: { filter?: string; sort?: LaneSort; collapsed?: Record<string, boolean> };
  offsets?: Record<number, number>;
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
  if (s.offsets) {
    const o = Object.entries(s.offsets).map(([file, ns]) => `${file}:${Math.round(ns)}`);
    if (o.length) p.set('off', o.join(','));
  }
  // URLSearchParams writes spaces as '+', which a hash keeps as it is: fine both ways.
  return p.toString();
}

export function decodeViewState(hash: string): ViewState {
  const out: ViewState = {};
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const range = (v: string | null): TimeRange | undefined => {
    const m = v ? /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(v) : null;
    if (!m) return undefined;
    const startNs = Number(m[1]);
    const endNs = Number(m[2]);
    return Number.isFinite(startNs) && Number.isFinite(endNs) && endNs > startNs
      ? { startNs, endNs }
      : undefined;
  };
  const view = range(p.get('v'));
  if (view) out.view = view;
  const selection = range(p.get('sel'));
  if (selection) out.selection = selection;
  const pick = /^(\d+)\.(?:([di])\.)?(\d+)$/.exec(p.get('pick') ?? '');
  if (pick)
    out.pick = { file: Number(pick[1]), kind: pick[2] === 'i' ? 'i' : 'd', index: Number(pick[3]) };
  const src = p.get('src') ?? '';
  if (/^trace:(cpu|blocked|sched|syscall)$/.test(src)) out.source = { trace: src };
  else if (/^pprof:\d+$/.test(src)) out.source = { file: Number(src.slice(6)) };
  const st = p.get('st');
  if (st) {
    const types: Record<number, number> = {};
    for (const part of st.split(',')) {
      const m = /^(\d+)\.(\d+)$/.exec(part);
      if (m) types[Number(m[1])] = Number(m[2]);
    }
    if (Object.keys(types).length) out.types = types;
  }
  const flame: NonNullable<ViewState['flame']> = {};
  const str = (k: string) => {
    const v = p.get(k);
    return v !== null && v.length <= 2000 ? v : undefined;
  };
  if (str('q')) flame.search = str('q');
  if (str('focus')) flame.focus = str('focus');
  if (str('ignore')) flame.ignore = str('ignore');
  if (str('hide')) flame.hide = str('hide');
  if (str('fn')) flame.func = str('fn');
  const zoom = str('zoom');
  if (zoom) flame.zoom = zoom.split('|').slice(0, 256);
  if (p.get('split') === '0') flame.split = 'none';
  if (p.get('mode') === 'sandwich') flame.mode = 'sandwich';
  const scope = p.get('scope');
  if (scope === 'selected' || scope === 'lanes') flame.scope = scope;
  const cmp = range(p.get('cmp'));
  if (cmp) flame.compare = cmp;
  if (Object.keys(flame).length) out.flame = flame;
  const lanes: NonNullable<ViewState['lanes']> = {};
  if (str('lf')) lanes.filter = str('lf');
  const ls = p.get('ls') as LaneSort | null;
  if (ls && SORTS.includes(ls)) lanes.sort = ls;
  const collapsed: Record<string, boolean> = {};
  for (const k of (str('lc') ?? '').split('|').filter(Boolean)) collapsed[k] = true;
  for (const k of (str('le') ?? '').split('|').filter(Boolean)) collapsed[k] = false;
  if (Object.keys(collapsed).length) lanes.collapsed = collapsed;
  if (Object.keys(lanes).length) out.lanes = lanes;
  const off = p.get('off');
  if (off) {
    const offsets: Record<number, number> = {};
    for (const part of off.split(',')) {
      const m = /^(\d+):(-?\d+(?:\.\d+)?)$/.exec(part);
      if (m) offsets[Number(m[1])] = Number(m[2]);
    }
    if (Object.keys(offsets).length) out.offsets = offsets;
  }
  return out;
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
