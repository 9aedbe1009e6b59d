import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeGoTrace } from '../formats/gotrace/decode';
import {
  GS_RUNNABLE,
  GS_SYSCALL,
  GS_WAITING,
  IV_STATUS,
  intervalEnd,
  type TraceModel,
} from '../model/trace';
import { CORPUS_DIR, expectedSummary } from '../testing/summaryCompare';
import { buildCallTree, childrenOf, nodeName, nodePath, type CallTree } from './flame';
import { reasonMask } from './reasons';
import { overlapping, traceIndexes } from './traceIndex';
import { rangeStacks, traceStackSet, type RangeStacks, type TraceStackSet } from './traceStacks';
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

const LOCK = 'main.main;main.lookup;sync.(*Mutex).Lock';
const RECV = 'main.main;main.worker;runtime.chanrecv1';

/** Weight per folded stack (outermost first) of a set, read through its own tables. */
function weightsByStack(set: TraceStackSet): Record<string, number> {
  const out: Record<string, number> = {};
  for (let k = 0; k < set.sampleStacks.length; k++) {
    const names: string[] = [];
    for (let s = set.sampleStacks[k] as number; s >= 0; s = set.stacks.parent[s] as number) {
      names.push(set.strings[set.frames.func[set.stacks.frame[s] as number] as number] ?? '');
    }
    const key = names.reverse().join(';');
    out[key] = (out[key] ?? 0) + (set.weights[k] as number);
  }
  return out;
}

function rootTotals(tree: CallTree): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of childrenOf(tree, 0)) out[nodeName(tree, c)] = tree.total[c] as number;
  return out;
}

describe('blocked time in a range (synthetic)', () => {
  const t = traceOf({
    end: 400,
    events: [
      { t: 0, g: 1, state: 'waiting', reason: 'sync', stack: LOCK },
      { t: 100, g: 1, state: 'runnable', waker: 2, stack: 'main.refresh;sync.(*Mutex).Unlock' },
      { t: 110, g: 1, state: 'running' },
      { t: 20, g: 2, state: 'running' },
      { t: 120, g: 2, state: 'waiting', reason: 'chan receive', stack: RECV },
      { t: 300, g: 2, state: 'runnable' },
      { t: 320, g: 2, state: 'running' },
      {
        t: 30,
        g: 3,
        state: 'waiting',
        reason: 'sync.(*Cond).Wait',
        stack: 'main.main;sync.(*Cond).Wait',
      },
      { t: 230, g: 3, state: 'runnable', waker: 2 },
      { t: 240, g: 3, state: 'syscall', stack: 'main.main;syscall.read' },
      { t: 290, g: 3, state: 'running' },
    ],
  });
  const { m } = t;

  it('weights a wait by its overlap with the range: waiting 0..100, range 50..150 gives 50', () => {
    const set = traceStackSet(rsOf(m), 'blocked', 50, 150, { goroutines: [t.g(1)] });
    expect(weightsByStack(set)).toEqual({ [LOCK]: 50 });
    expect(set.count).toBe(1);
    expect(set.total).toBe(50);
    expect(set.goroutineCount).toBe(1);
    expect(set.unit).toBe('nanoseconds');
  });

  it('sums every goroutine waiting in the range', () => {
    const set = traceStackSet(rsOf(m), 'blocked', 50, 150);
    // g1: 50..100 = 50; g2: 120..150 = 30; g3: 50..150 = 100.
    expect(weightsByStack(set)).toEqual({
      [LOCK]: 50,
      [RECV]: 30,
      'main.main;sync.(*Cond).Wait': 100,
    });
    expect(set.goroutineCount).toBe(3);
    // The whole trace: g1 100, g2 180, g3 200.
    expect(traceStackSet(rsOf(m), 'blocked', 0, 400).total).toBe(480);
  });

  it('leaves out waits that only touch the range, and empty ranges', () => {
    expect(traceStackSet(rsOf(m), 'blocked', 100, 110, { goroutines: [t.g(1)] }).count).toBe(0);
    expect(traceStackSet(rsOf(m), 'blocked', 60, 60).count).toBe(0);
    expect(traceStackSet(rsOf(m), 'blocked', 150, 50).count).toBe(0);
  });

  it('filters by reason family or by exact reason', () => {
    const sync = traceStackSet(rsOf(m), 'blocked', 0, 400, { reasons: { families: ['sync'] } });
    expect(weightsByStack(sync)).toEqual({ [LOCK]: 100, 'main.main;sync.(*Cond).Wait': 200 });
    const exact = traceStackSet(rsOf(m), 'blocked', 0, 400, { reasons: { reasons: ['sync'] } });
    expect(weightsByStack(exact)).toEqual({ [LOCK]: 100 });
    const chan = traceStackSet(rsOf(m), 'blocked', 0, 400, { reasons: { families: ['channel'] } });
    expect(weightsByStack(chan)).toEqual({ [RECV]: 180 });
  });

  it('splits by reason under synthetic root frames without touching the model', () => {
    const frames = m.frames.length;
    const stacks = m.stacks.length;
    const strings = m.strings.length;
    const set = traceStackSet(rsOf(m), 'blocked', 0, 400, { split: 'reason' });
    expect(rootTotals(buildCallTree(set))).toEqual({
      sync: 100,
      'chan receive': 180,
      'sync.(*Cond).Wait': 200,
    });
    expect(weightsByStack(set)[`sync;${LOCK}`]).toBe(100);
    // The synthetic frames are the set's last frames.
    expect(set.syntheticFrom).toBe(frames);
    expect(set.frames.length).toBeGreaterThan(frames);
    // The model's own tables are as they were, and its stack indexes keep their meaning.
    expect(m.frames.length).toBe(frames);
    expect(m.stacks.length).toBe(stacks);
    expect(m.strings.length).toBe(strings);
    for (let s = 0; s < stacks; s++) {
      expect(set.stacks.frame[s]).toBe(m.stacks.frame[s]);
      expect(set.stacks.parent[s]).toBe(m.stacks.parent[s]);
    }
    // New stacks: one root per synthetic frame, and the rooted copies of the 3 stacks used
    // (3 + 3 + 2 frames); nothing else.
    expect(set.stacks.length - stacks).toBe(set.frames.length - frames + 8);
  });

  it('splits by family: a mutex and a sync.Cond both go under "sync"', () => {
    const set = traceStackSet(rsOf(m), 'blocked', 0, 400, { split: 'family' });
    expect(rootTotals(buildCallTree(set))).toEqual({ sync: 300, channel: 180 });
  });

  it('keeps the stack of the transition into the wait over status re-statements', () => {
    const s = traceOf({
      end: 100,
      events: [
        { t: 0, g: 1, state: 'waiting', reason: 'select', stack: 'main.main;runtime.selectgo' },
        {
          t: 60,
          g: 1,
          state: 'waiting',
          status: true,
          stack: 'main.main;runtime.selectgo;runtime.gopark',
        },
      ],
    });
    expect(s.m.intervals.flags[1]).toBe(IV_STATUS);
    const set = traceStackSet(rsOf(s.m), 'blocked', 0, 100);
    expect(weightsByStack(set)).toEqual({ 'main.main;runtime.selectgo': 100 });
  });

  it('counts waits without a stack as noStack, or under their root when split', () => {
    const s = traceOf({ end: 50, events: [{ t: 10, g: 1, state: 'waiting', reason: 'sleep' }] });
    const plain = traceStackSet(rsOf(s.m), 'blocked', 0, 50);
    expect(plain.noStack).toBe(40);
    expect(plain.total).toBe(40);
    expect(buildCallTree(plain).total[0]).toBe(0);
    const split = traceStackSet(rsOf(s.m), 'blocked', 0, 50, { split: 'reason' });
    expect(rootTotals(buildCallTree(split))).toEqual({ sleep: 40 });
  });

  it('scheduler wait: the event stack as Go does, or the goroutine own stack', () => {
    // g1 runnable 100..110 after g2 unblocked it at main.refresh.
    const event = traceStackSet(rsOf(m), 'sched', 0, 400, { goroutines: [t.g(1)] });
    expect(weightsByStack(event)).toEqual({ 'main.refresh;sync.(*Mutex).Unlock': 10 });
    const own = traceStackSet(rsOf(m), 'sched', 0, 400, {
      goroutines: [t.g(1)],
      runnableStack: 'own',
    });
    expect(weightsByStack(own)).toEqual({ [LOCK]: 10 });
    // g2 runnable 300..320 unblocked by nobody: no event stack, its own is where it waited.
    const g2 = traceStackSet(rsOf(m), 'sched', 0, 400, {
      goroutines: [t.g(2)],
      runnableStack: 'own',
    });
    expect(weightsByStack(g2)).toEqual({ [RECV]: 20 });
    expect(traceStackSet(rsOf(m), 'sched', 0, 400, { goroutines: [t.g(2)] }).noStack).toBe(20);
  });

  it('syscall time in the range', () => {
    const set = traceStackSet(rsOf(m), 'syscall', 250, 400);
    expect(weightsByStack(set)).toEqual({ 'main.main;syscall.read': 40 });
  });

  it('keeps returned sets intact when later queries reuse the scratch', () => {
    const a = traceStackSet(rsOf(m), 'blocked', 0, 400, { split: 'reason' });
    const before = Array.from(a.weights);
    traceStackSet(rsOf(m), 'blocked', 10, 390, { split: 'family' });
    traceStackSet(rsOf(m), 'blocked', 10, 380);
    expect(Array.from(a.weights)).toEqual(before);
  });
});

describe('CPU samples in a range (synthetic)', () => {
  const t = traceOf({
    end: 100,
    events: [
      { t: 0, g: 1, state: 'running' },
      { t: 0, g: 2, state: 'running' },
    ],
    samples: [
      { t: 10, g: 1, stack: 'main.main;main.compute' },
      { t: 20, g: 1, stack: 'main.main;main.compute' },
      { t: 30, g: 2, stack: 'main.worker' },
      { t: 40, g: 2, stack: 'main.worker' },
    ],
  });

  it('counts the samples in the closed range, weight 1 each', () => {
    const set = traceStackSet(rsOf(t.m), 'cpu', 10, 30);
    expect(weightsByStack(set)).toEqual({ 'main.main;main.compute': 2, 'main.worker': 1 });
    expect(set.count).toBe(3);
    expect(set.total).toBe(3);
    expect(set.unit).toBe('count');
    expect(set.goroutineCount).toBe(2);
  });

  it('keeps only the subset goroutines', () => {
    const set = traceStackSet(rsOf(t.m), 'cpu', 0, 100, { goroutines: new Set([t.g(2)]) });
    expect(weightsByStack(set)).toEqual({ 'main.worker': 2 });
  });
});

// ---- real traces ----------------------------------------------------------------------------------

const SPIKE = join(CORPUS_DIR, 'go-trace/spike/go1.26.trace');

function loadSpike(): TraceModel {
  return decodeGoTrace(new Uint8Array(readFileSync(SPIKE))).model;
}

describe('range stack sets on the go1.26 spike trace', () => {
  const m = loadSpike();

  it('over the whole trace, match the per-goroutine state times of Go reader (SUMMARY.md)', () => {
    const expected = expectedSummary(SPIKE).goroutines as Record<
      string,
      { waiting: number; runnable: number; syscall: number }
    >;
    let waiting = 0;
    let runnable = 0;
    let syscall = 0;
    let n = 0;
    for (const g of Object.values(expected)) {
      waiting += g.waiting;
      runnable += g.runnable;
      syscall += g.syscall;
      n++;
    }
    // Each goroutine's times are within 1000 ns of Go's (the corpus tolerance).
    const tolerance = 1000 * n;
    const full = (source: 'blocked' | 'sched' | 'syscall'): number =>
      traceStackSet(rsOf(m), source, 0, m.durationNs).total;
    expect(Math.abs(full('blocked') - waiting)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(full('sched') - runnable)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(full('syscall') - syscall)).toBeLessThanOrEqual(tolerance);
    expect(traceStackSet(rsOf(m), 'cpu', 0, m.durationNs).count).toBe(
      expectedSummary(SPIKE).cpuSamples,
    );
  });

  it('the index finds exactly the intervals a full scan finds, for many ranges', () => {
    const states = [GS_WAITING, GS_RUNNABLE, GS_SYSCALL];
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let k = 0; k < 40; k++) {
      const a = rnd() * m.durationNs;
      const width = m.durationNs * [0.0001, 0.01, 0.1, 1][k % 4]!;
      const t0 = a;
      const t1 = a + width;
      for (const state of states) {
        const idx = rsOf(m).ix.state(state);
        const n = overlapping(idx, t0, t1);
        const found = new Set<number>();
        for (let j = 0; j < n; j++) found.add(idx.iv[idx.scratch[j] as number] as number);
        let expected = 0;
        let missing = 0;
        for (let g = 0; g < m.goroutines.length; g++) {
          const end = m.goroutines.intervalStart[g + 1] as number;
          for (let i = m.goroutines.intervalStart[g] as number; i < end; i++) {
            if (m.intervals.state[i] !== state) continue;
            const s = m.intervals.start[i] as number;
            const e = intervalEnd(m, g, i);
            if (s < t1 && e > t0) {
              expected++;
              if (!found.has(i)) missing++;
            }
          }
        }
        expect(missing).toBe(0);
        expect(found.size).toBe(expected);
        expect(n).toBe(expected);
      }
    }
  });

  it('the reason split of the refreshCache task leads through main.lookup to the mutex', () => {
    let task = -1;
    for (let i = 0; i < m.tasks.length; i++) {
      if (m.strings[m.tasks.name[i] as number] === 'refreshCache') task = i;
    }
    const set = traceStackSet(rsOf(m), 'blocked', m.tasks.start[task]!, m.tasks.end[task]!, {
      split: 'reason',
    });
    const tree = buildCallTree(set, { order: 'heavy' });
    const sync = childrenOf(tree, 0).find((c) => nodeName(tree, c) === 'sync');
    expect(sync).toBeDefined();
    // The heaviest path under "sync" ends in the lock.
    let n = sync!;
    for (let c = childrenOf(tree, n); c.length > 0; c = childrenOf(tree, n)) n = c[0]!;
    expect(nodePath(tree, n).slice(-3)).toEqual([
      'main.handle',
      'main.lookup',
      'sync.(*Mutex).Lock',
    ]);
    // A reason filter gives the same weight as the split's root.
    const only = traceStackSet(rsOf(m), 'blocked', m.tasks.start[task]!, m.tasks.end[task]!, {
      reasons: { reasons: ['sync'] },
    });
    expect(only.total).toBe(tree.total[sync!]);
    expect(reasonMask(m.reasons, { reasons: ['sync'] })?.reduce((a, b) => a + b, 0)).toBe(1);
  });
});
