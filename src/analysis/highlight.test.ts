import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeGoTrace } from '../formats/gotrace/decode';
import { GS_WAITING, type TraceModel } from '../model/trace';
import { CORPUS_DIR } from '../testing/summaryCompare';
import {
  frameFunction,
  functionIndex,
  highlightFunction,
  intervalFunctions,
  stacksContaining,
} from './highlight';
import { findSpikes } from './spikes';
import { traceIndexes, type TraceIndexes } from './traceIndex';
import { traceOf } from './testTrace';

/** The range indexes of a model, one per model for this file's tests. */
const held = new Map<TraceModel, TraceIndexes>();
function ixOf(m: TraceModel): TraceIndexes {
  let ix = held.get(m);
  if (!ix) {
    ix = traceIndexes(m);
    held.set(m, ix);
  }
  return ix;
}

const LOCK = 'main.main;main.lookup;sync.(*Mutex).Lock';

describe('frame -> timeline (synthetic)', () => {
  const t = traceOf({
    end: 1000,
    events: [
      { t: 0, g: 1, state: 'running' },
      { t: 100, g: 1, state: 'waiting', reason: 'sync', stack: LOCK },
      { t: 300, g: 1, state: 'runnable', waker: 2, stack: 'main.refresh;sync.(*Mutex).Unlock' },
      { t: 310, g: 1, state: 'running' },
      { t: 0, g: 2, state: 'running' },
      { t: 500, g: 2, state: 'syscall', stack: 'main.main;main.lookup;syscall.read' },
      { t: 600, g: 2, state: 'running' },
      { t: 0, g: 3, state: 'waiting', reason: 'select', stack: 'main.other;runtime.selectgo' },
    ],
    samples: [
      { t: 50, g: 1, stack: 'main.main;main.lookup;main.compute' },
      { t: 950, g: 2, stack: 'main.main;main.idle' },
    ],
  });
  const { m } = t;

  it('marks the stacks containing a function, by walking the prefix tree', () => {
    const contains = stacksContaining(m, functionIndex(m, 'main.lookup'));
    expect(contains[t.stack(LOCK)]).toBe(1);
    expect(contains[t.stack('main.main;main.lookup;syscall.read')]).toBe(1);
    expect(contains[t.stack('main.main;main.idle')]).toBe(0);
    expect(contains[t.stack('main.refresh;sync.(*Mutex).Unlock')]).toBe(0);
    // The prefix "main.main" alone does not contain it.
    expect(contains[m.stacks.parent[t.stack(LOCK)]!]).toBe(1);
    expect(contains[m.stacks.parent[m.stacks.parent[t.stack(LOCK)]!]!]).toBe(0);
  });

  it('finds the intervals and samples of a function, the goroutines and where they cluster', () => {
    const h = highlightFunction(ixOf(m), 'main.lookup', { buckets: 10 });
    expect(h.name).toBe('main.lookup');
    // g1's wait at 100..300, its runnable 300..310 (its own stack is still the wait's), g2's syscall.
    const iv = Array.from(h.intervals);
    const g1 = m.goroutines.intervalStart[t.g(1)]!;
    const g2 = m.goroutines.intervalStart[t.g(2)]!;
    expect(iv).toEqual([g1 + 1, g1 + 2, g2 + 1].sort((a, b) => a - b));
    expect(Array.from(h.samples)).toEqual([0]);
    expect(Array.from(h.goroutines)).toEqual([t.g(1), t.g(2)].sort((a, b) => a - b));
    expect(h.intervalNs).toBe(200 + 10 + 100);
    expect(Array.from(h.histogram.intervalNs)).toEqual([0, 100, 100, 10, 0, 100, 0, 0, 0, 0]);
    expect(Array.from(h.histogram.samples)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("with 'event' stacks, the woken goroutine's runnable time goes to its waker's stack", () => {
    const lookup = highlightFunction(ixOf(m), 'main.lookup', { buckets: 10, stack: 'event' });
    expect(lookup.intervalNs).toBe(200 + 100);
    const refresh = highlightFunction(ixOf(m), 'main.refresh', { buckets: 10, stack: 'event' });
    expect(Array.from(refresh.goroutines)).toEqual([t.g(1)]);
    expect(refresh.intervalNs).toBe(10);
    expect(highlightFunction(ixOf(m), 'main.refresh', { buckets: 10 }).intervalNs).toBe(0);
  });

  it('accepts a string index and reports unknown functions as empty', () => {
    const f = frameFunction(m, m.stacks.frame[t.stack(LOCK)]!);
    expect(m.strings[f]).toBe('sync.(*Mutex).Lock');
    expect(highlightFunction(ixOf(m), f).intervals.length).toBe(2);
    const none = highlightFunction(ixOf(m), 'no.such.func');
    expect(none.func).toBe(-1);
    expect(none.intervals.length + none.samples.length + none.goroutines.length).toBe(0);
  });

  it("lists an interval's functions, outermost first", () => {
    const g1 = m.goroutines.intervalStart[t.g(1)]!;
    expect(intervalFunctions(m, g1 + 1).names).toEqual([
      'main.main',
      'main.lookup',
      'sync.(*Mutex).Lock',
    ]);
    // The runnable interval after the unblock: the goroutine's own stack, or the waker's.
    expect(intervalFunctions(m, g1 + 2).names).toEqual([
      'main.main',
      'main.lookup',
      'sync.(*Mutex).Lock',
    ]);
    expect(intervalFunctions(m, g1 + 2, { stack: 'event' }).names).toEqual([
      'main.refresh',
      'sync.(*Mutex).Unlock',
    ]);
    const running = intervalFunctions(m, g1);
    expect(running.stack).toBe(-1);
    expect(running.names).toEqual([]);
  });
});

describe('frame -> timeline on the go1.26 spike trace', () => {
  const m = decodeGoTrace(
    new Uint8Array(readFileSync(join(CORPUS_DIR, 'go-trace/spike/go1.26.trace'))),
  ).model;

  it('main.lookup clusters in the mutex spike, on the handlers that piled up there', () => {
    const spike = findSpikes(ixOf(m))[0]!;
    const h = highlightFunction(ixOf(m), 'main.lookup');
    let peak = 0;
    for (let b = 1; b < h.histogram.intervalNs.length; b++) {
      if (h.histogram.intervalNs[b]! > h.histogram.intervalNs[peak]!) peak = b;
    }
    const peakNs = (peak + 0.5) * h.histogram.bucketNs;
    expect(peakNs).toBeGreaterThan(spike.startNs);
    expect(peakNs).toBeLessThan(spike.endNs);
    // Every handler that waited in the spike (all but main's WaitGroup wait) is highlighted.
    const highlighted = new Set(h.goroutines);
    const handlers = Array.from(spike.goroutines).filter(
      (g) => m.strings[m.goroutines.startFunc[g]!] === 'net/http.(*conn).serve',
    );
    expect(handlers.length).toBeGreaterThanOrEqual(16);
    for (const g of handlers) expect(highlighted.has(g)).toBe(true);
    // The waits found are mostly on the mutex.
    let sync = 0;
    for (const i of h.intervals) {
      if (m.intervals.state[i] === GS_WAITING && m.reasons[m.intervals.reason[i]!] === 'sync')
        sync++;
    }
    expect(sync).toBeGreaterThan(100);
    // CPU samples in lookup (its compute under the lock) are found too.
    expect(h.samples.length).toBeGreaterThan(0);
  });
});
