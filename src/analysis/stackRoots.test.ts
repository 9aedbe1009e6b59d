import { describe, expect, it } from 'vitest';
import { StringTable } from '../base/growable';
import { StackBuilder } from '../model/stacks';
import { RootedStacks } from './stackRoots';

function owner(paths: string[][]): {
  strings: string[];
  frames: ReturnType<StackBuilder['finish']>['frames'];
  stacks: ReturnType<StackBuilder['finish']>['stacks'];
  ids: number[];
} {
  const strings = new StringTable();
  const b = new StackBuilder(strings);
  const ids = paths.map((p) => b.stackFromRoot(p.map((f) => b.frame(f, 'x.go', 1))));
  return { strings: strings.strings, ...b.finish(), ids };
}

function names(r: RootedStacks, s: number): string[] {
  const out: string[] = [];
  const t = r.stacks;
  for (let i = s; i >= 0; i = t.parent[i] as number) {
    out.push(r.strings[r.frames.func[t.frame[i] as number] as number] ?? '');
  }
  return out.reverse();
}

describe('synthetic root frames over a stack table', () => {
  it('roots a stack under a label, sharing prefixes, in prefix order', () => {
    const o = owner([
      ['main', 'a', 'b'],
      ['main', 'a', 'c'],
    ]);
    const r = new RootedStacks(o);
    const sync = r.frameOf('sync');
    expect(r.labelOf(sync)).toBe('sync');
    expect(r.labelOf(0)).toBeNull();
    const b = r.rooted(sync, o.ids[0]!);
    const c = r.rooted(sync, o.ids[1]!);
    expect(names(r, b)).toEqual(['sync', 'main', 'a', 'b']);
    expect(names(r, c)).toEqual(['sync', 'main', 'a', 'c']);
    // "sync;main;a" exists once.
    expect(r.stacks.parent[b]).toBe(r.stacks.parent[c]);
    expect(r.rooted(sync, o.ids[0]!)).toBe(b);
    expect(names(r, r.rooted(sync, -1))).toEqual(['sync']);
    for (let s = 0; s < r.stacks.length; s++) expect(r.stacks.parent[s]!).toBeLessThan(s);
    // The owner's stacks keep their indexes and the owner's tables are untouched.
    expect(names(r, o.ids[0]!)).toEqual(['main', 'a', 'b']);
    expect(o.stacks.length).toBe(4);
    expect(o.frames.length).toBe(4);
  });

  it('reuses an owner string for a label it already has, and appends the others', () => {
    const o = owner([['sync', 'x']]);
    const r = new RootedStacks(o);
    r.addLabels(['sync', 'network']);
    expect(r.frames.func[r.frameOf('sync')]).toBe(o.strings.indexOf('sync'));
    expect(r.strings[r.frames.func[r.frameOf('network')]!]).toBe('network');
    expect(o.strings).not.toContain('network');
  });

  it('keeps a table handed out earlier intact while it grows', () => {
    const paths: string[][] = [];
    for (let i = 0; i < 400; i++) paths.push(['main', `f${i}`, `g${i}`]);
    const o = owner(paths);
    const r = new RootedStacks(o);
    const root = r.frameOf('select');
    const first = r.rooted(root, o.ids[0]!);
    const early = r.stacks;
    const frameCopy = Array.from(early.frame);
    const parentCopy = Array.from(early.parent);
    for (const id of o.ids) r.rooted(root, id);
    expect(r.stacks.length).toBeGreaterThan(early.length + 256);
    expect(Array.from(early.frame)).toEqual(frameCopy);
    expect(Array.from(early.parent)).toEqual(parentCopy);
    expect(names(r, first)).toEqual(['select', 'main', 'f0', 'g0']);
  });
});
