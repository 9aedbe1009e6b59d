import { describe, expect, it } from 'vitest';
import { goroutineGroups, goroutineRows, groupOf } from './goroutineGroups';
import {
  blockTimeOf,
  goroutineNames,
  goroutineSummaries,
  isSystemGoroutine,
} from './goroutineSummary';
import { traceOf, type TestTrace } from './testTrace';

// G1: created at 10, runs, waits on a channel, runs, enters a syscall at 100 on P0, whose thread
// loses P0 at 110 (the syscall blocked), leaves it at 130, runs, exits at 150.
// G2: existed before the trace (first seen waiting at 5, after the Sync at 0), is unblocked by G3
// (whose stack the unblock carries), blocks on a mutex, and ends in a wait "forever" at 180.
// G3: running all along, first seen at 1 with its stack.
const spec: TestTrace = {
  end: 200,
  syncs: [0],
  procRuns: [
    { p: 0, start: 0, end: 110 },
    { p: 0, start: 115, end: 200 },
  ],
  events: [
    { t: 1, g: 3, state: 'running', status: true, p: 1, stack: 'main.unblocker' },
    { t: 5, g: 2, state: 'waiting', status: true },
    { t: 10, g: 1, state: 'runnable', parent: 3, stack: 'main.handler', p: 1 },
    { t: 20, g: 1, state: 'running', p: 0 },
    {
      t: 50,
      g: 1,
      state: 'waiting',
      reason: 'chan receive',
      stack: 'main.handler;runtime.chanrecv1',
      p: 0,
    },
    { t: 60, g: 2, state: 'runnable', waker: 3, stack: 'main.unblocker;main.wake', p: 1 },
    { t: 70, g: 2, state: 'running', p: 0 },
    {
      t: 75,
      g: 2,
      state: 'waiting',
      reason: 'sync',
      stack: 'main.worker;sync.(*Mutex).Lock',
      p: 0,
    },
    { t: 80, g: 1, state: 'runnable', waker: 3, stack: 'main.unblocker;main.wake', p: 1 },
    { t: 90, g: 1, state: 'running', p: 0 },
    { t: 100, g: 1, state: 'syscall', stack: 'main.handler;syscall.read', p: 0 },
    { t: 130, g: 1, state: 'runnable' },
    { t: 140, g: 1, state: 'running', p: 0 },
    { t: 150, g: 1, state: 'notexist', p: 0 },
    { t: 160, g: 2, state: 'runnable', waker: 3, stack: 'main.unblocker;main.wake', p: 1 },
    { t: 165, g: 2, state: 'running', p: 0 },
    { t: 180, g: 2, state: 'waiting', reason: 'forever', stack: 'main.worker;main.park', p: 0 },
  ],
};

describe("goroutine summaries (Go's internal/trace/summary.go)", () => {
  const { m, g } = traceOf(spec);
  const name = (k: number): string => m.strings[k] ?? '';
  const reason = (r: string): number => m.reasons.indexOf(r);

  it('names goroutines by the root of their first own transition stack', () => {
    const names = goroutineNames(m);
    expect(name(names[g(1)]!)).toBe('main.handler');
    // G2's first stack is the unblocker's (G3's), which Go's transition does not have.
    expect(name(names[g(2)]!)).toBe('main.worker');
    expect(name(names[g(3)]!)).toBe('main.unblocker');
    expect(isSystemGoroutine('runtime.bgsweep')).toBe(true);
    expect(isSystemGoroutine('runtime.main')).toBe(false);
    expect(isSystemGoroutine('')).toBe(true);
  });

  it('accounts each state, splits a syscall where its P went idle, ends at destruction', () => {
    const s = goroutineSummaries(m);
    const x = g(1);
    expect(s.listed[x]).toBe(1);
    expect([s.creationNs[x], s.startNs[x], s.endNs[x], s.totalNs[x]]).toEqual([10, 20, 150, 140]);
    expect(s.execNs[x]).toBe(30 + 10 + 10);
    expect(s.schedWaitNs[x]).toBe(10 + 10 + 10);
    expect(blockTimeOf(s, x, reason('chan receive'))).toBe(30);
    expect([s.syscallNs[x], s.syscallBlockNs[x]]).toEqual([10, 20]);
    expect([s.blockNs[x], s.unknownNs[x]]).toEqual([30, 0]);
  });

  it('starts a goroutine first seen in a status event at the Sync, and stops at "forever"', () => {
    const s = goroutineSummaries(m);
    const y = g(2);
    expect([s.creationNs[y], s.endNs[y], s.totalNs[y]]).toEqual([0, 180, 180]);
    // Waiting from the Sync with the status event's reason (none), then on the mutex.
    expect(blockTimeOf(s, y, 0)).toBe(60);
    expect(blockTimeOf(s, y, reason('sync'))).toBe(160 - 75);
    expect([s.execNs[y], s.schedWaitNs[y], s.unknownNs[y]]).toEqual([5 + 15, 10 + 5, 0]);
    // Running from the Sync to the end of the trace.
    expect(s.execNs[g(3)]).toBe(200);
  });

  it('restricts every figure to a time range', () => {
    const s = goroutineSummaries(m, { range: { t0: 60, t1: 120 } });
    const x = g(1);
    expect(s.totalNs[x]).toBe(60);
    expect(s.execNs[x]).toBe(10);
    expect(s.schedWaitNs[x]).toBe(10);
    expect(blockTimeOf(s, x, reason('chan receive'))).toBe(20);
    expect([s.syscallNs[x], s.syscallBlockNs[x], s.unknownNs[x]]).toEqual([10, 10, 0]);
    const y = g(2);
    expect([s.totalNs[y], s.execNs[y], s.schedWaitNs[y]]).toEqual([60, 5, 10]);
    expect(blockTimeOf(s, y, reason('sync'))).toBe(45);
    // No time waiting without a reason inside the range: not listed.
    expect(blockTimeOf(s, y, 0)).toBe(0);
    expect(s.blockReason.subarray(s.blockStart[y], s.blockStart[y + 1]).length).toBe(1);
    // A goroutine not alive in the range is not listed.
    const late = goroutineSummaries(m, { range: { t0: 185, t1: 190 } });
    expect([late.listed[x], late.listed[y], late.listed[g(3)]]).toEqual([0, 0, 1]);
  });

  it('the range figures of the whole trace are the whole-trace figures', () => {
    const a = goroutineSummaries(m);
    const b = goroutineSummaries(m, { range: { t0: 0, t1: 200 } });
    for (const col of [
      'totalNs',
      'execNs',
      'schedWaitNs',
      'syscallNs',
      'syscallBlockNs',
      'blockNs',
    ] as const) {
      expect(Array.from(b[col])).toEqual(Array.from(a[col]));
    }
  });

  it('groups by start function, with spreads and histograms, and lists rows', () => {
    const s = goroutineSummaries(m);
    const groups = goroutineGroups(m, s);
    // Sorted by execution time, as Go's table.
    expect(groups.map((x) => [x.name, x.count, x.execNs])).toEqual([
      ['main.unblocker', 1, 200],
      ['main.handler', 1, 50],
      ['main.worker', 1, 20],
    ]);
    const h = groups[1]!;
    expect(h.blockByReason).toEqual([{ reason: 'chan receive', ns: 30 }]);
    expect(h.blockByFamily).toEqual([{ family: 'channel', ns: 30 }]);
    expect(h.perGoroutine.exec).toEqual({ min: 50, mean: 50, max: 50 });
    expect(h.execHistogram.count).toBe(1);

    const both = groupOf(m, s, 'two', Int32Array.from([g(1), g(2)]));
    expect(both.perGoroutine.exec).toEqual({ min: 20, mean: 35, max: 50 });
    expect(both.perGoroutine.total).toEqual({ min: 140, mean: 160, max: 180 });
    expect(both.blockByFamily.map((f) => f.family)).toEqual(['sync', 'other', 'channel']);

    const rows = goroutineRows(m, s, [g(1), g(2), g(3)], { sortBy: 'block' });
    expect(rows.map((r) => r.id)).toEqual([2, 1, 3]);
    expect(rows[1]).toMatchObject({ id: 1, name: 'main.handler', syscallBlockNs: 20, endNs: 150 });
    expect(
      goroutineRows(m, s, [g(1), g(2), g(3)], { sortBy: 'id', limit: 2 }).map((r) => r.id),
    ).toEqual([1, 2]);
  });
});
