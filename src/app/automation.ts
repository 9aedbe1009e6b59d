// window.goroscope: the automation view used by end-to-end tests and documented in the README.

import type { SessionStore } from '../store/session';
import { flameRange, sourcesOf } from '../components/flame/FlamePanel';
import { topFunction } from '../components/describe';
import { computeHighlight, unblockArrows } from '../components/timelineHighlight';
import { GOROUTINE_STATE_NAMES } from '../model/trace';
import { goroutineOfInterval } from '../render/goroutineLane';
import { sessionRows } from './rows';
import { flameView } from '../analysis/flameView';
import type { CallTree } from '../analysis/flame';
import { pageState } from '../store/session';

export interface Snapshot {
  state: ReturnType<typeof pageState>;
  files: Array<{ name: string; format: string | null; error?: string; notices?: string[] }>;
  durationNs: number;
  view: { startNs: number; endNs: number } | null;
  selection: { startNs: number; endNs: number } | null;
  lanes: { goroutines: number; procs: number; total: number };
  dlvSpans: number;
  selected:
    | { file: string; kind: 'dlv'; span: number; func: string }
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
  } | null;
  /** What the timeline lights up for the picked (or previewed) function. */
  highlight: {
    frame: string;
    goroutineLanes: number;
    dlvSpans: number;
    intervals: number;
    samples: number;
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
}

export function snapshot(store: SessionStore): Snapshot {
  const s = store.getState();
  let dlvSpans = 0;
  for (const f of s.files)
    if (f.decoded?.format === 'dlv-trace') dlvSpans += f.decoded.model.spanCount;
  const rows = sessionRows(s);
  const dlvLanes = [
    rows.main,
    ...rows.apart.map((a) => a.layout),
    ...rows.sequential.map((q) => q.layout),
  ].reduce((n, l) => n + l.rows.filter((r) => r.kind === 'dlv').length, 0);
  return {
    state: pageState(s),
    files: s.files.map((f) => ({
      name: f.name,
      format: f.format,
      ...(f.error ? { error: f.error } : {}),
      ...(f.notices.length ? { notices: f.notices.map((n) => n.text) } : {}),
    })),
    durationNs: s.axis.durationNs,
    view: s.view,
    selection: s.selection,
    lanes: {
      goroutines: rows.main.goroutineLanes,
      procs: rows.main.procLanes,
      total: rows.main.goroutineLanes + rows.main.procLanes + dlvLanes,
    },
    dlvSpans,
    selected: describeSelected(s),
    flame: flameSnapshot(s),
    highlight: highlightSnapshot(s),
    arrows: arrowsSnapshot(s),
    alignment: alignmentSnapshot(s),
  };
}

function describeSelected(s: ReturnType<SessionStore['getState']>): Snapshot['selected'] {
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

function alignmentSnapshot(s: ReturnType<SessionStore['getState']>): Snapshot['alignment'] {
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

function heaviestPath(tree: CallTree): string[] {
  const out: string[] = [];
  let n = 0;
  for (let depth = 0; depth < 64; depth++) {
    let best = -1;
    for (let c = n + 1; c < tree.end[n]!; c = tree.end[c]!)
      if (best < 0 || tree.total[c]! > tree.total[best]!) best = c;
    if (best < 0) break;
    out.push(tree.strings[tree.func[best]!] ?? '');
    n = best;
  }
  return out;
}

function traceOf(s: ReturnType<SessionStore['getState']>) {
  const t = s.axis.traceId ? s.files.find((f) => f.id === s.axis.traceId) : undefined;
  return t?.decoded?.format === 'go-trace' ? t.decoded.model : null;
}

function highlightSnapshot(s: ReturnType<SessionStore['getState']>): Snapshot['highlight'] {
  const func = s.preview ?? s.flame.func;
  if (!func) return null;
  const dlv = s.files.flatMap((f) =>
    f.decoded?.format === 'dlv-trace' ? [{ fileId: f.id, model: f.decoded.model }] : [],
  );
  const h = computeHighlight(traceOf(s), dlv, func);
  return {
    frame: func,
    goroutineLanes: h.timeline.goroutines?.size ?? 0,
    dlvSpans: h.dlvSpans,
    intervals: h.trace?.intervals.length ?? 0,
    samples: h.trace?.samples.length ?? 0,
  };
}

function arrowsSnapshot(s: ReturnType<SessionStore['getState']>): Snapshot['arrows'] {
  const m = traceOf(s);
  return unblockArrows(m, s.selected).map((a) => ({
    timeNs: a.timeNs,
    from: m ? m.goroutines.id[a.from]! : a.from,
    to: m ? m.goroutines.id[a.to]! : a.to,
  }));
}

function flameSnapshot(s: ReturnType<SessionStore['getState']>): Snapshot['flame'] {
  const sources = sourcesOf(s.files);
  const v = flameView(sources, s.flame, flameRange(s, s.view));
  if (!v) return null;
  return {
    source: v.source.key,
    label: v.source.label,
    sampleType: v.source.types[v.typeIndex]?.type ?? '',
    unit: v.unit,
    totalSamples: v.samples,
    totalValue: v.tree.total[0] as number,
    zoom: [...s.flame.zoom],
    search: v.search
      ? { pattern: s.flame.search, frames: v.search.count, share: v.search.share }
      : null,
    func: s.flame.func,
    mode: s.flame.mode,
    range: v.source.ranged ? (s.selection ?? s.view) : null,
    compare: v.diff !== null,
    heaviest: heaviestPath(v.tree),
  };
}

declare global {
  interface Window {
    goroscope?: { snapshot(): Snapshot };
  }
}

export function installAutomation(store: SessionStore): void {
  window.goroscope = { snapshot: () => snapshot(store) };
}
