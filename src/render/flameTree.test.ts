import { describe, expect, it } from 'vitest';
import { buildCallTree, nodeName, type CallTree } from '../analysis/flame';
import { layoutIcicle } from '../analysis/flameLayout';
import { stackSetFromText, syntheticStackSet } from '../analysis/stackSetText';
import { packTree } from '../engine/flame';
import { flameRects, heaviestPath, nameIndex, nodeAt, nodeFunc, pathNames } from './flameTree';

const basic = stackSetFromText(`
  main;a;b 5
  main;a;c 3
  main;d 2
  main;a 1
`);

/** A call tree with the layout of `root`, as the page gets it. */
function laid(t: CallTree, root = 0) {
  const l = layoutIcicle(t, root);
  return { ...t, root, x: l.x, width: l.width };
}

describe('hit testing', () => {
  it('finds the node under a point, ancestors of the zoom root at full width', () => {
    const t = buildCallTree(basic);
    const z = laid(t, 2); // zoomed on a
    expect(nodeAt(z, 3, 0.7)).toBe(4); // c, right of b (5/9 of a)
    expect(nodeAt(z, 1, 0.99)).toBe(1); // main: an ancestor spans everything
    expect(nodeAt(laid(t), 2, 0.95)).toBe(5); // d, the last 2/11
    expect(nodeAt(laid(t), 4, 0.5)).toBe(-1); // below the deepest row
  });
});

describe('level of detail', () => {
  it('merges nodes narrower than a pixel so rectangles follow pixels', () => {
    const lines = ['main;big 1000'];
    for (let k = 0; k < 1000; k++) lines.push(`main;f${String(k).padStart(4, '0')};leaf 1`);
    const t = buildCallTree(stackSetFromText(lines.join('\n')));
    const rects = flameRects(laid(t), 100);
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
    const wide = flameRects(laid(t), 100_000);
    expect(wide.length).toBe(3 + 2000);
    expect(flameRects(laid(t), 100, { maxDepth: 1 }).length).toBe(2);
  });

  it('lays out 100k samples over 20k stacks quickly', () => {
    const set = syntheticStackSet({ samples: 100_000, distinctStacks: 20_000 });
    const t0 = performance.now();
    const tree = buildCallTree(set);
    const rects = flameRects(laid(tree), 1600);
    const ms = performance.now() - t0;
    expect(tree.total[0]).toBe(100_000 * 10_000_000);
    expect(rects.length).toBeGreaterThan(10);
    // The goal is 100 ms (scripts/bench-flame.ts measures it); this guards regressions loosely
    // on a shared test machine.
    expect(ms).toBeLessThan(1500);
  });
});

describe('the tree the engine sends', () => {
  it('carries names, files and lines of its own, and the layout of its zoom root', () => {
    const t = buildCallTree(basic);
    const sent = packTree(t, basic, 2);
    expect(sent.length).toBe(t.length);
    expect(sent.names.length).toBeLessThanOrEqual(t.strings.length + 1);
    for (let i = 1; i < t.length; i++) expect(nodeFunc(sent, i)).toBe(nodeName(t, i));
    expect(pathNames(sent, 4)).toEqual(['main', 'a', 'c']);
    expect(nameIndex(sent, 'a')).toBe(sent.name[2]);
    expect(nameIndex(sent, 'nope')).toBe(-1);
    expect(heaviestPath(sent)).toEqual(['main', 'a', 'b']);
    // The layout is for node 2 (a): a spans the view.
    expect(sent.root).toBe(2);
    expect(sent.width[2]).toBe(1);
    expect(nodeAt(sent, 3, 0.7)).toBe(4);
  });
});
