import { describe, expect, it } from 'vitest';
import { goroutineSummaries } from './goroutineSummary';
import { histogramBucket } from './histogram';
import { traceOf, type TestTrace } from './testTrace';
import { tasksMatching, userLogs } from './userLogs';
import {
  isOldFormat,
  regionInstances,
  regionTypes,
  taskInstances,
  taskTypes,
  userRegions,
  userTasks,
} from './userTasks';

// G10 serves: task 1 "handle" [10, 50] with a region "lookup" [12, 30], during which it starts G11
// (which inherits task 1 through Go's made-up region); task 2 "handle" [60, 65] with "lookup"
// [61, 62]; a "lookup" that began before the trace and ended at 5 (background task); "encode" from
// 70, still open at the end. Task 3 "refresh" begins at 90 and never ends. G12, a runtime
// goroutine, has a region still open at the end (Go drops those).
const spec: TestTrace = {
  end: 100,
  syncs: [0],
  events: [
    { t: 1, g: 10, state: 'runnable', parent: -1, stack: 'main.serve', p: 0 },
    { t: 2, g: 10, state: 'running', p: 0 },
    { t: 3, g: 12, state: 'runnable', parent: -1, stack: 'runtime.bgsweep', p: 0 },
    {
      t: 20,
      g: 11,
      state: 'runnable',
      parent: 10,
      createStack: 'main.serve;main.spawn',
      stack: 'main.child',
      p: 0,
    },
    { t: 40, g: 11, state: 'notexist', p: 1 },
  ],
  tasks: [
    { name: 'handle', start: 10, end: 50, g: 10 },
    { name: 'handle', start: 60, end: 65, g: 10 },
    { name: 'refresh', start: 90, g: 10 },
  ],
  regions: [
    { g: 10, name: 'lookup', end: 5 },
    { g: 10, name: 'lookup', start: 12, end: 30, task: 1, stack: 'main.serve;main.lookup' },
    { g: 10, name: 'lookup', start: 61, end: 62, task: 2, stack: 'main.serve;main.lookup' },
    { g: 10, name: 'encode', start: 70, task: 0, stack: 'main.serve;main.encode' },
    { g: 12, name: 'x', start: 80, task: 0, stack: 'runtime.bgsweep;runtime.x' },
  ],
  logs: [
    { t: 15, g: 10, task: 1, category: 'phase', message: 'cache miss' },
    { t: 62, g: 10, task: 2, message: 'hit' },
    { t: 95, g: 10, task: 3, category: 'phase', message: 'refreshing <b>all</b>' },
  ],
};

describe("tasks and regions (Go's /usertasks and /userregions)", () => {
  const { m, g } = traceOf(spec);
  const s = goroutineSummaries(m);
  const regions = userRegions(m, s);
  const tasks = userTasks(m, regions);

  it('lists every task Go does, with histograms of the complete ones', () => {
    // The background task (ID 0) appears because regions and logs are in it.
    expect(taskTypes(m, tasks)).toEqual([
      {
        type: '',
        count: 1,
        complete: 0,
        incomplete: 1,
        histogram: { count: 0, firstBucket: 0, counts: [] },
      },
      {
        type: 'handle',
        count: 2,
        complete: 2,
        incomplete: 0,
        histogram: { count: 2, firstBucket: histogramBucket(5), counts: [1, 0, 0, 0, 0, 1] },
      },
      {
        type: 'refresh',
        count: 1,
        complete: 0,
        incomplete: 1,
        histogram: { count: 0, firstBucket: 0, counts: [] },
      },
    ]);
  });

  it("keys regions by type and start function, with Go's made-up inherited region", () => {
    expect(
      regionTypes(m, regions).map((r) => [r.type, r.startFunction, r.count, r.complete]),
    ).toEqual([
      ['', 'main.serve', 1, 1],
      ['encode', 'main.serve', 1, 0],
      ['lookup', '', 1, 0],
      ['lookup', 'main.serve', 2, 2],
    ]);
    const inherited = regionInstances(m, regions, '', 'main.serve');
    expect(inherited).toEqual([
      expect.objectContaining({
        goroutine: g(11),
        taskId: 1,
        startNs: 20,
        endNs: 40,
        durationNs: 20,
      }),
    ]);
    // Open at the end: runs to the end. Began before the trace: from the start.
    expect(regionInstances(m, regions, 'encode', null)[0]).toMatchObject({
      startNs: 70,
      endNs: 100,
      complete: false,
    });
    expect(regionInstances(m, regions, 'lookup', '')[0]).toMatchObject({
      startNs: 0,
      endNs: 5,
      durationNs: 5,
    });
  });

  it('lists the instances of a bucket sorted by duration, with goroutines, regions and logs', () => {
    const slowBucket = histogramBucket(40);
    const list = taskInstances(m, tasks, regions, 'handle', { bucket: slowBucket });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: 1,
      type: 'handle',
      startNs: 10,
      endNs: 50,
      durationNs: 40,
      complete: true,
      goroutines: [{ goroutine: g(10), id: 10 }],
    });
    expect(list[0]!.regions.map((r) => [r.type, r.startNs, r.endNs])).toEqual([['lookup', 12, 30]]);
    expect(list[0]!.logs.map((l) => [l.category, l.message])).toEqual([['phase', 'cache miss']]);
    // All of a type, shortest first (Go's order) or slowest first; incomplete ones flagged.
    expect(taskInstances(m, tasks, regions, 'handle').map((t) => t.durationNs)).toEqual([5, 40]);
    expect(taskInstances(m, tasks, regions, 'handle', { order: 'desc' }).map((t) => t.id)).toEqual([
      1, 2,
    ]);
    expect(
      taskInstances(m, tasks, regions, 'handle', { minNs: 5, maxNs: 5 }).map((t) => t.id),
    ).toEqual([2]);
    expect(taskInstances(m, tasks, regions, 'refresh')[0]).toMatchObject({
      complete: false,
      startNs: 90,
      endNs: 100,
    });
    expect(taskInstances(m, tasks, regions, 'refresh', { complete: true })).toEqual([]);
  });

  it('lists and searches logs (as text, with RE2 patterns)', () => {
    expect(userLogs(m).total).toBe(3);
    expect(userLogs(m, { taskId: 2 }).logs.map((l) => l.message)).toEqual(['hit']);
    expect(userLogs(m, { goroutine: g(10), pattern: 'phase' }).total).toBe(2);
    expect(userLogs(m, { pattern: '^cache (hit|miss)$' }).logs.map((l) => l.timeNs)).toEqual([15]);
    expect(userLogs(m, { pattern: 'ALL', ignoreCase: true }).logs[0]!.message).toBe(
      'refreshing <b>all</b>',
    );
    expect(userLogs(m, { t0: 50, limit: 1 })).toMatchObject({
      total: 2,
      logs: [{ message: 'hit' }],
    });
    expect(() => userLogs(m, { pattern: '(' })).toThrow(/invalid pattern/);
    // Go's "Search log text": task type, region types, log categories and messages.
    const ids = (ks: number[]): number[] => ks.map((k) => tasks.id[k]!);
    expect(ids(tasksMatching(m, tasks, regions, 'miss'))).toEqual([1]);
    expect(ids(tasksMatching(m, tasks, regions, 'lookup')).sort()).toEqual([0, 1, 2]);
    expect(ids(tasksMatching(m, tasks, regions, '^refr'))).toEqual([3]);
  });
});

describe('old-format traces', () => {
  it("add Go's converter's background parent for every task that began and ended", () => {
    const { m } = traceOf({
      end: 100,
      version: '1.21',
      events: [{ t: 1, g: 1, state: 'running', status: true, stack: 'main.main' }],
      tasks: [{ name: 'handle', start: 10, end: 20, g: 1 }],
    });
    const s = goroutineSummaries(m);
    const tasks = userTasks(m, userRegions(m, s));
    expect(taskTypes(m, tasks).map((t) => [t.type, t.count])).toEqual([
      ['', 1],
      ['handle', 1],
    ]);
    expect(isOldFormat('1.21')).toBe(true);
    expect(isOldFormat('1.22')).toBe(false);
  });
});
