import { describe, expect, it } from 'vitest';
import { GS_RUNNABLE, GS_RUNNING, GS_WAITING, IV_STATUS, RANGE_STW, intervalEnd } from './trace';
import { TraceBuilder } from './traceBuilder';
import { formatRfc3339Nano, summarizeTrace } from './traceSummary';

const meta = { version: '1.26', threadCount: 1, partial: false, lostBytes: 0, byteLength: 100 };

describe('TraceBuilder', () => {
  it('rebases times on the first event and groups intervals per goroutine in time order', () => {
    const b = new TraceBuilder();
    b.time(1000);
    const g1 = b.goroutine(10);
    const g2 = b.goroutine(20);
    b.goTransition(1000, g1, GS_RUNNING, 0, -1, -1, 0);
    b.time(1005);
    b.goTransition(1005, g2, GS_RUNNABLE, 0, -1, -1, 0);
    b.time(1010);
    b.goTransition(1010, g1, GS_WAITING, b.reason(b.strings.intern('select')), -1, -1, 0);
    b.time(1020);
    b.goTransition(1020, g2, GS_RUNNING, 0, -1, -1, 0);
    b.time(1030);
    const m = b.finish(meta);
    expect(m.durationNs).toBe(30);
    expect(Array.from(m.goroutines.intervalStart)).toEqual([0, 2, 4]);
    expect(Array.from(m.intervals.start)).toEqual([0, 10, 5, 20]);
    expect(Array.from(m.intervals.state)).toEqual([
      GS_RUNNING,
      GS_WAITING,
      GS_RUNNABLE,
      GS_RUNNING,
    ]);
    expect(m.reasons[m.intervals.reason[1] as number]).toBe('select');
    expect(intervalEnd(m, 0, 0)).toBe(10);
    expect(intervalEnd(m, 0, 1)).toBe(30);
  });

  it('carries the reason over a status event that re-states the same state', () => {
    const b = new TraceBuilder();
    b.time(0);
    const g = b.goroutine(1);
    b.goTransition(0, g, GS_WAITING, b.reason(b.strings.intern('chan send')), -1, -1, 0);
    b.time(50);
    b.goTransition(50, g, GS_WAITING, 0, -1, -1, IV_STATUS);
    b.time(60);
    const m = b.finish(meta);
    expect(Array.from(m.intervals.reason).map((r) => m.reasons[r])).toEqual([
      'chan send',
      'chan send',
    ]);
    // Go reports the status event itself with no reason.
    expect(summarizeTrace(m).waitReasons).toEqual({ 'chan send': 1, '': 1 });
  });

  it('closes proc intervals and open ranges at the end', () => {
    const b = new TraceBuilder();
    b.time(100);
    b.procTransition(100, 3, true, 7);
    b.procTransition(100, 3, true, 7); // a status event while running changes nothing
    b.time(150);
    b.procTransition(150, 3, false, 7);
    b.time(160);
    b.procTransition(160, 3, true, 8);
    const stw = b.rangeBegin(
      RANGE_STW,
      160,
      -1,
      -1,
      b.strings.intern('GC mark termination'),
      -1,
      false,
    );
    b.time(170);
    b.rangeEnd(stw, 170);
    b.rangeBegin(RANGE_STW, 170, -1, -1, -1, -1, false);
    b.time(200);
    const m = b.finish(meta);
    expect(Array.from(m.procIntervals.start)).toEqual([0, 60]);
    expect(Array.from(m.procIntervals.end)).toEqual([50, 100]);
    expect(Array.from(m.procIntervals.thread)).toEqual([7, 8]);
    const s = summarizeTrace(m);
    expect(s.stwCount).toBe(2);
    expect(s.stwNs).toBe(10); // the open one has no end
  });

  it('keeps the wall clock of the first event as a bigint', () => {
    const b = new TraceBuilder();
    b.time(1_000);
    b.clockSnapshot(1_250, 1_795_825_465_790_113_688n, 42n);
    b.time(2_000);
    const m = b.finish(meta);
    expect(m.wallClockStartNs).toBe(1_795_825_465_790_113_438n);
    expect(m.clockSnapshots[0]?.traceNs).toBe(250);
  });

  it('samples goroutine counts by state', () => {
    const b = new TraceBuilder();
    b.time(0);
    const g = b.goroutine(1);
    b.goTransition(0, g, GS_RUNNABLE, 0, -1, -1, 0);
    b.goTransition(1, g, GS_RUNNING, 0, -1, -1, 0); // same 10 us bucket: replaces the sample
    b.goTransition(50_000, g, GS_WAITING, 0, -1, -1, 0);
    b.time(60_000);
    const c = b.finish(meta).goroutineCounts;
    expect(Array.from(c.time)).toEqual([0, 50_000]);
    expect(Array.from(c.running)).toEqual([1, 0]);
    expect(Array.from(c.waiting)).toEqual([0, 1]);
  });
});

describe('formatRfc3339Nano', () => {
  it('prints like Go: no trailing zeros, none when whole', () => {
    expect(formatRfc3339Nano(1_795_825_010_769_009_260n)).toBe('2026-11-28T00:16:50.76900926Z');
    expect(formatRfc3339Nano(1_795_825_010_000_000_000n)).toBe('2026-11-28T00:16:50Z');
    expect(formatRfc3339Nano(1_795_825_010_000_000_001n)).toBe('2026-11-28T00:16:50.000000001Z');
  });
});
