import { describe, expect, it } from 'vitest';
import { buildCallTree, nodeName } from '../analysis/flame';
import { stackSetFromText, syntheticStackSet } from '../analysis/stackSetText';
import { packTree } from '../engine/flame';
import {
  flameRects,
  heaviestPath,
  nameIndex,
  nodeAt,
  nodeByNames,
  nodeFunc,
  pathNames,
  type FlameRects,
} from './flameTree';

const basic = stackSetFromText(`
  main;a;b 5
  main;a;c 3
  main;d 2
  main;a 1
`);

/** Each drawn node's [x, width] in px. */
function boxes(r: FlameRects): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  for (let k = 0; k < r.length; k++)
    out.set(r.node[k]!, [+r.x[k]!.toFixed(6), +r.width[k]!.toFixed(6)]);
  return out;
}

describe('icicle layout', () => {
  it('places children side by side in order, as fractions of the zoom root', () => {
    const t = buildCallTree(basic);
    // Nodes: 0 root, 1 main, 2 a, 3 b, 4 c, 5 d (preorder, by name).
    const all = boxes(flameRects(t, 0, 11));
    expect(all.get(1)).toEqual([0, 11]);
    expect(all.get(2)).toEqual([0, 9]);
    expect(all.get(4)).toEqual([5, 3]);
    expect(all.get(5)).toEqual([9, 2]);
    // Zoomed on a: a and its ancestors span the width, d is out of view.
    const z = boxes(flameRects(t, 2, 9));
    expect([z.get(0), z.get(1), z.get(2)]).toEqual([
      [0, 9],
      [0, 9],
      [0, 9],
    ]);
    expect(z.get(3)).toEqual([0, 5]);
    expect(z.get(4)).toEqual([5, 3]);
    expect(z.has(5)).toBe(false);
  });

  it('gives negative weights (a -diff_base profile) their magnitude as width', () => {
    const t = buildCallTree(stackSetFromText('main;a -3\nmain;b 5'));
    const b = boxes(flameRects(t, 0, 8));
    expect([b.get(2), b.get(3)]).toEqual([
      [0, 3],
      [3, 5],
    ]);
  });
});

describe('hit testing', () => {
  it('finds the node under a point, ancestors of the zoom root at full width', () => {
    const t = buildCallTree(basic);
    expect(nodeAt(t, 2, 3, 0.7)).toBe(4); // zoomed on a: c, right of b (5/9)
    expect(nodeAt(t, 2, 1, 0.99)).toBe(1); // main: an ancestor spans everything
    expect(nodeAt(t, 0, 2, 0.95)).toBe(5); // d, the last 2/11
    expect(nodeAt(t, 0, 4, 0.5)).toBe(-1); // below the deepest row
  });
});

describe('level of detail', () => {
  it('merges nodes narrower than a pixel so rectangles follow pixels', () => {
    const lines = ['main;big 1000'];
    for (let k = 0; k < 1000; k++) lines.push(`main;f${String(k).padStart(4, '0')};leaf 1`);
    const t = buildCallTree(stackSetFromText(lines.join('\n')));
    const rects = flameRects(t, 0, 100);
    // root, main, big, and the 1000 narrow f's (0.05 px each) merged into ~50 one-pixel runs;
    // their `leaf` children are never visited.
    expect(rects.length).toBeLessThan(60);
    let narrowWidth = 0;
    let merged = 0;
    for (let r = 0; r < rects.length; r++) {
      if (rects.depth[r] === 2 && nodeName(t, rects.node[r]!) !== 'big') {
        narrowWidth += rects.width[r]!;
        merged += rects.merged[r]!;
        expect(rects.width[r]).toBeGreaterThanOrEqual(0.999);
      }
    }
    expect(merged).toBe(1000);
    expect(narrowWidth).toBeCloseTo(50);
    const wide = flameRects(t, 0, 100_000);
    expect(wide.length).toBe(3 + 2000);
    expect(flameRects(t, 0, 100, { maxDepth: 1 }).length).toBe(2);
  });

  it('lays out 100k samples over 20k stacks', () => {
    // Its speed (goal 100 ms) is measured by scripts/bench-flame.ts, not here.
    const set = syntheticStackSet({ samples: 100_000, distinctStacks: 20_000 });
    const tree = buildCallTree(set);
    const rects = flameRects(tree, 0, 1600);
    expect(tree.total[0]).toBe(100_000 * 10_000_000);
    expect(rects.length).toBeGreaterThan(10);
  });
});

describe('the tree the engine sends', () => {
  it('carries names, files and lines of its own; zooms by names', () => {
    const t = buildCallTree(basic);
    const sent = packTree(t, basic);
    expect(sent.length).toBe(t.length);
    expect(sent.names.length).toBeLessThanOrEqual(t.strings.length + 1);
    for (let i = 1; i < t.length; i++) expect(nodeFunc(sent, i)).toBe(nodeName(t, i));
    expect(pathNames(sent, 4)).toEqual(['main', 'a', 'c']);
    expect(nodeByNames(sent, ['main', 'a', 'c'])).toBe(4);
    // As deep as the names lead.
    expect(nodeByNames(sent, ['main', 'a', 'nope'])).toBe(2);
    expect(nameIndex(sent, 'a')).toBe(sent.name[2]);
    expect(nameIndex(sent, 'nope')).toBe(-1);
    expect(heaviestPath(sent)).toEqual(['main', 'a', 'b']);
    expect(nodeAt(sent, 2, 3, 0.7)).toBe(4);
  });
});
