import { describe, expect, it } from 'vitest';
import {
  buildCallTree,
  buildDiffTree,
  buildSandwich,
  buildTopTable,
  childrenOf,
  compilePattern,
  exactPattern,
  nextSibling,
  firstChild,
  nodeName,
  nodePath,
  PatternError,
  searchTree,
  sortTopTable,
  type CallTree,
} from './flame';
import { stackSetFromText, syntheticStackSet } from './stackSetText';

/** The tree as indented lines `name total/self`, children in tree order. */
function dump(
  tree: CallTree,
  values: (i: number) => string = (i) => `${tree.total[i]}/${tree.self[i]}`,
): string[] {
  const out: string[] = [];
  for (let i = 1; i < tree.length; i++) {
    out.push(`${'  '.repeat(tree.depth[i]! - 1)}${nodeName(tree, i)} ${values(i)}`);
  }
  return out;
}

const basic = stackSetFromText(`
  main;a;b 5
  main;a;c 3
  main;d 2
  main;a 1
`);

describe('call tree', () => {
  it('merges stacks by function with self and total', () => {
    const t = buildCallTree(basic);
    expect(t.total[0]).toBe(11);
    expect(dump(t)).toEqual(['main 11/0', '  a 9/1', '    b 5/5', '    c 3/3', '  d 2/2']);
    // Preorder with subtree ranges; children by first child / next sibling.
    expect(Array.from(t.end)).toEqual([6, 6, 5, 4, 5, 6]);
    expect(Array.from(t.parent)).toEqual([-1, 0, 1, 2, 2, 1]);
    expect(firstChild(t, 1)).toBe(2);
    expect(nextSibling(t, 2)).toBe(5);
    expect(nextSibling(t, 5)).toBe(-1);
    expect(firstChild(t, 3)).toBe(-1);
    expect(nodePath(t, 4)).toEqual(['main', 'a', 'c']);
    expect(t.maxDepth).toBe(3);
  });

  it('orders children by name, or heaviest first', () => {
    const set = stackSetFromText('main;zeta 10\nmain;alpha 1\nmain;mid 5');
    const byName = buildCallTree(set);
    expect(childrenOf(byName, 1).map((c) => nodeName(byName, c))).toEqual(['alpha', 'mid', 'zeta']);
    const heavy = buildCallTree(set, { order: 'heavy' });
    expect(childrenOf(heavy, 1).map((c) => nodeName(heavy, c))).toEqual(['zeta', 'mid', 'alpha']);
  });

  it('merges by function or keeps frames (lines) apart', () => {
    const set = stackSetFromText('main;work@w.go:10 1\nmain;work@w.go:20 2\nmain;work@w.go:10 3');
    expect(dump(buildCallTree(set))).toEqual(['main 6/0', '  work 6/6']);
    const byFrame = buildCallTree(set, { mergeBy: 'frame' });
    expect(dump(byFrame)).toEqual(['main 6/0', '  work 4/4', '  work 2/2']);
    expect(set.frames.line[byFrame.frame[2]!]).toBe(10);
  });

  it('inverts (bottom-up)', () => {
    expect(dump(buildCallTree(basic, { invert: true }))).toEqual([
      'a 1/0',
      '  main 1/1',
      'b 5/0',
      '  a 5/0',
      '    main 5/5',
      'c 3/0',
      '  a 3/0',
      '    main 3/3',
      'd 2/0',
      '  main 2/2',
    ]);
  });

  it('leaves samples without a stack out and keeps zero-weight samples as nodes', () => {
    const t = buildCallTree(stackSetFromText(' 4\nmain;free 0\nmain 1'));
    expect(t.total[0]).toBe(1);
    expect(dump(t)).toEqual(['main 1/1', '  free 0/0']);
  });

  it('sizes negative weights by magnitude so children fit (the layout gives width by size)', () => {
    const t = buildCallTree(stackSetFromText('main;a -3\nmain;b 5'));
    expect(t.hasNegative).toBe(true);
    expect(t.total[1]).toBe(2);
    expect(Array.from(t.size.subarray(1, 4))).toEqual([8, 3, 5]);
  });
});

describe('filters', () => {
  it('focus keeps samples whose stack has a match', () => {
    expect(dump(buildCallTree(basic, { focus: '^c$' }))).toEqual([
      'main 3/0',
      '  a 3/0',
      '    c 3/3',
    ]);
    // A sample is kept once even when several of its frames match.
    expect(buildCallTree(basic, { focus: '^(a|b)$' }).total[0]).toBe(9);
  });

  it('ignore drops samples whose stack has a match', () => {
    expect(dump(buildCallTree(basic, { ignore: '^a$' }))).toEqual(['main 2/0', '  d 2/2']);
    expect(buildCallTree(basic, { focus: '^a$', ignore: '^b$' }).total[0]).toBe(4);
  });

  it('hide removes frames, their callees joining the caller', () => {
    expect(dump(buildCallTree(basic, { hide: '^a$' }))).toEqual([
      'main 11/1',
      '  b 5/5',
      '  c 3/3',
      '  d 2/2',
    ]);
    // Hiding a frame merges what it separated.
    const set = stackSetFromText('main;wrap;work 2\nmain;work 3');
    expect(dump(buildCallTree(set, { hide: 'wrap' }))).toEqual(['main 5/0', '  work 5/5']);
  });

  it('rejects invalid patterns with a PatternError', () => {
    expect(() => buildCallTree(basic, { focus: '(' })).toThrow(PatternError);
    expect(compilePattern('main\\.').test('main.x')).toBe(true);
    const name = 'main.(*T).Run[...]';
    expect(compilePattern(exactPattern(name)).test(name)).toBe(true);
    expect(compilePattern(exactPattern(name)).test(`x${name}`)).toBe(false);
  });
});

describe('search', () => {
  it('marks matching nodes and counts each sample once', () => {
    const set = stackSetFromText('main;f;g;f 4\nmain;f 1\nmain;h 5');
    const t = buildCallTree(set);
    const r = searchTree(t, compilePattern('^f$'));
    expect(r.count).toBe(2);
    expect(r.matched).toBe(5); // not 9: the recursive f counts its samples once
    expect(r.share).toBe(0.5);
    expect(dump(t, (i) => String(r.match[i]))).toEqual([
      'main 0',
      '  f 1',
      '    g 0',
      '      f 1',
      '  h 0',
    ]);
    const several = searchTree(t, compilePattern('^(f|g|h)$'));
    expect(several.matched).toBe(10);
    // Within a zoomed subtree, and with a match above the zoom root.
    const g = t.func.indexOf(set.strings.indexOf('g'));
    expect(searchTree(t, compilePattern('^g$'), g).share).toBe(1);
    expect(searchTree(t, compilePattern('^h$'), 2).share).toBe(0);
    expect(searchTree(t, compilePattern('^f$'), g).share).toBe(1);
  });
});

describe('sandwich', () => {
  const set = stackSetFromText('main;f;g;f;h 4\nmain;f 1\nmain;x;f 2\nmain;y 3');

  it('callees start at the outermost call', () => {
    const { callees } = buildSandwich(set, 'f');
    expect(callees.total[0]).toBe(7);
    expect(dump(callees)).toEqual(['f 7/3', '  g 4/0', '    f 4/0', '      h 4/4']);
  });

  it('callers are inverted from the innermost call', () => {
    const { callers } = buildSandwich(set, 'f');
    expect(callers.total[0]).toBe(7);
    expect(dump(callers)).toEqual([
      'f 7/0',
      '  g 4/0',
      '    f 4/0',
      '      main 4/4',
      '  main 1/1',
      '  x 2/0',
      '    main 2/2',
    ]);
  });

  it('is empty for an unknown function and honours filters', () => {
    expect(buildSandwich(set, 'nope').callers.length).toBe(1);
    expect(buildSandwich(set, 'f', { ignore: '^x$' }).callees.total[0]).toBe(5);
  });
});

describe('top table', () => {
  it('gives flat and cum per function, cum once per sample', () => {
    const set = stackSetFromText('main;f;g;f;h 4\nmain;f 1\nmain;x;f 2\nmain;y 3');
    const table = buildTopTable(buildCallTree(set));
    const rows = (by: 'flat' | 'cum'): string[] =>
      Array.from(sortTopTable(table, by)).map(
        (r) => `${table.strings[table.func[r]!]} ${table.flat[r]} ${table.cum[r]}`,
      );
    expect(rows('cum')).toEqual(['main 0 10', 'f 3 7', 'g 0 4', 'h 4 4', 'y 3 3', 'x 0 2']);
    expect(rows('flat')).toEqual(['h 4 4', 'f 3 7', 'y 3 3', 'g 0 4', 'main 0 10', 'x 0 2']);
    expect(table.total).toBe(10);
    const ascending = Array.from(sortTopTable(table, 'name', false)).map(
      (r) => table.strings[table.func[r]!],
    );
    expect(ascending).toEqual(['f', 'g', 'h', 'main', 'x', 'y']);
  });

  it('agrees with a brute-force count over samples', () => {
    const set = syntheticStackSet({ samples: 3000, distinctStacks: 500, functions: 60, seed: 7 });
    const table = buildTopTable(buildCallTree(set));
    const flat = new Map<number, number>();
    const cum = new Map<number, number>();
    for (let i = 0; i < set.sampleStacks.length; i++) {
      const w = set.weights[i]!;
      const seen = new Set<number>();
      let s = set.sampleStacks[i]!;
      const leaf = set.frames.func[set.stacks.frame[s]!]!;
      flat.set(leaf, (flat.get(leaf) ?? 0) + w);
      for (; s >= 0; s = set.stacks.parent[s]!) {
        const f = set.frames.func[set.stacks.frame[s]!]!;
        if (!seen.has(f)) cum.set(f, (cum.get(f) ?? 0) + w);
        seen.add(f);
      }
    }
    expect(table.length).toBe(cum.size);
    for (let r = 0; r < table.length; r++) {
      expect(table.cum[r]).toBe(cum.get(table.func[r]!));
      expect(table.flat[r]).toBe(flat.get(table.func[r]!) ?? 0);
    }
  });
});

describe('differential', () => {
  const a = stackSetFromText('main;a 5\nmain;b 5');
  const b = stackSetFromText('main;a 2\nmain;c 8');

  it('merges both sets by name with per-node values of each', () => {
    const d = buildDiffTree(a, b);
    expect(dump(d, (i) => `${d.totalA[i]}->${d.totalB[i]}`)).toEqual([
      'main 10->10',
      '  a 5->2',
      '  b 5->0',
      '  c 0->8',
    ]);
    expect(Array.from(d.total)).toEqual(Array.from(d.totalB));
    const sum = buildDiffTree(a, b, { basis: 'sum' });
    expect(sum.total[1]).toBe(20);
  });

  it('normalizes A to B, orders by the basis, and honours filters', () => {
    const b2 = stackSetFromText('main;a 4\nmain;c 16');
    const d = buildDiffTree(a, b2, { normalize: true, order: 'heavy' });
    expect(d.scaleA).toBe(2);
    expect(dump(d, (i) => `${d.totalA[i]}->${d.totalB[i]}`)).toEqual([
      'main 20->20',
      '  c 0->16',
      '  a 10->4',
      '  b 10->0',
    ]);
    const f = buildDiffTree(a, b, { ignore: '^a$' });
    expect(f.totalA[0]).toBe(5);
    expect(f.totalB[0]).toBe(8);
  });
});
