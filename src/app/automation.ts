// window.goroscope: the automation view used by end-to-end tests and documented in the README.

import type { SessionStore } from '../store/session';
import { sourcesOf } from '../components/flame/FlamePanel';
import { flameView } from '../analysis/flameView';
import { pageState } from '../store/session';

export interface Snapshot {
  state: ReturnType<typeof pageState>;
  files: Array<{ name: string; format: string | null; error?: string; notices?: string[] }>;
  durationNs: number;
  view: { startNs: number; endNs: number } | null;
  selection: { startNs: number; endNs: number } | null;
  lanes: { goroutines: number; procs: number; total: number };
  dlvSpans: number;
  selected: { file: string; span: number; func: string } | null;
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
  } | null;
  highlight: null;
  alignment: unknown[];
}

export function snapshot(store: SessionStore): Snapshot {
  const s = store.getState();
  let dlvSpans = 0;
  let dlvLanes = 0;
  for (const f of s.files) {
    if (f.decoded?.format === 'dlv-trace') {
      dlvSpans += f.decoded.model.spanCount;
      dlvLanes += new Set(f.decoded.model.spans.goroutine).size;
    }
  }
  const sel = s.selected;
  const selFile = sel ? s.files.find((f) => f.id === sel.fileId) : undefined;
  const selModel = selFile?.decoded?.format === 'dlv-trace' ? selFile.decoded.model : null;
  return {
    state: pageState(s),
    files: s.files.map((f) => ({
      name: f.name,
      format: f.format,
      ...(f.error ? { error: f.error } : {}),
      ...(f.notices.length ? { notices: f.notices } : {}),
    })),
    durationNs: s.axis.durationNs,
    view: s.view,
    selection: s.selection,
    lanes: { goroutines: 0, procs: 0, total: dlvLanes },
    dlvSpans,
    selected:
      sel && selFile && selModel
        ? {
            file: selFile.name,
            span: sel.span,
            func: selModel.strings[selModel.spans.func[sel.span] as number] ?? '',
          }
        : null,
    flame: flameSnapshot(s),
    highlight: null,
    alignment: [],
  };
}

function flameSnapshot(s: ReturnType<SessionStore['getState']>): Snapshot['flame'] {
  const sources = sourcesOf(s.files);
  const v = flameView(sources, s.flame);
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
