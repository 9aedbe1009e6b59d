import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeGoTrace } from '../formats/gotrace/decode';
import { GS_WAITING } from '../model/trace';
import { CORPUS_DIR } from '../testing/corpus';
import { findSpikes } from './spikes';
import { traceIndexes } from './traceIndex';
import { traceOf, type TestTransition } from './testTrace';
import { buildWhyIndexes, whyCharge } from './why';
import { whyChain, type WhyChain } from './whyChain';

/** The charged segments as "G<id> <state>" -> ns. */
function charged(c: WhyChain): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of c.segments) {
    if (!s.charged) continue;
    const k = `G${s.goId} ${s.state}`;
    out[k] = (out[k] ?? 0) + s.endNs - s.startNs;
  }
  return out;
}

describe('why chain (synthetic)', () => {
  // S -> M -> K (µs): M receives from S, waits on a lock H holds until 300, sends to K at 350.
  const t = traceOf({
    end: 400_000,
    events: [
      { t: 0, g: 1, state: 'running' },
      { t: 0, g: 2, state: 'running' },
      { t: 0, g: 3, state: 'running' },
      { t: 10000, g: 3, state: 'waiting', reason: 'chan receive', stack: 'main.stage;main.recv' },
      { t: 50000, g: 3, state: 'runnable', waker: 2, stack: 'main.source;main.send' },
      { t: 60000, g: 3, state: 'running' },
      { t: 100000, g: 3, state: 'waiting', reason: 'sync', stack: 'main.stage;sync.(*Mutex).Lock' },
      { t: 300000, g: 3, state: 'runnable', waker: 1, stack: 'main.hold;sync.(*Mutex).Unlock' },
      { t: 320000, g: 3, state: 'running' },
      { t: 0, g: 4, state: 'running' },
      { t: 5000, g: 4, state: 'waiting', reason: 'chan receive', stack: 'main.sink;main.recv' },
      { t: 350000, g: 4, state: 'runnable', waker: 3, stack: 'main.stage;main.send' },
    ],
  });

  it('lays the pipeline out as segments per lane, arrows at the wakes, lines in order', () => {
    const k = t.m.goroutines.intervalStart[t.g(4)]! + 1;
    const c = whyChain(t.m, k)!;
    expect([c.goroutine, c.interval, c.startNs, c.endNs, c.reason, c.ended]).toEqual([
      t.g(4),
      k,
      5000,
      350_000,
      'chan receive',
      'goroutine',
    ]);
    expect(
      c.segments.map((s) => [s.depth, s.goId, s.state, s.startNs, s.endNs, s.charged, s.parent]),
    ).toEqual([
      [0, 4, 'waiting (chan receive)', 5000, 350000, false, -1],
      [1, 3, 'running', 5000, 10000, true, 0],
      [1, 3, 'waiting (chan receive)', 10000, 50000, false, 0],
      [2, 2, 'running', 10000, 50000, true, 2],
      [1, 3, 'runnable', 50000, 60000, true, 0],
      [1, 3, 'running', 60000, 100000, true, 0],
      [1, 3, 'waiting (sync)', 100000, 300000, false, 0],
      [2, 1, 'running', 100000, 300000, true, 6],
      [1, 3, 'runnable', 300000, 320000, true, 0],
      [1, 3, 'running', 320000, 350000, true, 0],
    ]);
    expect(c.arrows.map((a) => [a.fromGoroutine, a.toGoroutine, a.timeNs, a.segment])).toEqual([
      [t.g(3), t.g(4), 350_000, 0],
      [t.g(2), t.g(3), 50_000, 2],
      [t.g(1), t.g(3), 300_000, 6],
    ]);
    expect(c.arrows[2]!.stack).toBe(t.stack('main.hold;sync.(*Mutex).Unlock'));
    expect(c.segments[6]!.stack).toBe(t.stack('main.stage;sync.(*Mutex).Lock'));
    // The charged segments are the interval's charge.
    const ch = whyCharge(t.m, { kind: 'interval', interval: k }, buildWhyIndexes(t.m));
    const byCause: Record<string, number> = {};
    for (const x of ch.causes) byCause[`G${x.goId} ${x.state}`] = x.ns;
    expect(charged(c)).toEqual(byCause);
    expect(c.lines.map((l) => l.text)).toEqual([
      'G4 waited 345 µs (chan receive), 0.005 ms – 0.350 ms; woken by G3',
      'G3 running, 0.005 ms – 0.010 ms (5.00 µs)',
      'G3 itself waiting (chan receive), 0.010 ms – 0.050 ms (40.0 µs); woken by G2 at 0.050 ms',
      'G2 running, 0.010 ms – 0.050 ms (40.0 µs)',
      'G3 runnable, 0.050 ms – 0.060 ms (10.0 µs)',
      'G3 running, 0.060 ms – 0.100 ms (40.0 µs)',
      'G3 itself waiting (sync), 0.100 ms – 0.300 ms (200 µs); woken by G1 at 0.300 ms',
      'G1 running, 0.100 ms – 0.300 ms (200 µs)',
      'G3 runnable, 0.300 ms – 0.320 ms (20.0 µs)',
      'G3 running, 0.320 ms – 0.350 ms (30.0 µs)',
    ]);
    expect(c.lines.map((l) => l.depth)).toEqual([0, 1, 1, 2, 1, 1, 1, 2, 1, 1]);
  });

  it('says how a wait ended when no goroutine woke it', () => {
    const u = traceOf({
      end: 100,
      events: [
        { t: 0, g: 1, state: 'waiting', reason: 'network' },
        { t: 40, g: 1, state: 'runnable' },
        { t: 0, g: 2, state: 'waiting', reason: 'sync' },
        { t: 0, g: 3, state: 'running' },
      ],
    });
    const net = whyChain(u.m, u.m.goroutines.intervalStart[u.g(1)]!)!;
    expect([net.ended, net.segments.length, net.segments[0]!.charged, net.arrows]).toEqual([
      'runtime',
      1,
      true,
      [],
    ]);
    expect(net.lines[0]!.text).toMatch(/woken by the runtime/);
    const open = whyChain(u.m, u.m.goroutines.intervalStart[u.g(2)]!)!;
    expect([open.ended, open.endNs]).toEqual(['end-of-trace', 100]);
    expect(whyChain(u.m, u.m.goroutines.intervalStart[u.g(3)]!)).toBeNull();
  });

  it('follows a handoff chain of 100 waiters back to the holder, and cuts when asked', () => {
    const events: TestTransition[] = [{ t: 0, g: 1, state: 'running' }];
    for (let i = 1; i <= 100; i++) {
      const id = 100 + i;
      const b = 2000 + 100 * (i - 1);
      events.push({ t: 0, g: id, state: 'running' });
      events.push({ t: 10 * i, g: id, state: 'waiting', reason: 'sync' });
      events.push({ t: b, g: id, state: 'runnable', waker: i === 1 ? 1 : id - 1 });
      events.push({ t: b + 20, g: id, state: 'running' });
    }
    const h = traceOf({ end: 12100, events });
    const last = h.m.goroutines.intervalStart[h.g(200)]! + 1;
    const c = whyChain(h.m, last)!;
    expect(c.truncated).toBe(false);
    // The wait, then for each earlier waiter its wait, runnable and running; the holder.
    expect(c.segments).toHaveLength(1 + 3 * 99 + 1);
    expect(c.arrows).toHaveLength(100);
    const deepest = c.segments.reduce((a, s) => (s.depth > a.depth ? s : a));
    expect([deepest.goId, deepest.state, deepest.startNs, deepest.endNs, deepest.depth]).toEqual([
      1,
      'running',
      1000,
      2000,
      100,
    ]);
    const want: Record<string, number> = { 'G1 running': 1000 };
    for (let j = 1; j < 100; j++) {
      want[`G${100 + j} runnable`] = 20;
      want[`G${100 + j} running`] = 80;
    }
    expect(charged(c)).toEqual(want);
    const cut = whyChain(h.m, last, { maxSegments: 50 })!;
    expect([cut.truncated, cut.segments.length, cut.lines.length]).toEqual([true, 50, 50]);
  });

  it('stops at a cycle', () => {
    const u = traceOf({
      end: 200,
      events: [
        { t: 0, g: 2, state: 'waiting', reason: 'chan send' },
        { t: 100, g: 2, state: 'runnable', waker: 3 },
        { t: 0, g: 3, state: 'waiting', reason: 'chan receive' },
        { t: 100, g: 3, state: 'runnable', waker: 2 },
        { t: 50, g: 4, state: 'waiting', reason: 'select' },
        { t: 100, g: 4, state: 'runnable', waker: 2 },
      ],
    });
    const c = whyChain(u.m, u.m.goroutines.intervalStart[u.g(4)]!)!;
    expect(c.segments.map((s) => [s.goId, s.state, s.charged])).toEqual([
      [4, 'waiting (select)', false],
      [2, 'waiting (chan send)', false],
      [3, 'waiting (chan receive)', false],
      [2, 'waiting (chan send)', true],
    ]);
  });
});

describe('why chain on the go1.26 spike trace', () => {
  const m = decodeGoTrace(
    new Uint8Array(readFileSync(join(CORPUS_DIR, 'go-trace/spike/go1.26.trace'))),
  ).model;

  it('the longest mutex wait of the lock spike leads back to refreshCache running', () => {
    const spike = findSpikes(traceIndexes(m))[0]!;
    let best = -1;
    let bestLen = 0;
    for (const g of spike.goroutines) {
      const last = m.goroutines.intervalStart[g + 1]!;
      for (let i = m.goroutines.intervalStart[g]!; i + 1 < last; i++) {
        if (m.intervals.state[i] !== GS_WAITING || m.reasons[m.intervals.reason[i]!] !== 'sync') {
          continue;
        }
        const len = m.intervals.start[i + 1]! - m.intervals.start[i]!;
        if (len > bestLen) [best, bestLen] = [i, len];
      }
    }
    const c = whyChain(m, best)!;
    expect(c.ended).toBe('goroutine');
    expect(bestLen).toBeGreaterThan(100e6);
    const refresher = Array.from({ length: m.goroutines.length }, (_, g) => g).filter(
      (g) => m.strings[m.goroutines.startFunc[g]!] === 'main.main.func3',
    );
    expect(refresher).toHaveLength(1);
    const culprit = refresher[0]!;
    // Most of it: the refresher running with the lock, reached through the handoffs.
    const run = c.segments
      .filter((s) => s.charged && s.goroutine === culprit && s.kind === 'running')
      .reduce((a, s) => a + s.endNs - s.startNs, 0);
    expect(run / bestLen).toBeGreaterThan(0.5);
    expect(c.arrows.some((a) => a.fromGoroutine === culprit)).toBe(true);
    // Every arrow goes from a waker to the lane of a segment it ended, at that segment's end.
    for (const a of c.arrows) {
      const seg = c.segments[a.segment]!;
      expect(seg.goroutine).toBe(a.toGoroutine);
      expect(a.timeNs).toBeGreaterThanOrEqual(seg.endNs);
    }
    expect(c.lines[0]!.text).toMatch(/^G\d+ waited 1\d\d ms \(sync\), .* woken by G\d+$/);
  });
});
