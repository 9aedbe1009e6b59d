// One flame graph (icicle) on a canvas: level-of-detail draw list, hover tooltip with self and
// total in the profile's unit, click to zoom into a frame, wheel to scroll deep stacks. The tree
// comes from the engine (engine/flame.ts FlameTree); it is laid out here for the zoom root, as
// its draw list is made (render/flameTree.ts).

import { useCallback, useMemo, useState } from 'react';
import type { FlameTree } from '../../engine/flame';
import { formatPercent, formatValue } from '../../base/format';
import { FLAME_ROW, paintFlame } from '../../render/flame';
import { flameRects, nodeAt, nodeFunc } from '../../render/flameTree';
import { CanvasHost } from '../CanvasHost';
import { useTheme } from '../useTheme';

export interface FlameCanvasProps {
  tree: FlameTree;
  /** The zoom root: it and its ancestors span the width. */
  root: number;
  unit: string;
  match: Uint8Array | null;
  /** The picked function (index into the tree's names), or -1. */
  selectedFunc: number;
  diff?: Float64Array | null;
  /** A click on a node: the panel zooms into it and picks its function, in one update. */
  onActivate(node: number): void;
  /** The node under the pointer changed (-1: none), for previews elsewhere. */
  onHoverNode?(node: number): void;
  path?: ReadonlySet<number> | null;
  previewFunc?: number;
  testId: string;
  ariaLabel: string;
}

export function FlameCanvas(props: FlameCanvasProps) {
  const theme = useTheme();
  const { tree, root } = props;
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [scrollY, setScrollY] = useState(0);
  const [hover, setHover] = useState<{ node: number; x: number; y: number } | null>(null);
  const rects = useMemo(
    () => (size.width > 0 ? flameRects(tree, root, size.width) : null),
    [tree, root, size.width],
  );
  const maxScroll = Math.max(0, (tree.maxDepth + 2) * FLAME_ROW - size.height);
  const sy = Math.min(scrollY, maxScroll);
  // A node index of an older tree means nothing in a new one.
  const hovered = hover && hover.node < tree.length ? hover.node : -1;

  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, width: number, height: number) => {
      if (!rects) return;
      paintFlame(ctx, tree, rects, {
        theme,
        width,
        height,
        scrollY: sy,
        match: props.match,
        selectedFunc: props.selectedFunc,
        hovered,
        diff: props.diff ?? null,
        path: props.path ?? null,
        previewFunc: props.previewFunc ?? -1,
      });
    },
    [
      rects,
      tree,
      theme,
      sy,
      props.match,
      props.selectedFunc,
      hovered,
      props.diff,
      props.path,
      props.previewFunc,
    ],
  );

  const nodeAtPoint = (x: number, y: number): number => {
    if (size.width <= 0) return -1;
    const depth = Math.floor((y + sy) / FLAME_ROW);
    return nodeAt(tree, root, depth, x / size.width);
  };

  const total = tree.total[0] as number;
  const tip = hover && hovered >= 0 ? describeNode(tree, hovered, props.unit, total) : null;

  return (
    <div className="flame-canvas" data-testid={props.testId}>
      <CanvasHost
        ariaLabel={props.ariaLabel}
        testId={`${props.testId}-canvas`}
        drawKey={draw}
        draw={draw}
        onSize={(width, height) => setSize({ width, height })}
        onHover={(p) => {
          const node = p ? nodeAtPoint(p.x, p.y) : -1;
          if (node !== hovered) props.onHoverNode?.(node);
          setHover(p ? { node, x: p.x, y: p.y } : null);
        }}
        onClick={(p) => {
          const n = nodeAtPoint(p.x, p.y);
          if (n < 0) return;
          props.onActivate(n);
        }}
        onWheel={(e) =>
          setScrollY(
            Math.max(0, Math.min(maxScroll, sy + (e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY))),
          )
        }
      />
      {tip && hover && (
        <div
          className="tooltip"
          role="tooltip"
          style={{ left: Math.min(hover.x + 14, Math.max(0, size.width - 320)), top: hover.y + 16 }}
        >
          {tip.map((l, i) => (
            <div key={i} className={i === 0 ? 'tooltip-title' : undefined}>
              {l}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** Tooltip lines for a node: function, file:line, self and total (value and share). */
export function describeNode(tree: FlameTree, node: number, unit: string, total: number): string[] {
  const lines = [node === 0 ? 'all samples' : nodeFunc(tree, node)];
  const file = tree.file[node]!;
  if (file >= 0) {
    const line = tree.line[node]!;
    const name = tree.names[file] ?? '';
    lines.push(line > 0 ? `${name}:${line}` : name);
  }
  if (tree.inlined[node]) lines.push('inlined');
  const self = tree.self[node] as number;
  const tot = tree.total[node] as number;
  lines.push(`total ${formatValue(tot, unit)} (${formatPercent(tot, total)})`);
  lines.push(`self ${formatValue(self, unit)} (${formatPercent(self, total)})`);
  return lines;
}
