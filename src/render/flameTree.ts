// A flame graph on the page: the tree the engine sent (engine/flame.ts FlameTree, laid out for its
// zoom root) turned into a draw list whose length follows pixels, not nodes, plus hit testing and
// the names of nodes.
//
// Level of detail (gotraceui's renderedSpansIterator, Perfetto's slice mipmaps): a node narrower
// than `minPx` pixels is not drawn on its own and its subtree is skipped (every descendant is
// narrower still). Consecutive narrow siblings merge into one rectangle until it is `minPx`
// wide; the rectangle keeps the widest of them as its node (the dominant one). So the draw list
// has at most about (width / minPx) rectangles per row plus one per drawn parent.

import { Column } from '../base/growable';
import type { FlameTree } from '../engine/flame';

/** A tree in preorder with an icicle layout for `root` (a FlameTree, or analysis' layout). */
export interface LaidOutTree {
  parent: Int32Array;
  depth: Int32Array;
  /** The subtree of node i is [i, end[i]). */
  end: Int32Array;
  /** The zoom root. */
  root: number;
  /** Left edge and width of each node as fractions of the view. */
  x: Float64Array;
  width: Float64Array;
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

/** The draw list of a laid-out tree at a given width in px. */
export function flameRects(
  tree: LaidOutTree,
  widthPx: number,
  options: FlameRectOptions = {},
): FlameRects {
  const { root, x, width } = tree;
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
export function nodeAt(tree: LaidOutTree, depth: number, fx: number): number {
  const { root, x, width } = tree;
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

/** The function name of node n (the root is ''). */
export function nodeFunc(tree: FlameTree, n: number): string {
  const k = tree.name[n] ?? -1;
  return k < 0 ? '' : (tree.names[k] ?? '');
}

/** Function names from the outermost frame down to node n (a zoom path). */
export function pathNames(tree: FlameTree, n: number): string[] {
  const out: string[] = [];
  for (let i = n; i > 0; i = tree.parent[i]!) out.push(nodeFunc(tree, i));
  return out.reverse();
}

/** The index of a function name in the tree's name table (compare with `tree.name[n]`), or -1. */
export function nameIndex(tree: FlameTree, name: string | null): number {
  return name === null ? -1 : tree.names.indexOf(name);
}

/** From the root, the heaviest child at each level: where most of the weight leads. */
export function heaviestPath(tree: FlameTree, maxDepth = 64): string[] {
  const out: string[] = [];
  let n = 0;
  for (let depth = 0; depth < maxDepth; depth++) {
    let best = -1;
    for (let c = n + 1; c < tree.end[n]!; c = tree.end[c]!)
      if (best < 0 || tree.total[c]! > tree.total[best]!) best = c;
    if (best < 0) break;
    out.push(nodeFunc(tree, best));
    n = best;
  }
  return out;
}
