// window.goroscope: the automation view used by end-to-end tests and documented in the README.
// The snapshot asks the engine the same queries the page asks (through store/selectors.ts), after
// every query asked so far has been answered, so it says what the page shows once it settles.

import type { EngineApi } from '../engine/api';
import { topFunction } from '../components/describe';
import { goroutineOfInterval } from '../model/lookup';
import { GOROUTINE_STATE_NAMES } from '../model/trace';
import { heaviestPath } from '../render/flameTree';
import { TRACKS_KEY } from '../render/rowLayout';
import {
  flameParams,
  graphParams,
  highlightParams,
  searchParams,
  traceModel,
  unblockParams,
} from '../store/selectors';
import { pageState, type SessionStore } from '../store/session';
import type { RowLayout } from '../render/rowLayout';
import { fetchSessionRows } from './rows';

export interface Snapshot {
  state: ReturnType<typeof pageState>;
  files: Array<{ name: string; format: string | null; error?: string; notices?: string[] }>;
  durationNs: number;
  /** The name of the execution trace that is the session's clock, if any. */
  clock: string | null;
  view: { startNs: number; endNs: number } | null;
  selection: { startNs: number; endNs: number } | null;
  lanes: { goroutines: number; procs: number; total: number };
  /**
   * Go ids of the goroutine lanes at least partly inside the main timeline's viewport (pinned
   * lanes included), top to bottom; [] before the timeline has been laid out.
   */
  visibleGoroutines: number[];
  /** Go ids of the lanes pinned above the others by a jump (issue 20). */
  pinnedGoroutines: number[];
  dlvSpans: number;
  selected:
    /** A dlv call; `goroutine` is the Go ID Delve printed. */
    | { file: string; kind: 'dlv'; span: number; func: string; goroutine: number }
    | {
        file: string;
        kind: 'interval';
        interval: number;
        goroutine: number;
        state: string;
        reason: string;
        func: string;
      }
    | null;
  flame: {
    source: string;
    label: string;
    sampleType: string;
    unit: string;
    totalSamples: number;
    totalValue: number;
    zoom: string[];
    search: { pattern: string; frames: number; share: number } | null;
    func: string | null;
    mode: 'flame' | 'sandwich';
    /** Range-following sources: the range read, and whether it is a comparison. */
    range: { startNs: number; endNs: number } | null;
    compare: boolean;
    /** From the root, the heaviest child at each level: where most of the weight leads. */
    heaviest: string[];
    /** Which goroutines range-following sources read; `ids` and `label` for a list (a spike's). */
    scope: { kind: string; ids: number[]; label: string };
  } | null;
  /** The lane limit: the goroutine ids whose lanes alone are shown, or null (all lanes). */
  laneLimit: number[] | null;
  /** The trace's tracks (GC, counts, heap, tasks) are folded away. */
  tracksCollapsed: boolean;
  /** What the timeline lights up for the picked (or previewed) function. */
  highlight: {
    frame: string;
    goroutineLanes: number;
    dlvSpans: number;
    intervals: number;
    samples: number;
  } | null;
  /**
   * The chain of wakers behind the selected wait, as the timeline draws it and "Why was this
   * blocked?" lists it: Go ids on its path, what it is charged to, its lines.
   */
  chain: {
    goroutines: number[];
    segments: number;
    arrows: number;
    charged: Array<{ goroutine: number; state: string; ns: number }>;
    lines: string[];
  } | null;
  /** "Unblocked by" arrows drawn for the selected wait (the first is its own). */
  arrows: Array<{ timeNs: number; from: number; to: number }>;
  alignment: Array<{
    file: string;
    method: string;
    startNs: number | null;
    insideRunning?: number;
    quality: string;
  }>;
  /**
   * The search box, once a query ran: the query, its syntax error (null when it parsed), the
   * number of matching items, the goroutine lanes with results and those drawn dimmed (the
   * goroutine lanes shown without results), and the result stepped to (its position in the
   * list, its kind, start and Go goroutine id), or null.
   */
  search?: {
    query: string;
    error: string | null;
    results: number;
    lanes: number;
    dimmed: number;
    inSelection: boolean;
    onlyLanes: boolean;
    current: {
      position: number;
      kind: string;
      startNs: number;
      endNs: number;
      goroutine: number | null;
    } | null;
  };
}

export async function snapshot(store: SessionStore, engine: EngineApi): Promise<Snapshot> {
  // What the page asked last has been answered (a U step, an axis) before the state is read.
  await engine.idle();
  const s = store.getState();
  let dlvSpans = 0;
  for (const f of s.files)
    if (f.decoded?.format === 'dlv-trace') dlvSpans += f.decoded.model.spanCount;
  const [rows, flame, highlight, arrows, chain] = await Promise.all([
    fetchSessionRows(store, engine),
    flameSnapshot(s, engine),
    highlightSnapshot(s, engine),
    arrowsSnapshot(s, engine),
    chainSnapshot(s, engine),
  ]);
  const search = await searchSnapshot(s, engine, rows.main);
  const dlvLanes = [
    rows.main,
    ...rows.apart.map((a) => a.layout),
    ...rows.sequential.map((q) => q.layout),
  ].reduce((n, l) => n + (l ? l.rows.filter((r) => r.kind === 'dlv').length : 0), 0);
  const goroutineLanes = rows.main?.goroutineLanes ?? 0;
  const procLanes = rows.main?.procLanes ?? 0;
  return {
    state: pageState(s),
    files: s.files.map((f) => ({
      name: f.name,
      format: f.format,
      ...(f.error ? { error: f.error } : {}),
      ...(f.notices.length ? { notices: f.notices.map((n) => n.text) } : {}),
    })),
    durationNs: s.axis.durationNs,
    clock: s.files.find((f) => f.id === s.axis.traceId)?.name ?? null,
    view: s.view,
    selection: s.selection,
    lanes: {
      goroutines: goroutineLanes,
      procs: procLanes,
      total: goroutineLanes + procLanes + dlvLanes,
    },
    dlvSpans,
    visibleGoroutines: visibleGoroutines(rows.main, s.laneViewport),
    pinnedGoroutines: rows.main
      ? rows.main.pinned.map((g) => traceModel(s)?.goroutines.id[g] ?? -1)
      : [],
    selected: describeSelected(s),
    flame,
    laneLimit: s.lanes.only ? [...s.lanes.only].sort((a, b) => a - b) : null,
    tracksCollapsed: s.lanes.collapsed[TRACKS_KEY] === true,
    highlight,
    chain,
    arrows,
    alignment: alignmentSnapshot(s),
    ...(search ? { search } : {}),
  };
}

const KIND_NAMES = ['interval', 'dlv call', 'log', 'region', 'task'];

async function searchSnapshot(
  s: State,
  engine: EngineApi,
  layout: RowLayout | null,
): Promise<Snapshot['search'] | null> {
  const p = searchParams(s);
  const m = traceModel(s);
  if (!p || !m) return null;
  const base = {
    query: s.search.query,
    inSelection: s.search.inSelection,
    onlyLanes: s.search.onlyLanes,
  };
  const v = await engine.query('search', p);
  if (!v.ok)
    return { ...base, error: v.error.message, results: 0, lanes: 0, dimmed: 0, current: null };
  const r = v.results;
  let dimmed = 0;
  for (const row of layout?.rows ?? [])
    if (row.kind === 'goroutine' && r.goroutines[row.g] !== 1) dimmed++;
  let current: NonNullable<Snapshot['search']>['current'] = null;
  if (s.search.cursor >= 0) {
    const order = await engine.query('searchOrder', {
      ...p,
      by: s.search.sort.by,
      descending: s.search.sort.desc,
    });
    const i = order[s.search.cursor];
    if (i !== undefined) {
      const g = r.goroutine[i]!;
      current = {
        position: s.search.cursor,
        kind: KIND_NAMES[r.kind[i]!] ?? '',
        startNs: r.start[i]!,
        endNs: r.end[i]!,
        goroutine: g >= 0 ? m.goroutines.id[g]! : null,
      };
    }
  }
  return {
    ...base,
    error: null,
    results: r.count,
    lanes: v.goroutineIds.length,
    dimmed,
    current,
  };
}

function visibleGoroutines(
  layout: RowLayout | null,
  vp: { scrollY: number; height: number } | null,
): number[] {
  if (!layout || !vp) return [];
  const out: number[] = [];
  const top = Math.max(0, Math.min(vp.scrollY, layout.height - vp.height));
  const bottom = top + vp.height;
  for (const r of layout.rows) {
    if (r.kind !== 'goroutine' || r.y + r.h <= top || r.y >= bottom) continue;
    const id = r.trace.goroutines.id[r.g]!;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

function describeSelected(s: State): Snapshot['selected'] {
  const sel = s.selected;
  if (!sel) return null;
  const f = s.files.find((x) => x.id === sel.fileId);
  const d = f?.decoded;
  if (!f || !d) return null;
  if (sel.kind === 'dlv' && d.format === 'dlv-trace') {
    return {
      file: f.name,
      kind: 'dlv',
      span: sel.span,
      func: d.model.strings[d.model.spans.func[sel.span]!] ?? '',
      goroutine: d.model.spans.goroutine[sel.span]!,
    };
  }
  if (sel.kind === 'interval' && d.format === 'go-trace') {
    const m = d.model;
    const g = goroutineOfInterval(m, sel.interval);
    return {
      file: f.name,
      kind: 'interval',
      interval: sel.interval,
      goroutine: m.goroutines.id[g]!,
      state: GOROUTINE_STATE_NAMES[m.intervals.state[sel.interval]!] ?? '',
      reason: m.reasons[m.intervals.reason[sel.interval]!] ?? '',
      func: topFunction(m, m.intervals.stack[sel.interval]!),
    };
  }
  return null;
}

function alignmentSnapshot(s: State): Snapshot['alignment'] {
  const name = (id: string) => s.files.find((f) => f.id === id)?.name ?? '';
  return [...s.axis.profiles, ...s.axis.dlv]
    .filter((p) => p.alignment !== null)
    .map((p) => {
      const a = p.alignment!;
      return {
        file: name(p.fileId),
        method: a.method,
        startNs: a.startNs,
        ...(a.insideRunning !== undefined ? { insideRunning: a.insideRunning } : {}),
        quality: a.quality,
      };
    });
}

type State = ReturnType<SessionStore['getState']>;

async function highlightSnapshot(s: State, engine: EngineApi): Promise<Snapshot['highlight']> {
  const p = highlightParams(s);
  if (!p) return null;
  const h = await engine.query('highlight', p);
  return {
    frame: p.func,
    goroutineLanes: h.goroutineIds.length,
    dlvSpans: h.dlvSpans,
    intervals: h.intervals.length,
    samples: h.samples,
  };
}

async function chainSnapshot(s: State, engine: EngineApi): Promise<Snapshot['chain']> {
  const p = unblockParams(s);
  if (!p) return null;
  const c = await engine.query('whyChain', p);
  if (!c) return null;
  const charged = new Map<string, { goroutine: number; state: string; ns: number }>();
  for (const seg of c.segments) {
    if (!seg.charged || seg.depth === 0) continue;
    const k = `${seg.goId} ${seg.state}`;
    const e = charged.get(k) ?? { goroutine: seg.goId, state: seg.state, ns: 0 };
    e.ns += seg.endNs - seg.startNs;
    charged.set(k, e);
  }
  return {
    goroutines: [...new Set(c.segments.map((x) => x.goId))],
    segments: c.segments.length,
    arrows: c.arrows.length,
    charged: [...charged.values()].sort((a, b) => b.ns - a.ns),
    lines: c.lines.map((l) => l.text),
  };
}

async function arrowsSnapshot(s: State, engine: EngineApi): Promise<Snapshot['arrows']> {
  const p = unblockParams(s);
  const m = traceModel(s);
  if (!p || !m) return [];
  const { arrows } = await engine.query('unblock', p);
  return arrows.map((a) => ({
    timeNs: a.timeNs,
    from: m.goroutines.id[a.from]!,
    to: m.goroutines.id[a.to]!,
  }));
}

async function flameSnapshot(s: State, engine: EngineApi): Promise<Snapshot['flame']> {
  const p = flameParams(s, s.view);
  const [v, search] = await Promise.all([
    engine.query('flame', graphParams(p)),
    s.flame.search ? engine.query('flameSearch', p) : null,
  ]);
  if (!v) return null;
  return {
    source: v.source.key,
    label: v.source.label,
    sampleType: v.source.types[v.typeIndex]?.type ?? '',
    unit: v.unit,
    totalSamples: v.samples,
    totalValue: v.tree.total[0] as number,
    zoom: [...s.flame.zoom],
    search: search ? { pattern: s.flame.search, frames: search.count, share: search.share } : null,
    func: s.flame.func,
    mode: s.flame.mode,
    range: v.source.ranged ? (s.selection ?? s.view) : null,
    compare: v.diff,
    heaviest: heaviestPath(v.tree),
    scope: { kind: s.flame.scope, ids: [...s.flame.scopeIds], label: s.flame.scopeLabel },
  };
}

declare global {
  interface Window {
    goroscope?: { snapshot(): Promise<Snapshot> };
  }
}

export function installAutomation(store: SessionStore, engine: EngineApi): void {
  window.goroscope = { snapshot: () => snapshot(store, engine) };
}
