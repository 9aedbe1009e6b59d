import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeGoTrace } from '../formats/gotrace/decode';
import { GS_WAITING } from '../model/trace';
import { CORPUS_DIR } from '../testing/summaryCompare';
import { stackFunctions } from './highlight';
import { findSpikes } from './spikes';
import { traceIndexes } from './traceIndex';
import { traceOf } from './testTrace';
import { previousWait, unblockChain, unblockedBy } from './unblock';

describe('unblocked by (synthetic)', () => {
  // g1 waits on a mutex 100..300, unlocked by g2; g2 had waited on a channel 50..200 until g3
  // sent; g3 never waited. A generation start re-states g1's wait at 250.
  const t = traceOf({
    end: 500,
    events: [
      { t: 0, g: 1, state: 'running' },
      { t: 100, g: 1, state: 'waiting', reason: 'sync', stack: 'main.a;sync.(*Mutex).Lock' },
      { t: 250, g: 1, state: 'waiting', status: true, stack: 'main.a;runtime.gopark' },
      { t: 300, g: 1, state: 'runnable', waker: 2, stack: 'main.b;sync.(*Mutex).Unlock' },
      { t: 0, g: 2, state: 'running' },
      { t: 50, g: 2, state: 'waiting', reason: 'chan receive', stack: 'main.b;runtime.chanrecv1' },
      { t: 200, g: 2, state: 'runnable', waker: 3, stack: 'main.c;runtime.chansend1' },
      { t: 210, g: 2, state: 'running' },
      { t: 300, g: 2, state: 'waiting', reason: 'select', stack: 'main.b;runtime.selectgo' },
      { t: 0, g: 3, state: 'running' },
      { t: 0, g: 4, state: 'waiting', reason: 'network', stack: 'main.d;net.read' },
      { t: 400, g: 4, state: 'runnable' },
    ],
  });
  const { m } = t;
  const first = (id: number): number => m.goroutines.intervalStart[t.g(id)]!;

  it('finds the waker, the time and its stack, across a status re-statement', () => {
    for (const i of [first(1) + 1, first(1) + 2]) {
      const u = unblockedBy(m, i)!;
      expect(u.kind).toBe('goroutine');
      expect(u.goroutine).toBe(t.g(1));
      expect([u.waitFirst, u.waitLast]).toEqual([first(1) + 1, first(1) + 2]);
      expect(u.waitStartNs).toBe(100);
      expect(u.reason).toBe('sync');
      expect(u.timeNs).toBe(300);
      expect(u.waker).toBe(t.g(2));
      expect(u.wakeInterval).toBe(first(1) + 3);
      expect(u.wakerStack).toBe(t.stack('main.b;sync.(*Mutex).Unlock'));
    }
  });

  it('says when no goroutine woke it, or the trace ended first, or it was no wait', () => {
    const net = unblockedBy(m, first(4))!;
    expect(net.kind).toBe('runtime');
    expect(net.waker).toBe(-1);
    expect(net.timeNs).toBe(400);
    const open = unblockedBy(m, first(2) + 4)!;
    expect(open.kind).toBe('end-of-trace');
    expect(open.timeNs).toBe(500);
    expect(open.wakeInterval).toBe(-1);
    expect(unblockedBy(m, first(1))).toBeNull();
  });

  it('follows the wakers back: g1 <- g2 (unlocked at 300) <- g3 (sent at 200)', () => {
    const chain = unblockChain(m, first(1) + 1);
    expect(chain.map((u) => [u.goroutine, u.reason, u.waker, u.timeNs])).toEqual([
      [t.g(1), 'sync', t.g(2), 300],
      [t.g(2), 'chan receive', t.g(3), 200],
    ]);
    expect(unblockChain(m, first(1) + 1, 1)).toHaveLength(1);
    // The wait g2 began at 300 (after waking g1 at the same ns) is not its previous wait.
    expect(previousWait(m, t.g(2), 300)).toBe(first(2) + 1);
    expect(previousWait(m, t.g(3), 300)).toBe(-1);
  });
});

describe('unblocked by, on the go1.26 spike trace', () => {
  const m = decodeGoTrace(
    new Uint8Array(readFileSync(join(CORPUS_DIR, 'go-trace/spike/go1.26.trace'))),
  ).model;
  const spike = findSpikes(traceIndexes(m))[0]!;
  let refreshTask = -1;
  for (let i = 0; i < m.tasks.length; i++) {
    if (m.strings[m.tasks.name[i]!] === 'refreshCache') refreshTask = i;
  }

  /** The mutex waits of the spike's handlers, with what ended them. */
  const waits = Array.from(spike.goroutines).flatMap((g) => {
    const out = [];
    for (let i = m.goroutines.intervalStart[g]!; i < m.goroutines.intervalStart[g + 1]!; i++) {
      if (m.intervals.state[i] !== GS_WAITING || m.reasons[m.intervals.reason[i]!] !== 'sync') {
        continue;
      }
      const u = unblockedBy(m, i, g)!;
      if (u.waitFirst === i && u.timeNs > spike.startNs && u.waitStartNs < spike.endNs) out.push(u);
    }
    return out;
  });
  const names = (s: number): string[] => (s < 0 ? [] : stackFunctions(m, s).names);

  it('the first handler in the queue is woken by refreshCache unlocking, inside the task', () => {
    const byRefresh = waits.filter((u) => names(u.wakerStack).includes('main.refreshCache'));
    expect(byRefresh).toHaveLength(1);
    const u = byRefresh[0]!;
    expect(names(u.wakerStack).at(-1)).toBe('sync.(*Mutex).Unlock');
    expect(u.timeNs).toBeGreaterThan(m.tasks.start[refreshTask]!);
    expect(u.timeNs).toBeLessThanOrEqual(m.tasks.end[refreshTask]!);
    // It waited for most of the 120 ms hold.
    expect(u.timeNs - u.waitStartNs).toBeGreaterThan(100e6);
  });

  it('the next handler is handed the lock by the first, whose chain leads to refreshCache', () => {
    const head = waits.find((u) => names(u.wakerStack).includes('main.refreshCache'))!;
    // The first wait the head ended after it got the lock.
    const second = waits
      .filter((u) => u.waker === head.goroutine && u.timeNs >= head.timeNs)
      .reduce((a, b) => (b.timeNs < a.timeNs ? b : a));
    expect(names(second.wakerStack).slice(-2)).toEqual(['main.lookup', 'sync.(*Mutex).Unlock']);
    const chain = unblockChain(m, second.waitFirst);
    expect(chain[0]).toEqual(second);
    expect(chain[1]).toEqual(head);
  });

  it('every chain steps back in time from a waiter to its waker', () => {
    const handoffs = waits.filter((u) => names(u.wakerStack).includes('main.lookup'));
    expect(handoffs.length).toBeGreaterThanOrEqual(15);
    for (const u of handoffs) {
      const chain = unblockChain(m, u.waitFirst, 16);
      expect(chain.length).toBeGreaterThanOrEqual(2);
      for (let k = 1; k < chain.length; k++) {
        expect(chain[k]!.goroutine).toBe(chain[k - 1]!.waker);
        expect(chain[k]!.timeNs).toBeLessThanOrEqual(chain[k - 1]!.timeNs);
      }
    }
  });
});
