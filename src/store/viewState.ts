// The view state that links and session bundles carry, as a URL-hash string:
//   v=START,END        visible range (ns on the session axis)
//   sel=START,END      time selection
//   pick=FILE.d.SPAN   selected dlv call: file position in the session, span index
//   pick=FILE.i.IDX    selected goroutine state interval of a trace
// Unknown keys are ignored and bad values dropped, so an old or edited link still opens.

import type { Selection, TimeRange } from './session';

export interface ViewState {
  view?: TimeRange;
  selection?: TimeRange;
  pick?: { file: number; kind: 'd' | 'i'; index: number };
}

export function encodeViewState(s: ViewState): string {
  const parts: string[] = [];
  const range = (r: TimeRange) => `${Math.round(r.startNs)},${Math.round(r.endNs)}`;
  if (s.view) parts.push(`v=${range(s.view)}`);
  if (s.selection) parts.push(`sel=${range(s.selection)}`);
  if (s.pick) parts.push(`pick=${s.pick.file}.${s.pick.kind}.${s.pick.index}`);
  return parts.join('&');
}

export function decodeViewState(hash: string): ViewState {
  const out: ViewState = {};
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const range = (v: string | null): TimeRange | undefined => {
    const m = v ? /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(v) : null;
    if (!m) return undefined;
    const startNs = Number(m[1]);
    const endNs = Number(m[2]);
    return Number.isFinite(startNs) && Number.isFinite(endNs) && endNs > startNs
      ? { startNs, endNs }
      : undefined;
  };
  const view = range(params.get('v'));
  if (view) out.view = view;
  const selection = range(params.get('sel'));
  if (selection) out.selection = selection;
  const pick = /^(\d+)\.(?:([di])\.)?(\d+)$/.exec(params.get('pick') ?? '');
  if (pick)
    out.pick = { file: Number(pick[1]), kind: pick[2] === 'i' ? 'i' : 'd', index: Number(pick[3]) };
  return out;
}

/** The pick of a selected span as positions in the file list, or undefined. */
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
