// Lane layout for dlv spans: one lane per goroutine, calls nested by depth, with the index
// arrays that let the renderer binary-search the first visible span (STYLE.md habit 6).

import { dlvTimeExtent, type DlvModel } from '../model/dlv';

export type DlvAxisMode = 'time' | 'seq';

export interface DlvLane {
  goroutine: number;
  /** Span indices sorted by start. */
  spans: Uint32Array;
  /** Start of each sorted span on the lane's axis (ns or sequence). */
  starts: Float64Array;
  /** End of each sorted span (unclosed spans end where the log ends). */
  ends: Float64Array;
  /** Running maximum of `ends`: the first index whose prefix max reaches x0 starts the scan. */
  maxEndPrefix: Float64Array;
  /** Deepest nesting in the lane (0 for flat lanes). */
  maxDepth: number;
}

export interface DlvLayout {
  mode: DlvAxisMode;
  lanes: DlvLane[];
  /** Axis extent of the file in its own units (ns since its base, or line sequence). */
  extent: [number, number];
}

export function layoutDlv(m: DlvModel, mode: DlvAxisMode): DlvLayout {
  const s = m.spans;
  const extent: [number, number] =
    mode === 'time' ? (dlvTimeExtent(m) ?? [0, 0]) : [0, m.lineCount];
  const startOf = (i: number): number =>
    mode === 'time' ? (s.startNs[i] as number) : (s.startSeq[i] as number);
  const endOf = (i: number): number => {
    if (mode === 'time') {
      const e = s.endNs[i] as number;
      return Number.isNaN(e) ? extent[1] : e;
    }
    const e = s.endSeq[i] as number;
    return e < 0 ? m.lineCount : e + 1;
  };

  const byG = new Map<number, number[]>();
  for (let i = 0; i < m.spanCount; i++) {
    if (mode === 'time' && Number.isNaN(s.startNs[i] as number)) continue;
    const g = s.goroutine[i] as number;
    const list = byG.get(g);
    if (list) list.push(i);
    else byG.set(g, [i]);
  }
  const lanes: DlvLane[] = [];
  for (const g of [...byG.keys()].sort((a, b) => a - b)) {
    const idx = (byG.get(g) as number[]).sort((a, b) => startOf(a) - startOf(b) || a - b);
    const n = idx.length;
    const spans = Uint32Array.from(idx);
    const starts = new Float64Array(n);
    const ends = new Float64Array(n);
    const maxEndPrefix = new Float64Array(n);
    let maxDepth = 0;
    let runMax = -Infinity;
    for (let j = 0; j < n; j++) {
      const i = idx[j] as number;
      starts[j] = startOf(i);
      ends[j] = Math.max(starts[j] as number, endOf(i));
      runMax = Math.max(runMax, ends[j] as number);
      maxEndPrefix[j] = runMax;
      maxDepth = Math.max(maxDepth, s.depth[i] as number);
    }
    lanes.push({ goroutine: g, spans, starts, ends, maxEndPrefix, maxDepth });
  }
  return { mode, lanes, extent };
}
