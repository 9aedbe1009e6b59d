import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeGoTrace } from '../formats/gotrace/decode';
import {
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_WAITING,
  IV_STATUS,
  type TraceModel,
  wakerOf,
} from '../model/trace';
import { CORPUS_DIR } from '../testing/corpus';
import { buildCallTree, childrenOf, nodeName } from './flame';
import { findSpikes } from './spikes';
import { traceIndexes } from './traceIndex';
import { traceOf, type TestTransition } from './testTrace';
import {
  buildWhyIndexes,
  causeFunction,
  causeStackSet,
  causeText,
  isProgramFunction,
  spikesWhy,
  whyCharge,
  type WhyCharge,
  type WhyTarget,
} from './why';
import { whyReport } from './whyReport';

/** Causes as "G<id> <state>" -> ns. */
function byCause(ch: WhyCharge): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of ch.causes) out[`G${c.goId} ${c.state}`] = c.ns;
  return out;
}

function whole(m: TraceModel, extra: Partial<Extract<WhyTarget, { kind: 'window' }>> = {}) {
  return whyCharge(
    m,
    { kind: 'window', startNs: 0, endNs: m.durationNs, ...extra },
    buildWhyIndexes(m),
    { maxCauses: Infinity },
  );
}

const LOCK = 'main.handle;main.lookup;sync.(*Mutex).Lock';
const UNLOCK = 'main.handle;main.lookup;sync.(*Mutex).Unlock';

/**
 * A mutex handed from waiter to waiter: G1 holds it until 2000; waiter i (Go ID 100+i) blocks at
 * 10i, is woken by waiter i-1 (G1 for the first) at b_i = 2000 + 100(i-1), is runnable for 20 ns
 * and then runs, waking waiter i+1 at b_{i+1}.
 */
function handoff(n: number) {
  const events: TestTransition[] = [{ t: 0, g: 1, state: 'running' }];
  for (let i = 1; i <= n; i++) {
    const id = 100 + i;
    const b = 2000 + 100 * (i - 1);
    events.push({ t: 0, g: id, state: 'running' });
    events.push({ t: 10 * i, g: id, state: 'waiting', reason: 'sync', stack: LOCK });
    events.push({ t: b, g: id, state: 'runnable', waker: i === 1 ? 1 : id - 1, stack: UNLOCK });
    events.push({ t: b + 20, g: id, state: 'running' });
  }
  return traceOf({ end: 2000 + 100 * n + 100, events });
}

describe('why: a mutex handoff chain', () => {
  it('charges 100 waiters exactly: the holder, then each waiter runnable and running', () => {
    const t = handoff(100);
    const ch = whole(t.m, { reasons: { reasons: ['sync'] } });
    // Waiter i waited from 10i to 2000 + 100(i - 1).
    expect(ch.blockedNs).toBe(644_500);
    expect(ch.intervals).toBe(100);
    const want: Record<string, number> = { 'G1 running': 149_500 };
    // Before 2000 every earlier waiter was waiting too: the holder held them all up (2000 - 10i
    // each). After, waiter j was runnable 20 ns and running 80 ns between its wake and the next
    // one, holding up the 100 - j waiters behind it.
    for (let j = 1; j < 100; j++) {
      want[`G${100 + j} runnable`] = 20 * (100 - j);
      want[`G${100 + j} running`] = 80 * (100 - j);
    }
    expect(byCause(ch)).toEqual(want);
    const first = ch.causes[0]!;
    expect([first.goId, first.state, first.share]).toEqual([1, 'running', 149_500 / 644_500]);
    expect(ch.cycleNs).toBe(0);
    expect([ch.causeCount, ch.culpritCount, ch.otherNs]).toEqual([199, 100, 0]);
    // By default the first 100 causes are described; the others are counted.
    const top = whyCharge(
      t.m,
      { kind: 'window', startNs: 0, endNs: t.m.durationNs },
      buildWhyIndexes(t.m),
    );
    expect(top.causes).toEqual(ch.causes.slice(0, 100));
    expect(top.causeCount).toBe(199);
    expect(top.otherNs).toBe(ch.causes.slice(100).reduce((a, c) => a + c.ns, 0));
    // Every cause is in the stack rows, listed or not.
    expect(top.causeStacks.weight.reduce((a, w) => a + w, 0)).toBe(644_500);
    expect(Array.from(top.causeStacks.cause).filter((c) => c < 0)).toHaveLength(99);
  });

  it('costs about linear work in the chain length, not quadratic', () => {
    // Charged one wait at a time, waiter i's wait walks back through all i - 1 before it:
    // n^2 / 2 pieces (5,000 and 500,000). Aggregated, each wait's demand moves once.
    for (const n of [100, 1000]) {
      const ch = whole(handoff(n).m);
      expect(ch.intervals).toBe(n);
      expect(ch.steps).toBeLessThanOrEqual(4 * n);
    }
  });

  it('out of steps, stops following wakers and says how much it charged so', () => {
    const t = handoff(100);
    const full = whole(t.m);
    expect(full.budgetNs).toBe(0);
    const cut = whyCharge(
      t.m,
      { kind: 'window', startNs: 0, endNs: t.m.durationNs },
      buildWhyIndexes(t.m),
      { maxCauses: Infinity, maxSteps: 50 },
    );
    expect(cut.steps).toBeLessThan(full.steps);
    // Every blocked ns is still charged once; what the full charge gave to goroutines further up
    // the chains went to the waits where it stopped, as their own.
    expect(cut.blockedNs).toBe(full.blockedNs);
    expect(cut.causes.reduce((a, c) => a + c.ns, 0)).toBe(cut.blockedNs);
    const own = cut.causes.filter((c) => c.state === 'waiting (sync)');
    expect(cut.budgetNs).toBeGreaterThan(0);
    expect(own.reduce((a, c) => a + c.ns, 0)).toBe(cut.budgetNs);
    expect(full.causes.filter((c) => c.kind === 'waiting')).toEqual([]);
  });

  it('charges the last waiter alone through the whole chain', () => {
    const t = handoff(100);
    const m = t.m;
    const last = m.goroutines.intervalStart[t.g(200)]! + 1;
    const ch = whyCharge(m, { kind: 'interval', interval: last }, buildWhyIndexes(m), {
      maxCauses: Infinity,
    });
    // Waiter 100 waited 1000 .. 11900: the holder 1000 .. 2000, then each waiter j 20 + 80.
    expect(ch.blockedNs).toBe(10_900);
    const want: Record<string, number> = { 'G1 running': 1000 };
    for (let j = 1; j < 100; j++) {
      want[`G${100 + j} running`] = 80;
      want[`G${100 + j} runnable`] = 20;
    }
    expect(byCause(ch)).toEqual(want);
  });
});

describe('why: synthetic cases charged by hand', () => {
  it('an RWMutex writer is charged to the reader whose RUnlock woke it', () => {
    // Readers R1..R3 hold the read lock; W calls Lock at 100. R1 unlocks at 200 and R2 at 400
    // (neither wakes W: readers remain); R3, in a syscall 250 .. 450, unlocks last at 500 and
    // wakes W (sync.RWMutex: the last reader's RUnlock releases writerSem). The waker-chain
    // charge blames the last reader only: what it did while W waited.
    const t = traceOf({
      end: 600,
      events: [
        { t: 0, g: 1, state: 'running' },
        { t: 200, g: 1, state: 'waiting', reason: 'chan receive', stack: 'main.r1;main.next' },
        { t: 0, g: 2, state: 'running' },
        { t: 300, g: 2, state: 'waiting', reason: 'network', stack: 'main.r2;net.read' },
        { t: 350, g: 2, state: 'runnable' },
        { t: 360, g: 2, state: 'running' },
        { t: 0, g: 3, state: 'running' },
        { t: 250, g: 3, state: 'syscall', stack: 'main.r3;syscall.read' },
        { t: 450, g: 3, state: 'running' },
        { t: 0, g: 4, state: 'running' },
        { t: 100, g: 4, state: 'waiting', reason: 'sync', stack: 'main.w;sync.(*RWMutex).Lock' },
        { t: 500, g: 4, state: 'runnable', waker: 3, stack: 'main.r3;sync.(*RWMutex).RUnlock' },
        { t: 510, g: 4, state: 'running' },
      ],
    });
    const ch = whole(t.m, { reasons: { reasons: ['sync'] } });
    expect(ch.blockedNs).toBe(400);
    expect(byCause(ch)).toEqual({ 'G3 running': 200, 'G3 syscall': 200 });
    const sys = ch.causes.find((c) => c.state === 'syscall')!;
    expect(sys.stack).toEqual(['syscall.read', 'main.r3']);
    const run = ch.causes.find((c) => c.state === 'running')!;
    // No CPU samples: the stack where it woke W.
    expect(run.stack).toEqual(['sync.(*RWMutex).RUnlock', 'main.r3']);
    expect(run.wakeStack).toEqual(['sync.(*RWMutex).RUnlock', 'main.r3']);
    expect(run.function).toBe('main.r3');
  });

  // A pipeline S -> M -> K: M receives from S, then waits on a lock that H holds until 300,
  // then sends to K, which waited for it from 5 to 350.
  const pipeline = traceOf({
    end: 400,
    events: [
      { t: 0, g: 1, state: 'running' }, // H holds the lock
      { t: 0, g: 2, state: 'running' }, // S
      { t: 0, g: 3, state: 'running' }, // M
      { t: 10, g: 3, state: 'waiting', reason: 'chan receive', stack: 'main.stage;main.recv' },
      { t: 50, g: 3, state: 'runnable', waker: 2, stack: 'main.source;main.send' },
      { t: 60, g: 3, state: 'running' },
      { t: 100, g: 3, state: 'waiting', reason: 'sync', stack: 'main.stage;sync.(*Mutex).Lock' },
      { t: 300, g: 3, state: 'runnable', waker: 1, stack: 'main.hold;sync.(*Mutex).Unlock' },
      { t: 320, g: 3, state: 'running' },
      { t: 0, g: 4, state: 'running' }, // K
      { t: 5, g: 4, state: 'waiting', reason: 'chan receive', stack: 'main.sink;main.recv' },
      { t: 350, g: 4, state: 'runnable', waker: 3, stack: 'main.stage;main.send' },
      { t: 360, g: 4, state: 'running' },
    ],
  });

  it('a channel pipeline whose middle stage waits on a lock', () => {
    const ch = whole(pipeline.m);
    // M's receive (40, S running), M's lock (200, H running), and K's receive 5 .. 350 through
    // M's timeline: running 5, [S running 40], runnable 10, running 40, [H running 200],
    // runnable 20, running 30.
    expect(ch.blockedNs).toBe(40 + 200 + 345);
    expect(byCause(ch)).toEqual({
      'G1 running': 400,
      'G2 running': 80,
      'G3 running': 75,
      'G3 runnable': 30,
    });
    expect(ch.causes.map((c) => c.goId)).toEqual([1, 2, 3, 3]);
    expect(ch.causes.reduce((a, c) => a + c.share, 0)).toBeCloseTo(1, 12);
  });

  it('the sink alone, and only the waits of one reason, and only some goroutines', () => {
    const { m, g } = pipeline;
    const idx = buildWhyIndexes(m);
    const k = m.goroutines.intervalStart[g(4)]! + 1;
    expect(byCause(whyCharge(m, { kind: 'interval', interval: k }, idx))).toEqual({
      'G1 running': 200,
      'G3 running': 75,
      'G2 running': 40,
      'G3 runnable': 30,
    });
    const sync = whole(m, { reasons: { reasons: ['sync'] } });
    expect([sync.blockedNs, byCause(sync)]).toEqual([200, { 'G1 running': 200 }]);
    const onlyM = whole(m, { goroutines: [g(3)] });
    expect([onlyM.blockedNs, byCause(onlyM)]).toEqual([
      240,
      { 'G1 running': 200, 'G2 running': 40 },
    ]);
    // A window clips the waits: [200, 330] holds M's lock wait 200..300 and K's 200..330.
    const w = whole(m, { startNs: 200, endNs: 330 });
    expect(w.blockedNs).toBe(100 + 130);
    expect(byCause(w)).toEqual({ 'G1 running': 200, 'G3 runnable': 20, 'G3 running': 10 });
  });

  it('a holder that sleeps while holding the lock', () => {
    const t = traceOf({
      end: 400,
      events: [
        { t: 0, g: 1, state: 'running' },
        { t: 100, g: 1, state: 'waiting', reason: 'sleep', stack: 'main.hold;time.Sleep' },
        { t: 300, g: 1, state: 'runnable' }, // the timer: no goroutine
        { t: 300, g: 1, state: 'running' },
        { t: 0, g: 2, state: 'running' },
        { t: 50, g: 2, state: 'waiting', reason: 'sync', stack: LOCK },
        { t: 350, g: 2, state: 'runnable', waker: 1, stack: 'main.hold;sync.(*Mutex).Unlock' },
      ],
    });
    const ch = whole(t.m, { reasons: { reasons: ['sync'] } });
    expect(byCause(ch)).toEqual({ 'G1 waiting (sleep)': 200, 'G1 running': 100 });
    const sleep = ch.causes[0]!;
    expect([sleep.kind, sleep.reason, sleep.stack]).toEqual([
      'waiting',
      'sleep',
      ['time.Sleep', 'main.hold'],
    ]);
    expect([sleep.firstNs, sleep.lastNs]).toEqual([100, 300]);
  });

  it('wakers that are not goroutines: timers and the network poller', () => {
    const t = traceOf({
      end: 300,
      events: [
        { t: 0, g: 1, state: 'waiting', reason: 'sleep', stack: 'main.tick;time.Sleep' },
        { t: 100, g: 1, state: 'runnable' },
        { t: 0, g: 2, state: 'running' },
        { t: 10, g: 2, state: 'waiting', reason: 'network', stack: 'main.read;net.read' },
        { t: 60, g: 2, state: 'runnable' },
        { t: 60, g: 2, state: 'running' },
        { t: 0, g: 3, state: 'waiting', reason: 'chan receive', stack: 'main.use;main.recv' },
        { t: 200, g: 3, state: 'runnable', waker: 2, stack: 'main.read;main.send' },
      ],
    });
    const ch = whole(t.m);
    expect(ch.blockedNs).toBe(100 + 50 + 200);
    expect(byCause(ch)).toEqual({
      // G3's receive: G2 ran 0..10 and 60..200, and waited on the network 10..60 (no waker),
      // plus G2's own network wait.
      'G2 running': 150,
      'G2 waiting (network)': 100,
      'G1 waiting (sleep)': 100,
    });
  });

  it('self-wakes and cycles terminate', () => {
    // G1 "woken by itself" (inconsistent data) is its own wait. G2 and G3 wake each other at
    // the same ns, and G4 waits on G2: the chain comes back to a wait on it.
    const t = traceOf({
      end: 200,
      events: [
        { t: 0, g: 1, state: 'waiting', reason: 'sync' },
        { t: 100, g: 1, state: 'runnable', waker: 1 },
        { t: 0, g: 2, state: 'waiting', reason: 'chan send' },
        { t: 100, g: 2, state: 'runnable', waker: 3 },
        { t: 0, g: 3, state: 'waiting', reason: 'chan receive' },
        { t: 100, g: 3, state: 'runnable', waker: 2 },
        { t: 50, g: 4, state: 'waiting', reason: 'select' },
        { t: 100, g: 4, state: 'runnable', waker: 2 },
      ],
    });
    const ch = whole(t.m);
    expect(ch.blockedNs).toBe(350);
    const causes = byCause(ch);
    expect(causes['G1 waiting (sync)']).toBe(100);
    // The cycle's 250 ns go to the waits on it (which one first depends on the order of equal
    // ends), and are counted as such.
    const onCycle =
      (causes['G2 waiting (chan send)'] ?? 0) + (causes['G3 waiting (chan receive)'] ?? 0);
    expect(onCycle).toBe(250);
    expect(Object.keys(causes)).toHaveLength(ch.causes.length);
    expect(ch.causes.length).toBeLessThanOrEqual(3);
    expect(ch.cycleNs).toBe(250);
  });

  it('one waker behind 20,000 waits, having itself waited (a close() after a receive)', () => {
    // W (G1) waits 10..1000 for P (G2), then runs and wakes waiter k (of K, each waiting since
    // 5) at 1002 + k. Each waiter's wait: W running 5, P running 990 (through W's wait), W
    // runnable 1, W running 1 + k. The pieces forwarded into W's wait all start at its start.
    const K = 20_000;
    const events: TestTransition[] = [
      { t: 0, g: 2, state: 'running' },
      { t: 0, g: 1, state: 'running' },
      { t: 10, g: 1, state: 'waiting', reason: 'chan receive' },
      { t: 1000, g: 1, state: 'runnable', waker: 2 },
      { t: 1001, g: 1, state: 'running' },
    ];
    for (let k = 0; k < K; k++) {
      events.push({ t: 0, g: 100 + k, state: 'running' });
      events.push({ t: 5, g: 100 + k, state: 'waiting', reason: 'sync' });
      events.push({ t: 1002 + k, g: 100 + k, state: 'runnable', waker: 1 });
    }
    const t = traceOf({ end: 1002 + K + 10, events });
    const ch = whole(t.m);
    expect(ch.intervals).toBe(K + 1);
    expect(byCause(ch)).toEqual({
      'G1 running': 6 * K + (K * (K - 1)) / 2,
      'G2 running': 990 * K + 990, // and W's own wait
      'G1 runnable': K,
    });
    expect(ch.budgetNs).toBe(0);
  });

  it('a truncated trace: a waker never seen, or seen only later', () => {
    // G9 woke G1 but has no interval at all; G8 woke G2 but is first seen at 120.
    const t = traceOf({
      end: 300,
      events: [
        { t: 50, g: 1, state: 'waiting', reason: 'sync' },
        { t: 200, g: 1, state: 'runnable', waker: 9 },
        { t: 50, g: 2, state: 'waiting', reason: 'sync' },
        { t: 200, g: 2, state: 'runnable', waker: 8 },
        { t: 120, g: 8, state: 'running', status: true },
        // Still waiting at the end of the trace: not blocked time (WHY.md).
        { t: 10, g: 3, state: 'waiting', reason: 'sync' },
      ],
    });
    const ch = whole(t.m);
    expect(ch.blockedNs).toBe(300);
    expect(byCause(ch)).toEqual({ 'G9 unknown': 150, 'G8 running': 80, 'G8 unknown': 70 });
  });

  it('re-statements at generation starts do not split a wait', () => {
    const t = traceOf({
      end: 300,
      events: [
        { t: 0, g: 1, state: 'running' },
        { t: 10, g: 2, state: 'waiting', reason: 'sync', stack: LOCK },
        { t: 100, g: 2, state: 'waiting', status: true, stack: 'main.handle;runtime.gopark' },
        { t: 200, g: 2, state: 'runnable', waker: 1, stack: UNLOCK },
        // G3 waits on G2 over G2's re-stated wait.
        { t: 0, g: 3, state: 'waiting', reason: 'chan receive' },
        { t: 250, g: 3, state: 'runnable', waker: 2 },
        { t: 210, g: 2, state: 'running' },
      ],
    });
    const ch = whole(t.m);
    // G2's wait 10..200 (one wait) to G1; G3's 0..250 to G2 unknown 0..10, G1 10..200, G2 ...
    expect(byCause(ch)).toEqual({
      'G1 running': 190 + 190,
      'G2 unknown': 10,
      'G2 runnable': 10,
      'G2 running': 40,
    });
    expect(ch.intervals).toBe(2);
  });

  it('running culprits: CPU samples weighted by how many they held up', () => {
    // H runs with samples at 10 (compute), 60 and 90 (hash). W1 waits 0..100 until H unlocks;
    // W2 waits 50..120 until W1, running from 100, unlocks: from 50 on, H holds up two.
    const t = traceOf({
      end: 200,
      events: [
        { t: 0, g: 1, state: 'running' },
        { t: 0, g: 2, state: 'waiting', reason: 'sync', stack: LOCK },
        { t: 100, g: 2, state: 'runnable', waker: 1, stack: 'main.refresh;sync.(*Mutex).Unlock' },
        { t: 100, g: 2, state: 'running' },
        { t: 50, g: 3, state: 'waiting', reason: 'sync', stack: LOCK },
        { t: 120, g: 3, state: 'runnable', waker: 2, stack: UNLOCK },
      ],
      samples: [
        { t: 10, g: 1, stack: 'main.refresh;main.compute' },
        { t: 60, g: 1, stack: 'main.refresh;main.compute;crypto/sha256.block' },
        { t: 90, g: 1, stack: 'main.refresh;main.compute;crypto/sha256.block' },
        { t: 150, g: 1, stack: 'main.other' },
      ],
    });
    const ch = whole(t.m);
    expect(byCause(ch)).toEqual({ 'G1 running': 150, 'G2 running': 20 });
    // H's 150 ns over its samples in 1:2:2 (one goroutine held up at 10, two at 60 and 90);
    // W1's 20 ns have no sample: its stack where it woke W2.
    const rows = Array.from(ch.causeStacks.stack, (s, k) => [s, ch.causeStacks.weight[k]]);
    expect(new Map(rows as Array<[number, number]>)).toEqual(
      new Map([
        [t.stack('main.refresh;main.compute'), 30],
        [t.stack('main.refresh;main.compute;crypto/sha256.block'), 120],
        [t.stack(UNLOCK), 20],
      ]),
    );
    const c = ch.causes[0]!;
    expect(c.stack).toEqual(['crypto/sha256.block', 'main.compute', 'main.refresh']);
    expect(c.wakeStack).toEqual(['sync.(*Mutex).Unlock', 'main.refresh']);
    expect(c.function).toBe('main.refresh');
    expect(causeText(c)).toBe('G1 main.refresh: running 88%');
    expect(ch.causes[1]!.function).toBe('main.lookup');

    // The Cause flame graph: a root per culprit state, the stacks under it.
    const set = causeStackSet(t.m, ch);
    expect(set.total).toBe(170);
    const tree = buildCallTree(set);
    const roots = childrenOf(tree, 0);
    expect(roots.map((r) => nodeName(tree, r))).toEqual(['running']);
    expect(tree.total[roots[0]!]).toBe(170);
    const under = childrenOf(tree, roots[0]!);
    expect(under.map((r) => [nodeName(tree, r), tree.total[r]])).toEqual([
      ['main.handle', 20],
      ['main.refresh', 150],
    ]);
    const compute = childrenOf(tree, under[1]!)[0]!;
    expect([nodeName(tree, compute), tree.self[compute]]).toEqual(['main.compute', 30]);
    expect(set.syntheticFrom).toBeLessThan(set.frames.length);
  });

  it("a region and a task: their goroutine's waits inside them", () => {
    const t = traceOf({
      end: 500,
      events: [
        { t: 0, g: 1, state: 'running' },
        { t: 0, g: 2, state: 'running' },
        { t: 100, g: 2, state: 'waiting', reason: 'sync', stack: LOCK },
        { t: 200, g: 2, state: 'runnable', waker: 1, stack: UNLOCK },
        { t: 220, g: 2, state: 'running' },
        { t: 300, g: 2, state: 'waiting', reason: 'sync', stack: LOCK },
        { t: 400, g: 2, state: 'runnable', waker: 1, stack: UNLOCK },
        { t: 410, g: 2, state: 'running' },
      ],
      tasks: [{ name: 'handle', start: 50, end: 450, g: 2 }],
      regions: [
        { name: 'lookup', start: 150, end: 250, g: 2, task: 1 },
        { name: 'other', start: 280, end: 350, g: 3, task: 1 },
      ],
    });
    const idx = buildWhyIndexes(t.m);
    const r = whyCharge(t.m, { kind: 'region', region: 0 }, idx);
    expect([r.startNs, r.endNs, r.blockedNs, byCause(r)]).toEqual([
      150,
      250,
      50,
      { 'G1 running': 50 },
    ]);
    const task = whyCharge(t.m, { kind: 'task', task: 0 }, idx);
    expect([task.startNs, task.endNs, task.blockedNs, byCause(task)]).toEqual([
      50,
      450,
      200,
      { 'G1 running': 200 },
    ]);
  });
});

// ---- the engine against a direct reading of the rules, on random consistent traces --------------

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REASONS = ['sync', 'chan receive', 'network', 'select'];

/**
 * Goroutines with random timelines; every transition at a distinct ns (base times x G plus the
 * goroutine), so a waker picked among the goroutines running at a wake was running there.
 */
function randomTrace(seed: number) {
  const r = rng(seed);
  const G = 3 + Math.floor(r() * 6);
  const horizon = 60 + Math.floor(r() * 120);
  const timelines: Array<Array<{ t: number; state: TestTransition['state']; reason?: string }>> =
    [];
  for (let g = 1; g <= G; g++) {
    const line: Array<{ t: number; state: TestTransition['state']; reason?: string }> = [];
    let base = r() < 0.3 ? Math.floor(r() * 40) : 0;
    let state: TestTransition['state'] = r() < 0.5 ? 'running' : 'waiting';
    while (base < horizon) {
      const reason = state === 'waiting' ? REASONS[Math.floor(r() * REASONS.length)] : undefined;
      line.push({ t: base * G + g, state, ...(reason ? { reason } : {}) });
      base += 1 + Math.floor(r() * 15);
      if (state === 'running') {
        const x = r();
        state = x < 0.55 ? 'waiting' : x < 0.8 ? 'runnable' : 'syscall';
      } else if (state === 'waiting') state = 'runnable';
      else if (state === 'runnable') state = 'running';
      else state = r() < 0.5 ? 'running' : 'runnable';
    }
    timelines.push(line);
  }
  const runningAt = (g: number, t: number): boolean => {
    const line = timelines[g - 1]!;
    for (let k = line.length - 1; k >= 0; k--) {
      if (line[k]!.t <= t) return line[k]!.state === 'running' && line[k]!.t < t;
    }
    return false;
  };
  const events: TestTransition[] = [];
  timelines.forEach((line, gi) => {
    const g = gi + 1;
    line.forEach((e, k) => {
      let waker: number | undefined;
      if (e.state === 'runnable' && k > 0 && line[k - 1]!.state === 'waiting' && r() < 0.85) {
        const cands: number[] = [];
        for (let h = 1; h <= G; h++) if (h !== g && runningAt(h, e.t)) cands.push(h);
        if (cands.length > 0) waker = cands[Math.floor(r() * cands.length)];
      }
      events.push({
        t: e.t,
        g,
        state: e.state,
        ...(e.reason
          ? { reason: e.reason, stack: `main.g${g};main.${e.reason.replace(' ', '_')}` }
          : {}),
        ...(waker !== undefined ? { waker } : {}),
      });
    });
  });
  return traceOf({ end: (horizon + 20) * G, events });
}

/** The rules of WHY.md read literally: each wait charged on its own, instant by instant. */
function reference(m: TraceModel, t0: number, t1: number, reason: string | null) {
  const iv = m.intervals;
  const gs = m.goroutines;
  const out: Record<string, number> = {};
  const add = (g: number, state: string, ns: number): void => {
    if (ns <= 0) return;
    const k = `G${gs.id[g]} ${state}`;
    out[k] = (out[k] ?? 0) + ns;
  };
  const stateName = (s: number): string =>
    s === GS_RUNNING
      ? 'running'
      : s === GS_RUNNABLE
        ? 'runnable'
        : s === GS_SYSCALL
          ? 'syscall'
          : 'unknown';
  const runOf = (g: number, i: number) => {
    const end = gs.intervalStart[g + 1]!;
    let z = i;
    while (z + 1 < end && iv.state[z + 1] === GS_WAITING && iv.flags[z + 1]! & IV_STATUS) z++;
    const next = z + 1 < end ? z + 1 : -1;
    return {
      last: z,
      end: next >= 0 ? iv.start[next]! : m.durationNs,
      waker: next >= 0 && iv.state[next] === GS_RUNNABLE ? wakerOf(iv, g, next) : -1,
      open: next < 0,
    };
  };
  const charge = (x: number, s: number, e: number, path: Set<number>): void => {
    const first = gs.intervalStart[x]!;
    const last = gs.intervalStart[x + 1]!;
    let k = first;
    while (k < last && iv.start[k]! <= s) k++;
    k--;
    let p = s;
    if (k < first) {
      const q = Math.min(e, first < last ? iv.start[first]! : e);
      add(x, 'unknown', q - p);
      p = q;
      k = first;
    }
    while (p < e && k < last) {
      if (iv.state[k] === GS_WAITING) {
        const run = runOf(x, k);
        const q = Math.min(e, run.end);
        const label = `waiting (${m.reasons[iv.reason[k]!]})`;
        if (run.waker < 0 || run.waker === x || path.has(k)) add(x, label, q - p);
        else charge(run.waker, p, q, new Set([...path, k]));
        p = q;
        k = run.last + 1;
      } else {
        const q = Math.min(e, k + 1 < last ? iv.start[k + 1]! : m.durationNs);
        add(x, stateName(iv.state[k]!), q - p);
        p = q;
        k++;
      }
    }
  };
  let blocked = 0;
  for (let g = 0; g < gs.length; g++) {
    const first = gs.intervalStart[g]!;
    for (let i = first; i < gs.intervalStart[g + 1]!; i++) {
      if (iv.state[i] !== GS_WAITING) continue;
      if (i > first && iv.flags[i]! & IV_STATUS && iv.state[i - 1] === GS_WAITING) continue;
      const run = runOf(g, i);
      if (run.open) continue;
      if (reason !== null && m.reasons[iv.reason[i]!] !== reason) continue;
      const a = Math.max(t0, iv.start[i]!);
      const b = Math.min(t1, run.end);
      if (!(b > a)) continue;
      blocked += b - a;
      if (run.waker < 0 || run.waker === g) add(g, `waiting (${m.reasons[iv.reason[i]!]})`, b - a);
      else charge(run.waker, a, b, new Set([i]));
    }
  }
  return { blocked, causes: out };
}

describe('why: the engine agrees with the rules read literally', () => {
  it('on 60 random traces, whole and windowed, per reason', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const { m } = randomTrace(seed);
      const r = rng(seed * 7919);
      const a = Math.floor(r() * m.durationNs * 0.5);
      const b = a + Math.floor(r() * m.durationNs * 0.6) + 1;
      for (const [t0, t1, reason] of [
        [0, m.durationNs, null],
        [a, b, null],
        [a, b, 'sync'],
      ] as Array<[number, number, string | null]>) {
        const ch = whole(m, {
          startNs: t0,
          endNs: t1,
          reasons: reason === null ? null : { reasons: [reason] },
        });
        const ref = reference(m, t0, t1, reason);
        expect({ seed, blocked: ch.blockedNs, causes: byCause(ch) }).toEqual({
          seed,
          blocked: ref.blocked,
          causes: ref.causes,
        });
        expect(ch.cycleNs).toBe(0);
        // The stack rows of each cause add up to its ns.
        const perCause = new Float64Array(ch.causes.length);
        ch.causeStacks.cause.forEach(
          (c, k) => (perCause[c] = perCause[c]! + ch.causeStacks.weight[k]!),
        );
        ch.causes.forEach((c, i) => expect(perCause[i]).toBeCloseTo(c.ns, 6));
      }
    }
  });
});

// ---- the spike program: WHY.md's checks on the eight spike traces ---------------------------------

interface Expected {
  trace: string;
  window: { startNs: number; endNs: number; reason: string };
  blockedNs: number;
  causes: Array<{
    goroutine: number;
    startFunction: string;
    state: string;
    ns: number;
    share: number;
  }>;
  topCauseStackIncludes: string;
}

describe('why: the spike traces (testdata/WHY.md)', () => {
  for (const v of ['1.19', '1.21', '1.22', '1.23', '1.24', '1.25', '1.26', '1.27']) {
    describe(`go${v}`, () => {
      const expected = JSON.parse(
        readFileSync(join(CORPUS_DIR, `why/spike-go${v}.expected.json`), 'utf8'),
      ) as Expected;
      const { model: m, error } = decodeGoTrace(
        new Uint8Array(readFileSync(join(CORPUS_DIR, expected.trace))),
      );
      const idx = buildWhyIndexes(m);

      it('the lock spike window: blockedNs, first cause, its stack', () => {
        expect(error).toBeNull();
        const { window: w } = expected;
        const report = whyReport(m, { fromNs: w.startNs, toNs: w.endNs, reason: w.reason }, idx);
        expect(report.spikes).toHaveLength(1);
        const s = report.spikes[0]!;
        expect(Math.abs(s.blockedNs - expected.blockedNs)).toBeLessThanOrEqual(
          0.001 * expected.blockedNs,
        );
        const first = s.causes[0]!;
        const want = expected.causes[0]!;
        expect([first.goroutine, first.state]).toEqual([want.goroutine, want.state]);
        expect(first.startFunction).toBe(want.startFunction);
        expect(Math.abs(first.share - want.share)).toBeLessThanOrEqual(0.05);
        expect(first.stack).toContain(expected.topCauseStackIncludes);
        expect(first.function).toBe('main.refreshCache');
        // The informative causes: this implementation follows the rules, so it lands on them.
        for (const c of expected.causes.slice(1)) {
          const got = s.causes.find((x) => x.goroutine === c.goroutine && x.state === c.state);
          expect(got, `G${c.goroutine} ${c.state}`).toBeDefined();
          expect(Math.abs(got!.ns - c.ns)).toBeLessThanOrEqual(0.001 * expected.blockedNs);
        }
      });

      it('without a window: the top-ranked sync spike is held up by refreshCache', () => {
        const report = whyReport(m, {}, idx);
        const sync = report.spikes.find((s) => s.reason === 'sync')!;
        expect(report.spikes.indexOf(sync)).toBe(0);
        const first = sync.causes[0]!;
        expect(first.goroutine).toBe(expected.causes[0]!.goroutine);
        expect(first.state).toBe('running');
        expect(first.stack).toContain('main.refreshCache');
        expect(first.share).toBeGreaterThan(0.5);
      });

      it('the spike list says who held each spike up', () => {
        const spikes = findSpikes(traceIndexes(m));
        const [top] = spikesWhy(m, spikes.slice(0, 1), idx);
        const gid = expected.causes[0]!.goroutine;
        expect(top!.text).toMatch(
          new RegExp(`^held up by G${gid} main\\.refreshCache: running \\d+%$`),
        );
        // main.main, waiting in WaitGroup.Wait for the whole run, is not part of the spike.
        const mainG = Array.from({ length: m.goroutines.length }, (_, g) => g).find(
          (g) => m.strings[m.goroutines.startFunc[g]!] === 'main.main',
        )!;
        expect(Array.from(spikes[0]!.goroutines)).not.toContain(mainG);
        expect(Array.from(spikes[0]!.background)).toContain(mainG);
      });
    });
  }
});

describe('why: names', () => {
  it('program functions and the function a cause is named by', () => {
    expect(isProgramFunction('main.refreshCache')).toBe(true);
    expect(isProgramFunction('github.com/x/y.(*T).Run')).toBe(true);
    expect(isProgramFunction('net/http.(*conn).serve')).toBe(false);
    expect(isProgramFunction('sync.(*Mutex).Unlock')).toBe(false);
    expect(causeFunction(['sync.(*Mutex).Unlock', 'main.refreshCache'], ['main.compute'])).toBe(
      'main.refreshCache',
    );
    expect(causeFunction([], ['crypto/sha256.block', 'main.compute'])).toBe('main.compute');
    expect(causeFunction([], ['runtime.gopark', 'net.(*netFD).Read'])).toBe('net.(*netFD).Read');
    expect(causeFunction([], [])).toBe('');
  });
});
