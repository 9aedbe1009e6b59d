import { describe, expect, it } from 'vitest';
import { RANGE_MARK_ASSIST, RANGE_SWEEP } from '../model/trace';
import {
  WORKER_DEDICATED,
  WORKER_FRACTIONAL,
  WORKER_NONE,
  WORKER_UNKNOWN,
} from '../model/gcWorker';
import { goroutineGcWork, goroutineLogs, procRuns, sortRunsByStart } from './runtimeLanes';
import { seededRandom } from './stackSetText';
import { traceOf } from './testTrace';

// Two Ps; G1 runs on P0, then P1; G2 runs on P0 across a generation boundary (re-stated), and a
// mark worker (G3, started by runtime.gcBgMarkWorker) runs on P1 labelled dedicated, then
// fractional, then once without a label.
const t = traceOf({
  end: 1000,
  procRuns: [
    { p: 0, start: 0, end: 1000 },
    { p: 1, start: 0, end: 1000 },
  ],
  syncs: [0, 500],
  events: [
    { t: 0, g: 1, state: 'running', p: 0, stack: 'main.main' },
    { t: 100, g: 1, state: 'runnable', p: 0 },
    { t: 150, g: 1, state: 'running', p: 1 },
    { t: 250, g: 1, state: 'waiting', reason: 'sync', p: 1, stack: 'main.main;sync.Lock' },
    { t: 100, g: 2, state: 'running', p: 0, stack: 'main.worker' },
    { t: 500, g: 2, state: 'running', p: 0, status: true },
    { t: 700, g: 2, state: 'waiting', reason: 'chan receive', p: 0 },
    { t: 300, g: 3, state: 'running', p: 1, stack: 'runtime.gcBgMarkWorker' },
    { t: 400, g: 3, state: 'waiting', reason: 'GC worker (idle)', p: 1 },
    { t: 600, g: 3, state: 'running', p: 1 },
    { t: 650, g: 3, state: 'waiting', reason: 'GC worker (idle)', p: 1 },
    { t: 800, g: 3, state: 'running', p: 1 },
    { t: 900, g: 3, state: 'waiting', reason: 'GC worker (idle)', p: 1 },
    // Running on a P the trace has no row for: on no lane.
    { t: 950, g: 4, state: 'running', p: 7, stack: 'main.other' },
  ],
  logs: [
    { t: 260, g: 2, message: 'second' },
    { t: 120, g: 2, category: 'phase', message: 'first' },
    { t: 130, g: 1, message: 'other' },
  ],
  labels: [
    { t: 300, g: 3, label: 'GC (dedicated)' },
    { t: 600, g: 3, label: 'GC (fractional)' },
  ],
  ranges: [
    { kind: 'assist', start: 20, end: 60, g: 1 },
    { kind: 'sweep', start: 120, end: 130, g: 2, p: 0 },
    { kind: 'assist', start: 5, end: 10, g: 1 },
    { kind: 'gc', start: 300, end: 900 },
    { kind: 'stw', start: 290, end: 300, g: 3, name: 'GC sweep termination' },
  ],
});
const m = t.m;
const pIdx = (id: number) => Array.from(m.procs.id).indexOf(id);

describe('procRuns', () => {
  const r = procRuns(m);
  const runsOf = (id: number) => {
    const p = pIdx(id);
    const out: Array<[number, number, number, number]> = [];
    for (let k = r.procStart[p]!; k < r.procStart[p + 1]!; k++)
      out.push([r.start[k]!, r.end[k]!, m.goroutines.id[r.goroutine[k]!]!, r.worker[k]!]);
    return out;
  };

  it('puts every running interval on its P, joins re-stated runs, in start order', () => {
    expect(runsOf(0)).toEqual([
      [0, 100, 1, WORKER_NONE],
      [100, 700, 2, WORKER_NONE], // one run across the generation boundary at 500
    ]);
    expect(runsOf(1)).toEqual([
      [150, 250, 1, WORKER_NONE],
      [300, 400, 3, WORKER_DEDICATED],
      [600, 650, 3, WORKER_FRACTIONAL],
      [800, 900, 3, WORKER_UNKNOWN],
    ]);
    // G4 ran on P7, which has no lane; nothing else is lost.
    expect(r.start.length).toBe(6);
  });

  it('keeps the first interval of each run, for a click to select', () => {
    const p = pIdx(0);
    const k = r.procStart[p]! + 1;
    const iv = r.interval[k]!;
    expect(m.intervals.start[iv]).toBe(100);
    expect(m.goroutines.id[r.goroutine[k]!]).toBe(2);
  });
});

describe('goroutineGcWork', () => {
  it('lists each goroutine its assists and sweeps in start order, nothing else', () => {
    const w = goroutineGcWork(m);
    const of = (id: number) => {
      const g = t.g(id);
      return Array.from(w.ranges.subarray(w.start[g]!, w.start[g + 1]!), (i) => [
        m.ranges.kind[i],
        m.ranges.start[i],
        m.ranges.end[i],
      ]);
    };
    expect(of(1)).toEqual([
      [RANGE_MARK_ASSIST, 5, 10],
      [RANGE_MARK_ASSIST, 20, 60],
    ]);
    expect(of(2)).toEqual([[RANGE_SWEEP, 120, 130]]);
    expect(of(3)).toEqual([]); // its STW is not GC work it paid
  });
});

describe('goroutineLogs', () => {
  it("lists each goroutine's logs in time order", () => {
    const l = goroutineLogs(m);
    const of = (id: number) => {
      const g = t.g(id);
      return Array.from(l.rows.subarray(l.start[g]!, l.start[g + 1]!), (i) => [
        m.logs.time[i],
        m.strings[m.logs.message[i]!],
      ]);
    };
    expect(of(2)).toEqual([
      [120, 'first'],
      [260, 'second'],
    ]);
    expect(of(1)).toEqual([[130, 'other']]);
    expect(of(3)).toEqual([]);
  });
});

describe('sortRunsByStart', () => {
  it('orders positions by key, ties by position, whatever the spread of the keys', () => {
    const rand = seededRandom(7);
    const cases: Array<(i: number) => number> = [
      () => Math.floor(rand() * 1e9), // spread out
      () => Math.floor(rand() * 20), // many ties
      (i) => (i % 50 === 0 ? 1e12 : Math.floor(rand() * 1000)), // crowded buckets and one far key
      () => 5, // all equal
    ];
    for (const keyOf of cases) {
      const n = 3000;
      const key = Float64Array.from({ length: n }, (_, i) => keyOf(i));
      const order = Uint32Array.from({ length: n }, (_, i) => (i * 7919) % n);
      const want = Array.from(order).sort((x, y) => key[x]! - key[y]! || x - y);
      sortRunsByStart(order, key);
      expect(Array.from(order)).toEqual(want);
      // With a second key (the runs' ends): ties by it, then by position.
      const then = Float64Array.from({ length: n }, () => Math.floor(rand() * 4));
      const order2 = Uint32Array.from({ length: n }, (_, i) => (i * 7919) % n);
      const want2 = Array.from(order2).sort(
        (x, y) => key[x]! - key[y]! || then[x]! - then[y]! || x - y,
      );
      sortRunsByStart(order2, key, then);
      expect(Array.from(order2)).toEqual(want2);
    }
  });
});
