// Icicle layout of a call tree (flame graph drawn top-down): the engine lays a tree out for its
// zoom root (engine/flame.ts) and the page turns the layout into a draw list whose length follows
// pixels, not nodes (render/flameTree.ts, the level-of-detail pass).
//
// Layout: for a zoom root z, z and its ancestors span the full width; each node of z's subtree
// gets x and width as fractions of z's `size`, children side by side in the tree's order starting
// at their parent's x. Rows are the tree's depths (the root, depth 0, is the "all samples" row).

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
