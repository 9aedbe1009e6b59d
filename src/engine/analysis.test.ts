// The analysis tabs' queries on real files: the spike traces against testdata/ANALYSIS.md's
// references (go tool trace 1.27's own pages), through one Engine as the page asks them, and the
// combined run (trace + dlv log) for slow vs typical of a dlv-traced function.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_QUERY, DEFAULT_MMU_FLAGS, MMU_POINTS } from '../base/analysisParams';
import { decodeFile } from '../formats/index';
import { histogramBucket } from '../analysis/histogram';
import { INACTIVE_GROUP_LABEL, type AnalysisDocument } from '../analysis/traceTables';
import { corpusPath } from '../testing/corpus';
import { Engine } from './engine';
import { analysisWarmUp, QUERIES } from './queries';

function engineWith(files: Array<[string, string]>): Engine {
  const engine = new Engine();
  for (const [id, path] of files) {
    const o = decodeFile(path, new Uint8Array(readFileSync(corpusPath(path))));
    if (!o.ok) throw new Error(o.error.message);
    engine.addFile(id, o.file);
  }
  return engine;
}

const expectedOf = (v: number): AnalysisDocument & { trace: string } =>
  JSON.parse(
    readFileSync(corpusPath(`analysis/spike-go1.${v}.expected.json`), 'utf8'),
  ) as AnalysisDocument & { trace: string };

describe('analysis queries on the spike traces (ANALYSIS.md references)', () => {
  for (const v of [22, 27]) {
    const expected = expectedOf(v);
    const engine = engineWith([['t', expected.trace]]);

    it(`go1.${v}: goroutineTable has Go's groups, counts and execution times`, () => {
      const table = engine.run('goroutineTable', { trace: 't', range: null });
      const byName = new Map(
        table.groups.map((g) => [g.name === '' ? INACTIVE_GROUP_LABEL : g.name, g]),
      );
      expect([...byName.keys()].sort()).toEqual(
        expected.goroutineGroups.map((g) => g.startFunction).sort(),
      );
      for (const e of expected.goroutineGroups) {
        const g = byName.get(e.startFunction)!;
        expect(g.count, e.startFunction).toBe(e.count);
        const tol = Math.max(0.001 * e.executionNs, 1000 * e.count);
        expect(Math.abs(g.execNs - e.executionNs), e.startFunction).toBeLessThanOrEqual(tol);
      }
      // Go's order: largest execution first.
      for (let i = 1; i < table.groups.length; i++)
        expect(table.groups[i - 1]!.execNs).toBeGreaterThanOrEqual(table.groups[i]!.execNs);
    });

    it(`go1.${v}: taskTable has Go's task and region histograms`, () => {
      const { tasks, regions } = engine.run('taskTable', { trace: 't' });
      const rkey = (r: { type: string; startFunction: string }) => `${r.type}@${r.startFunction}`;
      const got = new Map(regions.map((r) => [rkey(r), r]));
      for (const e of expected.regions) {
        const r = got.get(rkey(e))!;
        expect([r.count, r.histogram.firstBucket, r.histogram.counts], rkey(e)).toEqual([
          e.count,
          e.histogram.firstBucket,
          e.histogram.counts,
        ]);
      }
      const gotTasks = new Map(tasks.map((t) => [t.type, t]));
      for (const e of expected.tasks) {
        const t = gotTasks.get(e.type)!;
        expect([t.count, t.histogram.firstBucket, t.histogram.counts], e.type).toEqual([
          e.count,
          e.histogram.firstBucket,
          e.histogram.counts,
        ]);
      }
    });

    it(`go1.${v}: mmuCurve and mmuWorst agree with Go's MMU at its windows`, () => {
      const windows = expected.mmu.map((x) => x.windowNs);
      for (const e of expected.mmu) {
        const worst = engine.run('mmuWorst', {
          trace: 't',
          flags: DEFAULT_MMU_FLAGS,
          windowNs: e.windowNs,
          count: 5,
        });
        // The worst window's utilization is the MMU at that window size.
        expect(Math.abs(worst[0]!.utilization - e.utilization), String(e.windowNs)).toBeLessThan(
          0.002,
        );
        expect(worst[0]!.endNs - worst[0]!.startNs).toBe(e.windowNs);
        for (let i = 1; i < worst.length; i++)
          expect(worst[i]!.utilization).toBeGreaterThanOrEqual(worst[i - 1]!.utilization);
      }
      const curve = engine.run('mmuCurve', {
        trace: 't',
        flags: DEFAULT_MMU_FLAGS,
        points: MMU_POINTS,
      });
      expect(curve.windowNs[0]).toBe(1000);
      expect(curve.empty).toBe(false);
      expect(curve.windowNs[curve.windowNs.length - 1]).toBe(
        Math.round(engine.run('axis', { files: ['t'], offsets: {}, clock: null }).durationNs),
      );
      for (const u of curve.utilization) expect(u >= 0 && u <= 1).toBe(true);
      // The curve at Go's window sizes: the same MMU as the worst windows and the reference.
      const at = engine.run('mmuCurve', { trace: 't', flags: DEFAULT_MMU_FLAGS, points: 2 });
      expect(at.windowNs[0]).toBe(1000);
      expect(windows.length).toBeGreaterThan(0);
    });
  }
});

describe('instances, goroutine rows, logs and slow vs typical (go1.27 spike)', () => {
  const expected = expectedOf(27);
  const engine = engineWith([['t', expected.trace]]);
  const handle = expected.tasks.find((t) => t.type === 'handle')!;

  it('instances of a histogram bucket are exactly that bucket, sorted by duration', () => {
    const k = handle.histogram.counts.findIndex((n) => n > 0);
    const bucket = handle.histogram.firstBucket + k;
    const list = engine.run('instances', {
      trace: 't',
      kind: 'task',
      type: 'handle',
      startFunction: null,
      bucket,
      incomplete: false,
      order: 'desc',
      limit: 50,
    });
    expect(list.total).toBe(handle.histogram.counts[k]);
    expect(list.tasks.length).toBe(Math.min(50, list.total));
    for (const t of list.tasks) {
      expect(histogramBucket(t.durationNs)).toBe(bucket);
      expect(t.complete).toBe(true);
      expect(t.goroutines.length).toBeGreaterThan(0);
    }
    for (let i = 1; i < list.tasks.length; i++)
      expect(list.tasks[i - 1]!.durationNs).toBeGreaterThanOrEqual(list.tasks[i]!.durationNs);
  });

  it('instanceWhy breaks the slowest handle task down and names what held it up', () => {
    const slowest = engine.run('instances', {
      trace: 't',
      kind: 'task',
      type: 'handle',
      startFunction: null,
      bucket: null,
      incomplete: false,
      order: 'desc',
      limit: 1,
    }).tasks[0]!;
    const why = engine.run('instanceWhy', { trace: 't', kind: 'task', index: slowest.task })!;
    expect(why.durationNs).toBe(slowest.durationNs);
    // The slowest handlers waited on the cache lock (WHY.md): blocked most of their time.
    expect(why.total.blockedNs).toBeGreaterThan(slowest.durationNs / 2);
    expect(why.blockedNs).toBeGreaterThan(0);
    expect(why.causes.length).toBeGreaterThan(0);
    expect(why.causes[0]!.share).toBeGreaterThan(0);
  });

  it('incomplete tasks are listed apart, and every task is complete or not', () => {
    const all = engine.run('taskTable', { trace: 't' }).tasks;
    for (const t of all) {
      const inc = engine.run('instances', {
        trace: 't',
        kind: 'task',
        type: t.type,
        startFunction: null,
        bucket: null,
        incomplete: true,
        order: 'desc',
        limit: 1000,
      });
      expect(inc.total, t.type).toBe(t.incomplete);
      expect(inc.tasks.every((x) => !x.complete)).toBe(true);
    }
  });

  it('goroutineRows lists a group sorted, and a range table covers only the range', () => {
    const table = engine.run('goroutineTable', { trace: 't', range: null });
    const g = table.groups.find((x) => x.name === 'net/http.(*conn).serve')!;
    const rows = engine.run('goroutineRows', {
      trace: 't',
      range: null,
      group: g.name,
      sortBy: 'exec',
      limit: 10,
    });
    expect(rows.total).toBe(g.count);
    expect(rows.rows.length).toBe(10);
    for (let i = 1; i < rows.rows.length; i++)
      expect(rows.rows[i - 1]!.execNs).toBeGreaterThanOrEqual(rows.rows[i]!.execNs);
    expect(rows.rows[0]!.execNs).toBe(g.perGoroutine.exec.max);

    const range = { t0: 400e6, t1: 500e6 };
    const part = engine.run('goroutineTable', { trace: 't', range });
    expect(part.t0).toBe(range.t0);
    expect(part.t1).toBe(range.t1);
    let exec = 0;
    for (const x of part.groups) exec += x.execNs;
    // At most GOMAXPROCS goroutines run at once: execution inside 100 ms is bounded by it.
    expect(exec).toBeGreaterThan(0);
    expect(exec).toBeLessThan(table.groups.reduce((n, x) => n + x.execNs, 0));
  });

  it('userLogs filters by pattern and reports a bad one', () => {
    const all = engine.run('userLogs', { trace: 't', ...DEFAULT_LOG_QUERY });
    expect(all.patternError).toBeNull();
    expect(all.total).toBeGreaterThan(0);
    const first = all.logs[0]!;
    const some = engine.run('userLogs', {
      trace: 't',
      ...DEFAULT_LOG_QUERY,
      pattern: first.message.slice(0, 3),
    });
    expect(some.total).toBeGreaterThan(0);
    expect(some.total).toBeLessThanOrEqual(all.total);
    const bad = engine.run('userLogs', { trace: 't', ...DEFAULT_LOG_QUERY, pattern: '(' });
    expect(bad.patternError).not.toBeNull();
    const byTask = engine.run('userLogs', {
      trace: 't',
      ...DEFAULT_LOG_QUERY,
      taskId: first.taskId,
    });
    expect(byTask.logs.every((l) => l.taskId === first.taskId)).toBe(true);
  });

  it('slowTypical splits 10% of the handle tasks off and diffs their stacks', () => {
    const r = engine.run('slowTypical', {
      trace: 't',
      kind: 'task',
      type: 'handle',
      startFunction: null,
      dlv: null,
      fraction: 0.1,
      minNs: null,
      maxNs: null,
    });
    const complete = handle.histogram.counts.reduce((a, b) => a + b, 0);
    expect(r.instances).toBe(complete);
    expect(r.slow).toBe(Math.ceil(complete * 0.1));
    expect(r.slow + r.typical).toBe(complete);
    expect(r.slowMeanNs).toBeGreaterThan(r.typicalMeanNs);
    // The blocked graph: slow handlers wait longer per instance than typical ones.
    expect(r.blocked.slowTotal).toBeGreaterThan(r.blocked.typicalTotal);
    expect(r.blocked.tree.length).toBeGreaterThan(1);
    expect(r.blocked.shares.length).toBe(r.blocked.tree.length);
    expect(r.blocked.unit).toBe('nanoseconds');
  });

  it('warms up the tables the tabs ask first, in the background', () => {
    const names = analysisWarmUp('t').map((w) => w.name);
    expect(names).toEqual(['goroutineTable', 'taskTable', 'mmuCurve', 'userLogs']);
    for (const n of ['goroutineTable', 'taskTable', 'mmuCurve'] as const)
      expect(QUERIES[n].priority).toBe('background');
  });
});

describe('slow vs typical of a dlv-traced function (combined run)', () => {
  it('takes the dlv calls on the trace axis as instances', () => {
    const engine = engineWith([
      ['t', 'combined/go1.27/trace.out'],
      ['d', 'combined/go1.27/dlv-trace.log'],
    ]);
    const axis = engine.run('axis', { files: ['t', 'd'], offsets: {}, clock: null });
    const offsetNs = axis.dlv[0]!.offsetNs!;
    const r = engine.run('slowTypical', {
      trace: 't',
      kind: 'dlv',
      type: 'main.lookup',
      startFunction: null,
      dlv: { file: 'd', offsetNs },
      fraction: 0.1,
      minNs: null,
      maxNs: null,
    });
    expect(r.instances).toBeGreaterThan(10);
    expect(r.slow).toBe(Math.ceil(r.instances * 0.1));
    expect(r.slowMeanNs).toBeGreaterThanOrEqual(r.typicalMeanNs);
  });
});
