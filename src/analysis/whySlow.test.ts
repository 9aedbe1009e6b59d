import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeGoTrace } from '../formats/gotrace/decode';
import { CORPUS_DIR } from '../testing/corpus';
import { traceOf } from './testTrace';
import { buildWhyIndexes } from './why';
import { whySlow } from './whySlow';

describe('why was this slow (synthetic)', () => {
  // G2 handles a request (task 50..450): waits on G1's lock 100..200 and 300..400. A region of
  // the task runs on G3, which the trace never saw run.
  const t = traceOf({
    end: 500,
    events: [
      { t: 0, g: 1, state: 'running' },
      { t: 0, g: 2, state: 'running' },
      { t: 100, g: 2, state: 'waiting', reason: 'sync' },
      { t: 200, g: 2, state: 'runnable', waker: 1 },
      { t: 220, g: 2, state: 'running' },
      { t: 300, g: 2, state: 'waiting', reason: 'sync' },
      { t: 400, g: 2, state: 'runnable', waker: 1 },
      { t: 410, g: 2, state: 'running' },
      { t: 420, g: 2, state: 'syscall' },
      { t: 430, g: 2, state: 'running' },
    ],
    tasks: [{ name: 'handle', start: 50, end: 450, g: 2 }],
    regions: [
      { name: 'lookup', start: 150, end: 250, g: 2, task: 1 },
      { name: 'other', start: 280, end: 350, g: 3, task: 1 },
    ],
  });
  const idx = buildWhyIndexes(t.m);

  it('a region: its goroutine running, runnable, blocked, and on whom', () => {
    const s = whySlow(t.m, { kind: 'region', region: 0 }, idx);
    expect([s.startNs, s.endNs, s.durationNs]).toEqual([150, 250, 100]);
    expect(s.spans).toHaveLength(1);
    expect(s.total).toEqual({
      runningNs: 30,
      runnableNs: 20,
      syscallNs: 0,
      blockedNs: 50,
      otherNs: 0,
      blockedByReason: [{ reason: 'sync', ns: 50 }],
    });
    expect(s.charge.blockedNs).toBe(50);
    expect(s.charge.causes.map((c) => [c.goId, c.state, c.ns])).toEqual([[1, 'running', 50]]);
  });

  it('a task: its goroutine over its life, plus its regions elsewhere', () => {
    const s = whySlow(t.m, { kind: 'task', task: 0 }, idx);
    expect([s.startNs, s.endNs, s.durationNs]).toEqual([50, 450, 400]);
    expect(s.spans.map((x) => [x.goId, x.startNs, x.endNs])).toEqual([
      [2, 50, 450],
      [3, 280, 350],
    ]);
    expect(s.spans[0]).toMatchObject({
      runningNs: 50 + 80 + 10 + 20,
      runnableNs: 20 + 10,
      syscallNs: 10,
      blockedNs: 200,
      otherNs: 0,
    });
    // G3 has no interval in the trace: its region's time is not known.
    expect(s.spans[1]).toMatchObject({ runningNs: 0, blockedNs: 0, otherNs: 70 });
    expect(s.total.runningNs + s.total.runnableNs + s.total.syscallNs).toBe(200);
    expect(s.total.blockedNs + s.total.otherNs).toBe(270);
    expect(s.charge.causes.map((c) => [c.goId, c.state, c.ns])).toEqual([[1, 'running', 200]]);
  });
});

describe('why was this slow: regions that nest', () => {
  // Task 1 begins and ends on G2; on G3 its region "outer" 250..400 holds "inner" 280..350, and
  // G3 waits 300..320 inside both. G3's time counts once.
  const t = traceOf({
    end: 500,
    events: [
      { t: 0, g: 1, state: 'running' },
      { t: 0, g: 2, state: 'running' },
      { t: 0, g: 3, state: 'running' },
      { t: 300, g: 3, state: 'waiting', reason: 'sync' },
      { t: 320, g: 3, state: 'runnable', waker: 1 },
      { t: 330, g: 3, state: 'running' },
    ],
    tasks: [{ name: 'handle', start: 50, end: 450, g: 2 }],
    regions: [
      { name: 'outer', start: 250, end: 400, g: 3, task: 1 },
      { name: 'inner', start: 280, end: 350, g: 3, task: 1 },
      { name: 'later', start: 420, end: 480, g: 3, task: 1 },
    ],
  });

  it('a task: one span per stretch of a goroutine, however its regions nest', () => {
    const s = whySlow(t.m, { kind: 'task', task: 0 }, buildWhyIndexes(t.m));
    expect(s.spans.map((x) => [x.goId, x.startNs, x.endNs])).toEqual([
      [2, 50, 450],
      [3, 250, 400],
      [3, 420, 480],
    ]);
    expect(s.spans[1]).toMatchObject({ runningNs: 120, runnableNs: 10, blockedNs: 20 });
    expect(s.total).toMatchObject({ runningNs: 400 + 120 + 60, runnableNs: 10, blockedNs: 20 });
    expect(s.charge.blockedNs).toBe(s.total.blockedNs);
    expect(s.charge.causes.map((c) => [c.goId, c.state, c.ns])).toEqual([[1, 'running', 20]]);
  });
});

describe('why was this slow, on the go1.26 spike trace', () => {
  const m = decodeGoTrace(
    new Uint8Array(readFileSync(join(CORPUS_DIR, 'go-trace/spike/go1.26.trace'))),
  ).model;
  const idx = buildWhyIndexes(m);

  it('the slowest request: blocked on the lock, held up by refreshCache', () => {
    let slowest = -1;
    for (let i = 0; i < m.tasks.length; i++) {
      if (m.strings[m.tasks.name[i]!] !== 'handle') continue;
      const d = m.tasks.end[i]! - m.tasks.start[i]!;
      if (slowest < 0 || d > m.tasks.end[slowest]! - m.tasks.start[slowest]!) slowest = i;
    }
    const s = whySlow(m, { kind: 'task', task: slowest }, idx);
    expect(s.durationNs).toBeGreaterThan(100e6);
    const t = s.total;
    const sum = t.runningNs + t.runnableNs + t.syscallNs + t.blockedNs + t.otherNs;
    expect(sum).toBe(s.spans.reduce((a, x) => a + x.endNs - x.startNs, 0));
    expect(t.blockedByReason[0]!.reason).toBe('sync');
    expect(t.blockedNs / s.durationNs).toBeGreaterThan(0.5);
    const first = s.charge.causes[0]!;
    expect([first.startFunction, first.state, first.function]).toEqual([
      'main.main.func3',
      'running',
      'main.refreshCache',
    ]);
    expect(first.share).toBeGreaterThan(0.5);
  });
});
