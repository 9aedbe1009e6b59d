import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../base/errors';
import { decodeGoTrace } from '../formats/gotrace/decode';
import type { TraceModel } from '../model/trace';
import { CORPUS_DIR, corpusFiles } from '../testing/summaryCompare';
import { buildCallTree, childrenOf, compilePattern, nodeName, searchTree } from './flame';
import { blockingSeries, findSpikes, overlappingTasks } from './spikes';
import { traceIndexes } from './traceIndex';
import { rangeStacks, traceStackSet, type RangeStacks } from './traceStacks';
import { traceOf } from './testTrace';

/** The range indexes and range-stack state of a model, one per model for this file's tests. */
const held = new Map<TraceModel, RangeStacks>();
function rsOf(m: TraceModel): RangeStacks {
  let rs = held.get(m);
  if (!rs) {
    rs = rangeStacks(traceIndexes(m));
    held.set(m, rs);
  }
  return rs;
}

describe('spike finder (synthetic)', () => {
  // Five goroutines wait on the network for the whole trace (the usual level); three pile up on
  // a mutex from 400 to 500, one of them until 520.
  const events = [];
  for (let g = 1; g <= 5; g++) {
    events.push({
      t: 0,
      g,
      state: 'waiting' as const,
      reason: 'network',
      stack: 'main.serve;net.read',
    });
  }
  for (let g = 6; g <= 8; g++) {
    events.push({ t: 0, g, state: 'running' as const });
    events.push({
      t: 400,
      g,
      state: 'waiting' as const,
      reason: 'sync',
      stack: 'main.handle;main.lookup;sync.(*Mutex).Lock',
    });
    events.push({ t: g === 8 ? 520 : 500, g, state: 'runnable' as const, waker: 9 });
  }
  events.push({ t: 0, g: 9, state: 'running' as const });
  const t = traceOf({
    end: 1000,
    events,
    tasks: [
      { name: 'refresh', start: 390, end: 500, g: 9 },
      { name: 'later', start: 600, end: 700, g: 9 },
    ],
  });

  it('finds the pile-up, not the steady level, with exact bounds and excess', () => {
    const spikes = findSpikes(traceIndexes(t.m), { buckets: 100 });
    expect(spikes).toHaveLength(1);
    const s = spikes[0]!;
    expect(s.family).toBe('sync');
    expect(s.series).toBe('sync');
    expect(s.topReason).toBe('sync');
    expect([s.startNs, s.endNs]).toEqual([400, 520]);
    expect(s.peakCount).toBe(3);
    expect(s.peakNs).toBe(400);
    expect(s.baseline).toBe(0);
    // 3 goroutines for 100 ns and 1 for 20 ns above a level of 0.
    expect(s.excessNs).toBe(320);
    expect(s.score).toBe(320);
    expect(Array.from(s.goroutines)).toEqual([t.g(6), t.g(7), t.g(8)]);
    expect(s.reasons).toEqual([{ reason: 'sync', ns: 320 }]);
    expect(s.taskNames).toEqual([{ name: 'refresh', count: 1 }]);
  });

  it('measures from the usual level when the level is not zero', () => {
    const spikes = findSpikes(traceIndexes(t.m), { buckets: 100, groupBy: 'family' });
    expect(spikes).toHaveLength(1);
    expect(spikes[0]!.family).toBe('sync');
    const network = blockingSeries(traceIndexes(t.m), { buckets: 100, groupBy: 'family' }).find(
      (s) => s.family === 'network',
    )!;
    expect(network.level).toBe(5);
    expect(network.spread).toBe(0);
  });

  it('lists tasks overlapping a range, longest overlap first, open ends open', () => {
    expect(Array.from(overlappingTasks(t.m, 450, 680))).toEqual([1, 0]);
    expect(Array.from(overlappingTasks(t.m, 500, 600))).toEqual([]);
  });
});

describe('spike finder: goroutines whose blocking rose (issue 20, item 8)', () => {
  // G1 waits on a WaitGroup ("sync") for the whole trace, as main.main does; G2 waits on "sync"
  // 300..700 (half of its life, as in the spike); G3..G6 pile up on a mutex 400..500.
  const events = [
    {
      t: 0,
      g: 1,
      state: 'waiting' as const,
      reason: 'sync',
      stack: 'main.main;sync.(*WaitGroup).Wait',
    },
    { t: 0, g: 2, state: 'running' as const },
    {
      t: 300,
      g: 2,
      state: 'waiting' as const,
      reason: 'sync',
      stack: 'main.slow;sync.(*Mutex).Lock',
    },
    { t: 700, g: 2, state: 'runnable' as const, waker: 7 },
    { t: 0, g: 7, state: 'running' as const },
  ];
  for (let g = 3; g <= 6; g++) {
    events.push({ t: 0, g, state: 'running' as const });
    events.push({
      t: 400,
      g,
      state: 'waiting' as const,
      reason: 'sync',
      stack: 'main.handle;sync.(*Mutex).Lock',
    });
    events.push({ t: 500, g, state: 'runnable' as const, waker: 7 });
  }
  const t = traceOf({ end: 1000, events });

  it('leaves out a goroutine blocked as much before and after the spike as in it', () => {
    const s = findSpikes(traceIndexes(t.m), { buckets: 100 })[0]!;
    // Above the level (1) from 300 to 700, cut at the end of the refinement window (the core
    // 400..500 padded by its length).
    expect([s.startNs, s.endNs]).toEqual([300, 600]);
    // G2 was blocked for all of the spike and for 100 of its other 700 ns: it rose.
    expect(Array.from(s.goroutines)).toEqual([t.g(2), t.g(3), t.g(4), t.g(5), t.g(6)]);
    expect(s.goroutineCount).toBe(5);
    expect(Array.from(s.background)).toEqual([t.g(1)]);
    // The excess is still measured over the usual level (G1 and half of G2's time: median 1).
    expect(s.baseline).toBe(1);
  });
});

// ---- the spike program: every Go 1.22+ trace the decoder reads ------------------------------------

/** The corpus traces of the spike program that decode (the v1 format ones once a decoder lands). */
function spikeTraces(): Array<{ name: string; model: TraceModel }> {
  const paths = corpusFiles('go-trace/spike', 'combined').filter(
    (p) => p.endsWith('.trace') || p.endsWith('/trace.out'),
  );
  const out: Array<{ name: string; model: TraceModel }> = [];
  for (const p of paths) {
    try {
      const { model, error } = decodeGoTrace(new Uint8Array(readFileSync(p)));
      if (error === null) out.push({ name: relative(CORPUS_DIR, p), model });
    } catch (e) {
      // Go 1.19/1.21 traces: the old format is not decoded yet.
      if (!(e instanceof DecodeError && e.kind === 'unsupported')) throw e;
    }
  }
  return out;
}

describe('the spike program: its 120 ms mutex hold is the first spike', () => {
  const traces = spikeTraces();

  it('decodes the Go 1.22-1.27 traces and the combined run', () => {
    expect(traces.length).toBeGreaterThanOrEqual(7);
  });

  for (const { name, model: m } of traces) {
    describe(name, () => {
      const spikes = findSpikes(rsOf(m).ix);
      const first = spikes[0]!;

      it('ranks the mutex pile-up first', () => {
        expect(first.family).toBe('sync');
        expect(first.topReason).toBe('sync');
        expect(first.peakCount).toBeGreaterThan(first.baseline + 2);
        // Well ahead of the next spike, not by a hair.
        expect(first.score).toBeGreaterThan(1.5 * (spikes[1]?.score ?? 0));
      });

      it('overlaps the refreshCache task', () => {
        const names = Array.from(first.tasks, (i) => m.strings[m.tasks.name[i] as number]);
        expect(names).toContain('refreshCache');
        const task = first.tasks[names.indexOf('refreshCache')]!;
        expect(m.tasks.start[task]!).toBeLessThan(first.endNs);
        expect(m.tasks.end[task]!).toBeGreaterThan(first.startNs);
      });

      it('its Blocked flame graph leads to main.lookup -> sync.(*Mutex).Lock', () => {
        const set = traceStackSet(rsOf(m), 'blocked', first.startNs, first.endNs, {
          split: 'reason',
        });
        const tree = buildCallTree(set);
        const sync = childrenOf(tree, 0).find((c) => nodeName(tree, c) === 'sync');
        expect(sync).toBeDefined();
        const hits = searchTree(tree, compilePattern('^sync\\.\\(\\*Mutex\\)\\.Lock$'), sync);
        let underLookup = 0;
        for (let i = sync!; i < tree.end[sync!]!; i++) {
          if (hits.match[i] && nodeName(tree, tree.parent[i]!) === 'main.lookup') {
            underLookup += tree.total[i]!;
          }
        }
        // Most of the time blocked on "sync" in the spike is handlers in lookup's Lock.
        expect(underLookup / tree.total[sync!]!).toBeGreaterThan(0.5);
        expect(hits.share).toBeGreaterThan(0.5);
      });
    });
  }
});
