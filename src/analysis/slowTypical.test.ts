import { describe, expect, it } from 'vitest';
import { buildDiffTree, nodePath } from './flame';
import { goroutineSummaries } from './goroutineSummary';
import {
  regionInstances,
  slowVsTypical,
  spanInstances,
  splitSlow,
  taskInstances,
} from './slowTypical';
import { traceOf, type TestTrace, type TestTransition } from './testTrace';
import { buildGoroutineSamples } from './traceIndex';
import { userRegions, userTasks } from './userTasks';

// Ten goroutines each run one region "op" of 10 ns with a CPU sample in main.fastPath; G9's
// region lasts 100 ns instead: it waits 80 ns on a mutex and has a sample in main.slowPath.
function spec(): TestTrace {
  const events: TestTransition[] = [];
  const samples: NonNullable<TestTrace['samples']> = [];
  const regions: NonNullable<TestTrace['regions']> = [];
  for (let k = 0; k < 10; k++) {
    const g = k + 1;
    const t = 100 * k + 10;
    const slow = k === 8;
    events.push({ t: t - 5, g, state: 'running', status: true, stack: 'main.op', p: 0 });
    regions.push({
      g,
      name: 'op',
      start: t,
      end: t + (slow ? 100 : 10),
      task: g,
      stack: 'main.op',
    });
    samples.push({ t: t + 2, g, stack: slow ? 'main.op;main.slowPath' : 'main.op;main.fastPath' });
    if (slow) {
      events.push({
        t: t + 5,
        g,
        state: 'waiting',
        reason: 'sync',
        stack: 'main.op;sync.(*Mutex).Lock',
        p: 0,
      });
      events.push({ t: t + 85, g, state: 'runnable', waker: 1, stack: 'main.unlock', p: 0 });
      events.push({ t: t + 90, g, state: 'running', p: 0 });
    }
  }
  return {
    end: 1200,
    events,
    samples,
    regions,
    tasks: Array.from({ length: 10 }, (_, k) => ({
      name: 'req',
      start: 100 * k + 8,
      end: 100 * k + (k === 8 ? 115 : 25),
      g: k + 1,
    })),
  };
}

describe('slow vs typical', () => {
  const { m, g, stack } = traceOf(spec());
  const s = goroutineSummaries(m);
  const regions = userRegions(m, s);

  it('splits the slowest 10% (at least one) from the rest, or by a duration range', () => {
    const inst = regionInstances(m, regions, 'op');
    expect(inst.length).toBe(10);
    const split = splitSlow(inst);
    expect(split.slow.length).toBe(1);
    expect(inst.durationNs[split.slow[0]!]).toBe(100);
    expect(split.typical.length).toBe(9);
    expect(split.thresholdNs).toBe(100);
    const byRange = splitSlow(inst, { minNs: 50, maxNs: 1000 });
    expect(Array.from(byRange.slow)).toEqual(Array.from(split.slow));
    expect(splitSlow(inst, { fraction: 0.5 }).slow.length).toBe(5);
  });

  it('builds per-instance CPU and blocked stack sets for the two sides, for buildDiffTree', () => {
    const inst = regionInstances(m, regions, 'op');
    const r = slowVsTypical(m, inst, {}, { samples: buildGoroutineSamples(m) });
    expect([r.slowMeanNs, r.typicalMeanNs]).toEqual([100, 10]);
    // The slow region blocked 80 ns on the mutex; the typical ones never blocked.
    expect(Array.from(r.slow.blocked.sampleStacks)).toEqual([stack('main.op;sync.(*Mutex).Lock')]);
    expect(Array.from(r.slow.blocked.weights)).toEqual([80]);
    expect(r.typical.blocked.total).toBe(0);
    // CPU: per instance, 1 sample in slowPath vs 9/9 in fastPath.
    expect(Array.from(r.slow.cpu.sampleStacks)).toEqual([stack('main.op;main.slowPath')]);
    expect(Array.from(r.typical.cpu.weights)).toEqual([1]);
    const d = buildDiffTree(r.typical.cpu, r.slow.cpu);
    const byPath = new Map<string, [number, number]>();
    for (let i = 1; i < d.length; i++)
      byPath.set(nodePath(d, i).join(';'), [d.totalA[i]!, d.totalB[i]!]);
    expect(byPath.get('main.op;main.slowPath')).toEqual([0, 1]);
    expect(byPath.get('main.op;main.fastPath')).toEqual([1, 0]);
  });

  it('splits blocked time by reason under a root frame when asked', () => {
    const inst = regionInstances(m, regions, 'op');
    const r = slowVsTypical(m, inst, {}, { split: 'family', perInstance: false });
    const d = buildDiffTree(r.typical.blocked, r.slow.blocked);
    const paths = Array.from({ length: d.length - 1 }, (_, i) => nodePath(d, i + 1).join(';'));
    expect(paths).toContain('sync;main.op;sync.(*Mutex).Lock');
  });

  it('takes tasks (one span per goroutine of each) and arbitrary spans (dlv calls)', () => {
    const tasks = userTasks(m, regions);
    const ti = taskInstances(m, tasks, 'req');
    expect(ti.length).toBe(10);
    const r = slowVsTypical(m, ti);
    expect(r.slowMeanNs).toBe(107);
    expect(r.slow.blocked.total).toBe(80);

    // A dlv call of G9 covering only the first 50 ns of its region: the wait [815, 895) has 45 ns
    // inside it.
    const calls = spanInstances([
      { goroutine: g(9), startNs: 810, endNs: 860 },
      { goroutine: g(1), startNs: 10, endNs: 20 },
    ]);
    const c = slowVsTypical(m, calls, { fraction: 0.5 });
    expect(c.slow.blocked.total).toBe(45);
    expect(c.typical.blocked.total).toBe(0);
  });
});
