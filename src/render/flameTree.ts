// A flame graph on the page: the call tree the engine sent (engine/flame.ts FlameTree) drawn for a
// zoom root as a draw list whose length follows pixels, not nodes, plus hit testing and the names
// of nodes. Zooming is the page's alone: the layout is computed as the draw list is made.
//
// Icicle layout (flame graph drawn top-down): for a zoom root z, z and its ancestors span the full
// width; each node of z's subtree gets x and width as fractions of z's `size`, children side by
// side in the tree's order starting at their parent's x. Rows are the tree's depths (the root,
// depth 0, is the "all samples" row).
//
// Level of detail (gotraceui's renderedSpansIterator, Perfetto's slice mipmaps): a node narrower
// than `minPx` pixels is not drawn on its own and its subtree is skipped (every descendant is
// narrower still). Consecutive narrow siblings merge into one rectangle until it is `minPx`
// wide; the rectangle keeps the widest of them as its node (the dominant one). So the draw list
// has at most about (width / minPx) rectangles per row plus one per drawn parent, and making it
// visits only the drawn nodes and their children.

import { Column } from '../base/growable';
import type { FlameTree } from '../engine/flame';

/** A call tree in preorder with the width basis of each node (a FlameTree, or analysis' CallTree). */
export interface SizedTree {
  parent: Int32Array;
  depth: Int32Array;
  /** The subtree of node i is [i, end[i]). */
  end: Int32Array;
  /** What gives a node its width (its total, or its absolute mass in a -diff_base profile). */
  size: Float64Array;
  maxDepth: number;
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

/** The draw list of the tree zoomed on `root` at a given width in px. */
export function flameRects(
  tree: SizedTree,
  root: number,
  widthPx: number,
  options: FlameRectOptions = {},
): FlameRects {
  const { size } = tree;
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
  const rootSize = size[root]!;
  if (!(rootSize > 0)) return finish(out);
  const scale = 1 / rootSize;
  const widthOf = (i: number): number => Math.max(0, size[i]!) * scale;
  const minFrac = minPx / widthPx;
  // Where the next child of the node at each depth of the current path starts.
  const next = new Float64Array(tree.maxDepth + 2);
  const rootDepth = tree.depth[root]!;
  next[rootDepth] = 0;
  if (rootDepth <= maxDepth) emit(root, 0, 1, 1);
  const end = tree.end[root]!;
  let i = root + 1;
  while (i < end) {
    const d = tree.depth[i]!;
    const w = widthOf(i);
    const x = next[d - 1]!;
    if (d > maxDepth || w <= 0) {
      next[d - 1] = x + w;
      i = tree.end[i]!;
      continue;
    }
    if (w >= minFrac) {
      emit(i, x, w, 1);
      next[d - 1] = x + w;
      next[d] = x;
      i++;
      continue;
    }
    // A run of narrow siblings: merge until minPx wide, skipping their subtrees.
    const siblingsEnd = tree.end[tree.parent[i]!]!;
    let cursor = x;
    let runStart = x;
    let runWidth = 0;
    let runNode = -1;
    let runBest = -1;
    let runCount = 0;
    let j = i;
    while (j < siblingsEnd) {
      const wj = widthOf(j);
      if (wj >= minFrac) break;
      if (wj > 0) {
        if (runCount === 0) runStart = cursor;
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
      cursor += wj;
      j = tree.end[j]!;
    }
    if (runCount > 0) emit(runNode, runStart, runWidth, runCount);
    next[d - 1] = cursor;
    i = j;
  }
  return finish(out);
}

function finish(out: {
  node: Column<Int32Array>;
  depth: Column<Int32Array>;
  x: Column<Float64Array>;
  width: Column<Float64Array>;
  merged: Column<Int32Array>;
}): FlameRects {
  return {
    length: out.node.length,
    node: out.node.finish(),
    depth: out.depth.finish(),
    x: out.x.finish(),
    width: out.width.finish(),
    merged: out.merged.finish(),
  };
}

/**
 * The node under a point of the tree zoomed on `root`: `depth` row and `fx` fraction of the width
 * (hit testing), or -1.
 */
export function nodeAt(tree: SizedTree, root: number, depth: number, fx: number): number {
  if (depth < tree.depth[root]!) {
    let a = root;
    while (a >= 0 && tree.depth[a]! > depth) a = tree.parent[a]!;
    return a;
  }
  const rootSize = tree.size[root]!;
  if (!(rootSize > 0) || fx < 0 || fx >= 1) return -1;
  // Walk down from the root, choosing the child that holds fx.
  let n = root;
  let x = 0;
  while (tree.depth[n]! < depth) {
    let found = -1;
    for (let c = n + 1; c < tree.end[n]!; c = tree.end[c]!) {
      const w = Math.max(0, tree.size[c]!) / rootSize;
      if (fx >= x && fx < x + w) {
        found = c;
        break;
      }
      x += w;
    }
    if (found < 0) return -1;
    n = found;
  }
  return n;
}

/** The node reached by following function names from the root (the deepest match): a zoom. */
export function nodeByNames(tree: FlameTree, names: readonly string[]): number {
  let n = 0;
  for (const name of names) {
    const k = tree.names.indexOf(name);
    let found = -1;
    if (k >= 0)
      for (let c = n + 1; c < tree.end[n]!; c = tree.end[c]!)
        if (tree.name[c] === k) {
          found = c;
          break;
        }
    if (found < 0) break;
    n = found;
  }
  return n;
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
