// Small hand-made v1 traces with known answers: the meaning Go's converter gives old events
// (Go src/internal/trace/tracev1.go, go1.26), the ordering rules of its parser, and errors.

import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../base/errors';
import {
  GOROUTINE_STATE_NAMES,
  RANGE_GC,
  RANGE_STW,
  RANGE_SWEEP,
  intervalEnd,
  type TraceModel,
} from '../../../model/trace';
import { summarizeTrace } from '../../../model/traceSummary';
import { decodeGoTrace } from '../decode';
import { decodeGoTraceV1 } from './decode';
import * as S from './spec';
import { V1Writer } from './testWriter';

/** Strings and stacks every trace below uses, and the footer the runtime writes. */
function footer(w: V1Writer): V1Writer {
  return w
    .string(1, 'main.main')
    .string(2, 'main.go')
    .string(3, 'main.worker')
    .string(4, 'handle')
    .string(5, 'phase')
    .stack(1, [[0x1010, 1, 2, 10]])
    .stack(2, [
      [0x2020, 3, 2, 20],
      [0x1010, 1, 2, 10],
    ])
    .frequency(1e9); // 1 tick = 1 ns
}

/** Per goroutine ID: [state, start ns (since the first Sync), reason] of each interval. */
function lanes(m: TraceModel): Record<string, Array<[string, number, string]>> {
  const out: Record<string, Array<[string, number, string]>> = {};
  for (let g = 0; g < m.goroutines.length; g++) {
    const lo = m.goroutines.intervalStart[g] as number;
    const hi = m.goroutines.intervalStart[g + 1] as number;
    if (hi === lo) continue;
    const rows: Array<[string, number, string]> = [];
    for (let i = lo; i < hi; i++) {
      rows.push([
        GOROUTINE_STATE_NAMES[m.intervals.state[i] as number] as string,
        m.intervals.start[i] as number,
        m.reasons[m.intervals.reason[i] as number] ?? '',
      ]);
      expect(intervalEnd(m, g, i)).toBeGreaterThanOrEqual(m.intervals.start[i] as number);
    }
    out[String(m.goroutines.id[g])] = rows;
  }
  return out;
}

/**
 * One P: goroutines 1 and 2 exist when tracing starts (2 waiting), then 1 blocks on a channel,
 * 2 is unblocked, makes a syscall that returns at once and one that blocks, exits it (its
 * GoSysExit written 72 ticks after the real return), and ends.
 */
function lifecycle(): V1Writer {
  const w = new V1Writer(21).batch(0, 1000);
  w.ev(S.EvGoCreate, 0, 1, 1, 0) // start-up: goroutine 1 exists (runnable)
    .ev(S.EvGoCreate, 0, 2, 2, 0) // and goroutine 2 ...
    .ev(S.EvGoWaiting, 0, 2) // ... which is blocked
    .ev(S.EvProcStart, 1, 7) // P 0 runs on thread 7
    .ev(S.EvGomaxprocs, 1, 1, 0) // end of start-up (ticks 1002)
    .ev(S.EvGoStart, 10, 1, 1) // 1012
    .ev(S.EvGoBlockRecv, 100, 1) // 1112: goroutine 1 waits on a channel
    .ev(S.EvGoUnblock, 10, 2, 2, 0) // 1122, by no goroutine (G 0)
    .ev(S.EvGoStartLocal, 10, 2) // 1132
    .ev(S.EvGoSysCall, 10, 2) // 1142: a syscall that does not block
    .ev(S.EvGoSysCall, 10, 2) // 1152: one that does
    .ev(S.EvGoSysBlock, 20) // 1172
    .ev(S.EvGoSysExit, 100, 2, 4, 1200) // written at 1272, returned at 1200
    .ev(S.EvGoStartLocal, 10, 2) // 1282
    .ev(S.EvGoEnd, 10) // 1292
    .ev(S.EvProcStop, 10); // 1302
  return footer(w);
}

describe('the meaning of old events (tracev1.go)', () => {
  it('start-up statuses, wait reasons, syscalls that block or not, exits at their real time', () => {
    const { model: m, error } = decodeGoTraceV1(lifecycle().bytes(), 21);
    expect(error).toBeNull();
    expect(m.version).toBe('1.21');
    // A Sync 1 ns before the first event (time 0), one after the last (ProcStop at 302).
    expect(m.durationNs).toBe(304);
    expect(lanes(m)).toEqual({
      1: [
        ['runnable', 3, ''], // announced at the first EvGomaxprocs
        ['running', 13, ''],
        ['waiting', 113, 'chan receive'],
      ],
      2: [
        ['waiting', 1, ''], // EvGoWaiting: a status, no reason
        ['runnable', 123, ''],
        ['running', 133, ''],
        ['syscall', 143, ''], // a syscall that does not block lasts 1 ns
        ['running', 144, ''],
        ['syscall', 153, ''], // one that blocks lasts until the real return ...
        ['runnable', 201, ''], // ... at 1200, not when GoSysExit was written (1272)
        ['running', 283, ''],
        ['notexist', 293, ''],
      ],
    });
    // The waker of an unblock by no goroutine is none; the block's stack is kept.
    const s = summarizeTrace(m);
    expect(s.waitReasons).toEqual({ '': 1, 'chan receive': 1 });
    expect(s.procCount).toBe(1);
    expect(m.procIntervals.length).toBe(1);
    expect(m.procIntervals.thread[0]).toBe(7);
    // The first EvGomaxprocs ends the start-up and is not a metric.
    expect(m.metrics.find((x) => x.name === '/sched/gomaxprocs:threads')).toBeUndefined();
    expect(m.eventCounts.Sync).toBe(2);
  });

  it('decodes through the dispatch of decodeGoTrace', () => {
    const { model, error } = decodeGoTrace(lifecycle().bytes());
    expect(error).toBeNull();
    expect(model.version).toBe('1.21');
  });

  it('labels, tasks, regions, logs, CPU samples, GC, STW and sweep ranges', () => {
    // Events 10 ticks apart, so that no time fix-up moves them.
    const w = new V1Writer(21).batch(0, 0);
    w.ev(S.EvProcStart, 0, 3)
      .ev(S.EvGomaxprocs, 10, 4, 0)
      .ev(S.EvGoCreate, 10, 5, 2, 1) // goroutine 5, created by no goroutine
      .ev(S.EvGoStartLabel, 10, 5, 1, 5) // with label "phase"
      .ev(S.EvUserTaskCreate, 10, 9, 0, 4, 2) // task 9 "handle"
      .ev(S.EvUserRegion, 10, 9, 0, 4, 2) // region "handle" begins
      .log(10, 9, 5, 2, 'lock') // log phase=lock
      .ev(S.EvGCStart, 10, 0, 2)
      .ev(S.EvSTWStart, 10, 2) // 1.21 kind 2: "GC sweep termination"
      .ev(S.EvSTWDone, 10)
      .ev(S.EvGCSweepStart, 10, 2)
      .ev(S.EvGCSweepDone, 10, 0, 0)
      .ev(S.EvHeapAlloc, 10, 4096)
      .ev(S.EvGomaxprocs, 10, 8, 0)
      .ev(S.EvGCDone, 10)
      .ev(S.EvUserRegion, 10, 9, 1, 4, 2) // region ends
      .ev(S.EvUserTaskEnd, 10, 9, 2)
      .ev(S.EvGoSched, 10, 2) // "runtime.Gosched"
      .cpuSample(175, 0, 5, 2)
      .cpuSample(3, -1, 0, 1);
    const { model: m, error } = decodeGoTraceV1(footer(w).bytes(), 21);
    expect(error).toBeNull();
    const s = summarizeTrace(m);
    expect(s).toMatchObject({ tasks: 1, regions: 1, logs: 1, cpuSamples: 2, gcCycles: 1 });
    expect(s.stwCount).toBe(1);
    expect(s.stwNs).toBe(10);
    expect(s.cpuSamplesTopLeaf).toEqual([
      { name: 'main.main', value: 1 },
      { name: 'main.worker', value: 1 },
    ]);
    expect(m.strings[m.labels.label[0] as number]).toBe('phase');
    expect(m.strings[m.tasks.name[0] as number]).toBe('handle');
    expect(m.tasks.parent[0]).toBe(-1);
    expect(m.strings[m.regions.name[0] as number]).toBe('handle');
    expect(m.regions.end[0]).toBeGreaterThan(m.regions.start[0] as number);
    expect(m.strings[m.logs.category[0] as number]).toBe('phase');
    expect(m.strings[m.logs.message[0] as number]).toBe('lock');
    const kinds = Array.from(m.ranges.kind);
    expect([...kinds].sort()).toEqual([RANGE_GC, RANGE_STW, RANGE_SWEEP].sort());
    const stw = kinds.indexOf(RANGE_STW);
    expect(m.strings[m.ranges.name[stw] as number]).toBe('GC sweep termination');
    expect(m.ranges.end[stw]! - m.ranges.start[stw]!).toBe(10);
    const byName = Object.fromEntries(m.metrics.map((x) => [x.name, Array.from(x.value)]));
    expect(byName).toEqual({
      '/memory/classes/heap/objects:bytes': [4096],
      '/sched/gomaxprocs:threads': [8],
    });
    // The CPU sample taken first in time (ticks 3) is first, whatever its place in the file.
    expect(m.cpuSamples.goroutine[0]).toBe(-1);
    expect(lanes(m)['5']?.map((r) => r[0])).toEqual(['runnable', 'running', 'runnable']);
    expect(lanes(m)['5']?.[2]?.[2]).toBe('runtime.Gosched');
    expect(m.goroutines.createStack[m.cpuSamples.goroutine[1] as number]).toBeGreaterThanOrEqual(0);
  });

  it('names stop-the-world kinds as the writing version did', () => {
    const stwName = (minor: number, kind: number): string => {
      const w = new V1Writer(minor).batch(0, 0);
      w.ev(S.EvProcStart, 0, 1).ev(S.EvSTWStart, 1, kind).ev(S.EvSTWDone, 1);
      const { model: m } = decodeGoTraceV1(footer(w).bytes(), minor);
      return m.strings[m.ranges.name[0] as number] as string;
    };
    // Before 1.21: 0 mark termination, 1 sweep termination (tracev1 Trace.STWReason).
    expect(stwName(19, 0)).toBe('GC mark termination');
    expect(stwName(19, 1)).toBe('GC sweep termination');
    expect(stwName(21, 0)).toBe('');
    expect(stwName(21, 10)).toBe('start trace');
    expect(stwName(21, 99)).toBe('');
  });

  it('orders Ps by the goroutine state machine, not by time alone', () => {
    // P 1 starts goroutine 3 (seq 1) with a clock slightly behind P 0, which creates it.
    const w = new V1Writer(19);
    w.batch(0, 100)
      .ev(S.EvProcStart, 0, 1)
      .ev(S.EvGomaxprocs, 0, 2, 0)
      .ev(S.EvGoCreate, 10, 3, 1, 1);
    w.batch(1, 100).ev(S.EvProcStart, 0, 2).ev(S.EvGoStart, 10, 3, 1);
    const { model: m, error } = decodeGoTraceV1(footer(w).bytes(), 19);
    expect(error).toBeNull();
    // Both at tick 110: the start waits for the creation and gets Go's 1 ns fix-up.
    expect(lanes(m)['3']).toEqual([
      ['runnable', 11, ''],
      ['running', 12, ''],
    ]);
  });
});

describe('errors', () => {
  it('a header alone: no frequency, nothing to show', () => {
    expect(() => decodeGoTraceV1(new V1Writer(21).bytes(), 21)).toThrow(/no EvFrequency/);
  });

  it('versions the v1 parser does not read are refused', () => {
    expect(() => decodeGoTraceV1(new V1Writer(9).bytes(), 9)).toThrow(DecodeError);
    expect(() => decodeGoTrace(new V1Writer(9).bytes())).toThrow(
      /unsupported trace version go 1\.9/,
    );
  });

  it("an inconsistent event keeps what came before it, and says where (Go's postProcessTrace)", () => {
    const w = new V1Writer(21).batch(0, 0);
    w.ev(S.EvProcStart, 0, 1)
      .ev(S.EvGomaxprocs, 0, 2, 0)
      .ev(S.EvGoCreate, 1, 4, 1, 1)
      .ev(S.EvGoStart, 1, 4, 1)
      .ev(S.EvProcStop, 1); // while goroutine 4 runs
    const bytes = footer(w).bytes();
    const { model: m, error } = decodeGoTraceV1(bytes, 21);
    expect(error?.message).toMatch(/p 0 is running a goroutine 4 during stop/);
    expect(error?.message).toMatch(/at byte \d+/);
    expect(error?.kind).toBe('corrupt');
    expect(m.partial).toBe(true);
    expect(lanes(m)['4']?.map((r) => r[0])).toEqual(['runnable', 'running']);
  });

  it('a cut inside the stack table: the events stay, the error says it is truncated', () => {
    // The runtime writes the frequency, then the stack table, at the end (Go 1.21 ReadTrace).
    const w = new V1Writer(21).batch(0, 1000);
    w.ev(S.EvProcStart, 0, 7).ev(S.EvGomaxprocs, 1, 1, 0);
    w.ev(S.EvGoCreate, 1, 1, 1, 1).ev(S.EvGoStart, 1, 1, 1).ev(S.EvGoBlockRecv, 10, 1);
    w.string(1, 'main.main')
      .string(2, 'main.go')
      .frequency(1e9)
      .stack(1, [[0x1010, 1, 2, 10]]);
    const whole = w.bytes();
    const cut = whole.subarray(0, whole.length - 3);
    const { model: m, error } = decodeGoTraceV1(cut, 21);
    expect(error?.message).toMatch(/is truncated/);
    expect(m.partial).toBe(true);
    expect(lanes(m)['1']?.map((r) => r[0])).toEqual(['runnable', 'running', 'waiting']);
  });
});
