// Icicle layout of a call tree (flame graph drawn top-down) and the level-of-detail pass that
// turns it into a draw list whose length follows pixels, not nodes.
//
// Layout: for a zoom root z, z and its ancestors span the full width; each node of z's subtree
// gets x and width as fractions of z's `size`, children side by side in the tree's order starting
// at their parent's x. Rows are the tree's depths (the root, depth 0, is the "all samples" row).
//
// Level of detail (gotraceui's renderedSpansIterator, Perfetto's slice mipmaps): a node narrower
// than `minPx` pixels is not drawn on its own and its subtree is skipped (every descendant is
// narrower still). Consecutive narrow siblings merge into one rectangle until it is `minPx`
// wide; the rectangle keeps the widest of them as its node (the dominant one). So the draw list
// has at most about (width / minPx) rectangles per row plus one per drawn parent.

import { Column } from '../base/growable';
import type { CallTree } from './flame';

export interface IcicleLayout {
  tree: CallTree;
  /** The zoom root. */
  root: number;
  /** Left edge of each node as a fraction (0..1) of the view; 0 for nodes not laid out. */
  x: Float64Array;
  /** Width of each node as a fraction of the view; 0 for nodes outside root's subtree. */
  width: Float64Array;
}

/** Lays out the subtree of `root` (and its ancestors at full width). */
export function layoutIcicle(tree: CallTree, root = 0): IcicleLayout {
  const n = tree.length;
  const x = new Float64Array(n);
  const width = new Float64Array(n);
  for (let a = tree.parent[root]!; a >= 0; a = tree.parent[a]!) width[a] = 1;
  const size = tree.size;
  const rootSize = size[root]!;
  const end = tree.end[root]!;
  if (rootSize > 0) {
    width[root] = 1;
    const scale = 1 / rootSize;
    // `next[p]`: where p's next child starts. Preorder visits p before its children, in order.
    const next = new Float64Array(n);
    next[root] = 0;
    for (let i = root + 1; i < end; i++) {
      const p = tree.parent[i]!;
      const w = Math.max(0, size[i]!) * scale;
      x[i] = next[p]!;
      width[i] = w;
      next[p] = next[p]! + w;
      next[i] = x[i]!;
    }
  }
  return { tree, root, x, width };
}

const layouts = new WeakMap<CallTree, Map<number, IcicleLayout>>();

/** `layoutIcicle`, memoized by tree and zoom root (a few roots per tree). */
export function icicleLayout(tree: CallTree, root = 0): IcicleLayout {
  let m = layouts.get(tree);
  if (!m) {
    m = new Map();
    layouts.set(tree, m);
  }
  let l = m.get(root);
  if (!l) {
    l = layoutIcicle(tree, root);
    m.set(root, l);
    if (m.size > 8) m.delete(m.keys().next().value as number);
  }
  return l;
}

/** Rectangles to draw, in CSS px (or any unit: x and width are scaled by `widthPx`). */
export interface FlameRects {
  length: number;
  /** The node drawn; for a merged rectangle the widest of its nodes. */
  node: Int32Array;
  /** Row: the node's depth in the tree. */
  depth: Int32Array;
  x: Float64Array;
  width: Float64Array;
  /** How many sibling nodes this rectangle stands for (1 for a node drawn on its own). */
  merged: Int32Array;
}

export interface FlameRectOptions {
  /** Nodes narrower than this many px are merged (default 1). */
  minPx?: number;
  /** Rows shown: nodes deeper than this are not listed (default: all). */
  maxDepth?: number;
  /** Leave out rows above this depth (default 0: the root row is listed). */
  minDepth?: number;
}

/** The draw list of a layout at a given width in px. */
export function flameRects(
  layout: IcicleLayout,
  widthPx: number,
  options: FlameRectOptions = {},
): FlameRects {
  const { tree, root, x, width } = layout;
  const minPx = options.minPx ?? 1;
  const maxDepth = options.maxDepth ?? Infinity;
  const minDepth = options.minDepth ?? 0;
  const out = {
    node: new Column(Int32Array, 1024),
    depth: new Column(Int32Array, 1024),
    x: new Column(Float64Array, 1024),
    width: new Column(Float64Array, 1024),
    merged: new Column(Int32Array, 1024),
  };
  const emit = (node: number, left: number, w: number, merged: number): void => {
    const d = tree.depth[node]!;
    if (d < minDepth) return;
    out.node.push(node);
    out.depth.push(d);
    out.x.push(left * widthPx);
    out.width.push(w * widthPx);
    out.merged.push(merged);
  };
  const ancestors: number[] = [];
  for (let a = tree.parent[root]!; a >= 0; a = tree.parent[a]!) ancestors.push(a);
  for (let k = ancestors.length - 1; k >= 0; k--) {
    const a = ancestors[k]!;
    if (tree.depth[a]! <= maxDepth) emit(a, 0, 1, 1);
  }
  const minFrac = minPx / widthPx;
  const end = tree.end[root]!;
  let i = root;
  while (i < end) {
    const d = tree.depth[i]!;
    if (d > maxDepth) {
      i = tree.end[i]!;
      continue;
    }
    const w = width[i]!;
    if (w >= minFrac || i === root) {
      if (w > 0) emit(i, x[i]!, w, 1);
      else {
        i = tree.end[i]!;
        continue;
      }
      i++;
      continue;
    }
    // A run of narrow siblings: merge until minPx wide, skipping their subtrees.
    const p = tree.parent[i]!;
    const siblingsEnd = tree.end[p]!;
    let runStart = x[i]!;
    let runWidth = 0;
    let runNode = -1;
    let runBest = -1;
    let runCount = 0;
    let j = i;
    while (j < siblingsEnd && width[j]! < minFrac) {
      const wj = width[j]!;
      if (wj > 0) {
        if (runCount === 0) runStart = x[j]!;
        runWidth += wj;
        runCount++;
        if (wj > runBest) {
          runBest = wj;
          runNode = j;
        }
        if (runWidth >= minFrac) {
          emit(runNode, runStart, runWidth, runCount);
          runWidth = 0;
          runCount = 0;
          runBest = -1;
        }
      }
      j = tree.end[j]!;
    }
    if (runCount > 0) emit(runNode, runStart, runWidth, runCount);
    i = j;
  }
  return {
    length: out.node.length,
    node: out.node.finish(),
    depth: out.depth.finish(),
    x: out.x.finish(),
    width: out.width.finish(),
    merged: out.merged.finish(),
  };
}

/** The node under a point: `depth` row and `fx` fraction of the width (hit testing). */
export function nodeAt(layout: IcicleLayout, depth: number, fx: number): number {
  const { tree, root, x, width } = layout;
  if (depth < tree.depth[root]!) {
    let a = root;
    while (a >= 0 && tree.depth[a]! > depth) a = tree.parent[a]!;
    return a;
  }
  // Walk down from the root, choosing the child that holds fx.
  let n = root;
  while (tree.depth[n]! < depth) {
    let found = -1;
    for (let c = n + 1; c < tree.end[n]!; c = tree.end[c]!) {
      if (fx >= x[c]! && fx < x[c]! + width[c]!) {
        found = c;
        break;
      }
    }
    if (found < 0) return -1;
    n = found;
  }
  return fx >= x[n]! && fx < x[n]! + width[n]! ? n : -1;
}
