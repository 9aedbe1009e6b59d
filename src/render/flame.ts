// Drawing a flame graph (icicle: the root on top) from the level-of-detail draw list of
// ./flameTree.ts. Pure: (ctx, data, view) -> pixels.

import type { DrawTarget } from './drawTarget';
import type { FlameTree } from '../engine/flame';
import { fitText } from './dlvSpans';
import type { FlameRects } from './flameTree';
import { funcColours, type Theme } from './theme';

export const FLAME_ROW = 18;

export interface FlamePaintOptions {
  theme: Theme;
  width: number;
  height: number;
  scrollY: number;
  /** Per node: 1 when the node matches the search (null: no search). */
  match: Uint8Array | null;
  /** Function picked by the user (index into the tree's names), or -1. */
  selectedFunc: number;
  hovered: number;
  /** Per node colour override for differential graphs: -1 (loss) .. +1 (gain); null otherwise. */
  diff: Float64Array | null;
  /** Nodes on the selected interval's stack (outlined), or null. */
  path: ReadonlySet<number> | null;
  /** A previewed function (index into the tree's names): its nodes are outlined, or -1. */
  previewFunc: number;
}

export function paintFlame(
  ctx: DrawTarget,
  tree: FlameTree,
  rects: FlameRects,
  o: FlamePaintOptions,
): void {
  const { theme } = o;
  const colour = funcColours(theme);
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, o.width, o.height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (let r = 0; r < rects.length; r++) {
    const node = rects.node[r] as number;
    const y = (rects.depth[r] as number) * FLAME_ROW - o.scrollY;
    if (y + FLAME_ROW < 0 || y > o.height) continue;
    const x = rects.x[r] as number;
    const w = Math.max(1, rects.width[r] as number);
    const f = tree.name[node] as number;
    const name = f < 0 ? 'all' : (tree.names[f] ?? '');
    let fill: string;
    if (o.diff) fill = diffColour(o.diff[node] as number, theme);
    else fill = f < 0 ? (theme.dark ? '#3a3f4a' : '#d9dde3') : colour(name);
    const dim = o.match !== null && !o.match[node] && f >= 0;
    ctx.globalAlpha = dim ? 0.28 : 1;
    ctx.fillStyle = fill;
    ctx.fillRect(x, y, w - (w > 3 ? 1 : 0), FLAME_ROW - 1);
    if (o.match && o.match[node]) {
      ctx.strokeStyle = theme.highlight;
      ctx.lineWidth = 2;
      ctx.strokeRect(x + 1, y + 1, Math.max(1, w - 3), FLAME_ROW - 3);
    }
    if (o.path?.has(node) || (f >= 0 && f === o.previewFunc)) {
      ctx.strokeStyle = theme.highlight;
      ctx.lineWidth = 2;
      ctx.strokeRect(x + 1, y + 1, Math.max(1, w - 3), FLAME_ROW - 3);
    }
    if (node === o.hovered || (f >= 0 && f === o.selectedFunc)) {
      ctx.strokeStyle = node === o.hovered ? theme.text : theme.selectionEdge;
      ctx.lineWidth = node === o.hovered ? 1 : 2;
      ctx.strokeRect(x + 0.5, y + 0.5, Math.max(1, w - 2), FLAME_ROW - 2);
    }
    if (w > 24) {
      ctx.fillStyle = theme.dark ? '#f0f2f5' : '#14171a';
      ctx.fillText(fitText(name, w - 6), x + 3, y + FLAME_ROW / 2);
    }
    ctx.globalAlpha = 1;
  }
}

/** Red for a loss, blue for a gain (t in -1..1), neutral grey at 0. */
export function diffColour(t: number, theme: Theme): string {
  const a = Math.min(1, Math.abs(t));
  const l = theme.dark ? 30 + 20 * (1 - a) : 88 - 30 * a;
  if (!Number.isFinite(t) || a < 0.02) return theme.dark ? 'hsl(220 8% 40%)' : 'hsl(220 8% 85%)';
  return t > 0 ? `hsl(215 70% ${l}%)` : `hsl(0 70% ${l}%)`;
}
