// Decoding rules on synthetic traces written byte by byte (testWriter.ts): one rule per case.

import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../base/errors';
import {
  GS_NOT_EXIST,
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_WAITING,
  intervalEnd,
  type TraceModel,
  wakerOf,
} from '../../model/trace';
import { summarizeTrace } from '../../model/traceSummary';
import { decodeGoTrace } from './decode';
import * as S from './spec';
import { TraceWriter } from './testWriter';

const NONE = -1n; // uint64(-1): no thread / no goroutine

function goroutine(m: TraceModel, id: number): number {
  const g = Array.from(m.goroutines.id).indexOf(id);
  expect(g).toBeGreaterThanOrEqual(0);
  return g;
}

/** [start, end, state, reason] of each interval of goroutine `id`. */
function lane(m: TraceModel, id: number): Array<[number, number, number, string]> {
  const g = goroutine(m, id);
  const out: Array<[number, number, number, string]> = [];
  for (
    let i = m.goroutines.intervalStart[g] as number;
    i < (m.goroutines.intervalStart[g + 1] as number);
    i++
  ) {
    out.push([
      m.intervals.start[i] as number,
      intervalEnd(m, g, i),
      m.intervals.state[i] as number,
      m.reasons[m.intervals.reason[i] as number] as string,
    ]);
  }
  return out;
}

function funcOfStack(m: TraceModel, s: number): string {
  return m.strings[m.frames.func[m.stacks.frame[s] as number] as number] as string;
}

/** Strings and stacks shared by the cases. */
function tables(w: TraceWriter, gen: number): TraceWriter {
  return w
    .strings(gen, [
      [1, 'chan receive'],
      [2, 'main.main'],
      [3, 'main.go'],
      [4, 'main.worker'],
      [5, 'runtime.goexit'],
    ])
    .stacks(gen, [
      [1, [[0x1000, 2, 3, 10]]],
      [
        2,
        [
          [0x2000, 4, 3, 20],
          [0x3000, 5, 3, 1],
        ],
      ],
    ]);
}

describe('synthetic go 1.22 trace', () => {
  const w = tables(new TraceWriter(22).sync(1, 100, 1e9), 1).events(1, 1, 100, [
    [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
    [S.EvGoStatus, 1, 1, 1, S.GoRunningStatus],
    [S.EvGoStatus, 0, 9, NONE, S.GoWaitingStatus], // m = uint64(-1), a 10-byte varint
    [S.EvGoCreate, 10, 2, 2, 1],
    [S.EvGoBlock, 10, 1, 1],
    [S.EvGoStart, 5, 2, 1],
    [S.EvGoUnblock, 20, 1, 1, 2],
    [S.EvGoDestroy, 5],
    [S.EvGoStart, 5, 1, 2],
  ]);
  const { model: m, error } = decodeGoTrace(w.bytes());

  it('decodes without error', () => expect(error).toBeNull());

  it('computes Go times: batch base + deltas, and +1 ns where an event would not advance', () => {
    // Sync at 100; ProcStatus 100 -> 101; GoStatus 101 -> 102 and 103; then deltas; final Sync + 1.
    expect(lane(m, 1)).toEqual([
      [2, 21, GS_RUNNING, ''],
      [21, 46, GS_WAITING, 'chan receive'],
      [46, 56, GS_RUNNABLE, ''],
      [56, 57, GS_RUNNING, ''],
    ]);
    expect(lane(m, 2)).toEqual([
      [11, 26, GS_RUNNABLE, ''],
      [26, 51, GS_RUNNING, ''],
      [51, 57, GS_NOT_EXIST, ''],
    ]);
    expect(m.durationNs).toBe(57);
  });

  it('records creation, start function and the unblocking goroutine', () => {
    const g2 = goroutine(m, 2);
    const g1 = goroutine(m, 1);
    expect(m.goroutines.parent[g2]).toBe(g1);
    expect(funcOfStack(m, m.goroutines.createStack[g2] as number)).toBe('main.main');
    expect(m.strings[m.goroutines.startFunc[g2] as number]).toBe('runtime.goexit');
    expect(m.goroutines.createdNs[g2]).toBe(11);
    expect(Number.isNaN(m.goroutines.createdNs[g1])).toBe(true);
    const unblock = (m.goroutines.intervalStart[g1] as number) + 2;
    expect(wakerOf(m.intervals, g1, unblock)).toBe(g2);
    expect(funcOfStack(m, m.intervals.stack[unblock] as number)).toBe('main.worker');
    // The stack of the block: where goroutine 1 waited.
    expect(funcOfStack(m, m.intervals.stack[unblock - 1] as number)).toBe('main.main');
  });

  it('keeps the proc running interval and the thread', () => {
    expect(m.procs.length).toBe(1);
    expect(Array.from(m.procIntervals.start)).toEqual([1]);
    expect(Array.from(m.procIntervals.end)).toEqual([57]);
    expect(Array.from(m.procIntervals.thread)).toEqual([1]);
  });

  it('summarizes like Go: transitions, wait reasons, counts', () => {
    const s = summarizeTrace(m);
    expect(s.goroutines).toEqual({
      '1': { running: 20, runnable: 10, waiting: 25, syscall: 0, transitions: 4 },
      '2': { running: 25, runnable: 15, waiting: 0, syscall: 0, transitions: 3 },
      '9': { running: 0, runnable: 0, waiting: 54, syscall: 0, transitions: 1 },
    });
    expect(s.waitReasons).toEqual({ 'chan receive': 1, '': 1 });
    expect(s.eventsByKind).toEqual({ Sync: 2, StateTransition: 9 });
    expect(s.threadCount).toBe(1);
    expect(s.wallClockStart).toBeUndefined();
  });
});

describe('generations', () => {
  it('go 1.26: ends generations at EndOfGeneration, restates status, keeps the wall clock', () => {
    const w = new TraceWriter(26);
    tables(w.sync(1, 1000, 1e9, { dt: 5, mono: 77, sec: 1_700_000_000, nsec: 123 }), 1)
      .events(1, 1, 1000, [
        [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
        [S.EvGoStatus, 0, 1, 1, S.GoRunningStatus],
        [S.EvGoBlock, 10, 1, 1],
      ])
      .endOfGeneration();
    tables(w.sync(2, 2000, 1e9, { dt: 0, mono: 1077, sec: 1_700_000_001, nsec: 123 }), 2)
      .events(2, 1, 2000, [
        [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
        [S.EvGoStatus, 0, 1, NONE, S.GoWaitingStatus],
        [S.EvGoUnblock, 10, 1, 1, 0],
        [S.EvGoStart, 1, 1, 2],
      ])
      .endOfGeneration();
    const { model: m, error } = decodeGoTrace(w.bytes());
    expect(error).toBeNull();
    expect(m.generations.length).toBe(2);
    expect(Array.from(m.generations.startNs)).toEqual([0, 1000]);
    // The status event in generation 2 splits the waiting interval but keeps its reason.
    expect(lane(m, 1).map((iv) => [iv[2], iv[3]])).toEqual([
      [GS_RUNNING, ''],
      [GS_WAITING, 'chan receive'],
      [GS_WAITING, 'chan receive'],
      [GS_RUNNABLE, ''],
      [GS_RUNNING, ''],
    ]);
    // Wall clock of the first event: the snapshot (5 ticks after it) minus 5 ns.
    expect(m.wallClockStartNs).toBe(1_700_000_000_000_000_118n);
    expect(m.clockSnapshots).toHaveLength(2);
    const s = summarizeTrace(m);
    expect(s.wallClockStart).toBe('2023-11-14T22:13:20.000000118Z');
    expect(s.waitReasons).toEqual({ 'chan receive': 1, '': 1 });
  });

  it('reports progress per generation', () => {
    const w = new TraceWriter(22);
    for (let gen = 1; gen <= 3; gen++) {
      tables(w.sync(gen, gen * 100, 1e9), gen).events(gen, 1, gen * 100, [
        [S.EvProcStatus, 0, 0, S.ProcIdleStatus],
      ]);
    }
    const seen: number[] = [];
    decodeGoTrace(w.bytes(), { onProgress: (_stage, f) => seen.push(f) });
    expect(seen.length).toBe(5); // start, three generations, done
    expect(seen[0]).toBe(0);
    expect(seen[4]).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('go 1.26: a generation without its end marker is reported as truncated', () => {
    const w = new TraceWriter(26);
    tables(w.sync(1, 1000, 1e9, { dt: 0, mono: 0, sec: 1, nsec: 0 }), 1)
      .events(1, 1, 1000, [
        [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
        [S.EvGoStatus, 0, 1, 1, S.GoRunningStatus],
      ])
      .endOfGeneration();
    tables(w.sync(2, 2000, 1e9, { dt: 0, mono: 0, sec: 2, nsec: 0 }), 2).events(2, 1, 2000, [
      [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
    ]);
    const { model: m, error } = decodeGoTrace(w.bytes());
    expect(error).toBeInstanceOf(DecodeError);
    expect(error?.message).toMatch(/incomplete generation/);
    expect(error?.message).toMatch(/kept 1 complete generation/);
    expect(m.partial).toBe(true);
    expect(m.lostBytes).toBeGreaterThan(0);
    expect(m.generations.length).toBe(1);
  });

  it('go 1.22: a batch of the next generation number starts the next generation', () => {
    const w = new TraceWriter(22);
    tables(w.sync(1, 100, 1e9), 1).events(1, 1, 100, [[S.EvProcStatus, 0, 0, S.ProcIdleStatus]]);
    tables(w.sync(2, 200, 1e9), 2).events(2, 1, 200, [[S.EvProcStatus, 0, 0, S.ProcIdleStatus]]);
    const { model: m, error } = decodeGoTrace(w.bytes());
    expect(error).toBeNull();
    expect(m.generations.length).toBe(2);
    expect(m.eventCounts).toEqual({ Sync: 3, StateTransition: 2 });
  });

  it('go 1.22: generations out of order are an error naming the problem', () => {
    const w = new TraceWriter(22);
    tables(w.sync(1, 100, 1e9), 1).events(1, 1, 100, [[S.EvProcStatus, 0, 0, S.ProcIdleStatus]]);
    w.events(5, 1, 200, [[S.EvProcStatus, 0, 0, S.ProcIdleStatus]]);
    expect(() => decodeGoTrace(w.bytes())).toThrow(/generations out of order/);
  });
});

describe('partial order across threads', () => {
  it('waits for the unblock on another M before starting the goroutine (sequence numbers)', () => {
    // M 2's GoStart has the earlier timestamp, but can only follow M 1's GoUnblock.
    const w = tables(new TraceWriter(22).sync(1, 0, 1e9), 1)
      .events(1, 2, 100, [
        [S.EvProcStatus, 0, 1, S.ProcRunningStatus],
        [S.EvGoStart, 5, 7, 2], // sequence 2: after the unblock's 1
      ])
      .events(1, 1, 120, [
        [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
        [S.EvGoStatus, 0, 1, 1, S.GoRunningStatus],
        [S.EvGoStatus, 0, 7, NONE, S.GoWaitingStatus],
        [S.EvGoUnblock, 10, 7, 1, 0],
      ]);
    const { model: m, error } = decodeGoTrace(w.bytes());
    expect(error).toBeNull();
    const states = lane(m, 7).map((iv) => iv[2]);
    expect(states).toEqual([GS_WAITING, GS_RUNNABLE, GS_RUNNING]);
    const starts = lane(m, 7).map((iv) => iv[0]);
    expect(starts[2]).toBeGreaterThan(starts[1] as number);
    expect(
      m.goroutines.id[
        wakerOf(
          m.intervals,
          goroutine(m, 7),
          (m.goroutines.intervalStart[goroutine(m, 7)] as number) + 1,
        )
      ],
    ).toBe(1);
  });

  it('hands a P stolen in a syscall to the thief (ProcSteal)', () => {
    const w = tables(new TraceWriter(22).sync(1, 0, 1e9), 1)
      .events(1, 1, 100, [
        [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
        [S.EvGoStatus, 0, 1, 1, S.GoRunningStatus],
        [S.EvGoSyscallBegin, 10, 1, 1],
        [S.EvGoSyscallEndBlocked, 100],
      ])
      .events(1, 2, 150, [
        [S.EvProcSteal, 0, 0, 2, 1],
        [S.EvProcStart, 5, 0, 3],
      ]);
    const { model: m, error } = decodeGoTrace(w.bytes());
    expect(error).toBeNull();
    expect(lane(m, 1).map((iv) => iv[2])).toEqual([GS_RUNNING, GS_SYSCALL, GS_RUNNABLE]);
    expect(Array.from(m.procIntervals.thread)).toEqual([1, 2]);
    expect(Array.from(m.procIntervals.end.slice(0, 1))).toEqual([50]);
  });

  it('go 1.23: a coroutine switch blocks the current goroutine and runs the next', () => {
    const w = tables(new TraceWriter(23).sync(1, 0, 1e9), 1).events(1, 1, 100, [
      [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
      [S.EvGoStatus, 0, 1, 1, S.GoRunningStatus],
      [S.EvGoCreateBlocked, 10, 2, 2, 1],
      [S.EvGoSwitch, 10, 2, 1],
    ]);
    const { model: m, error } = decodeGoTrace(w.bytes());
    expect(error).toBeNull();
    expect(lane(m, 1).map((iv) => iv[2])).toEqual([GS_RUNNING, GS_WAITING]);
    expect(lane(m, 2).map((iv) => iv[2])).toEqual([GS_WAITING, GS_RUNNABLE, GS_RUNNING]);
    expect(summarizeTrace(m).waitReasons).toEqual({ '': 2 });
  });

  it('reports a goroutine event that no thread can advance', () => {
    const w = tables(new TraceWriter(22).sync(1, 0, 1e9), 1).events(1, 1, 100, [
      [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
      [S.EvGoStatus, 0, 1, 1, S.GoRunningStatus],
      [S.EvGoCreate, 1, 2, 0, 0],
      [S.EvGoStart, 1, 3, 1], // goroutine 3 does not exist
    ]);
    const { model: m, error } = decodeGoTrace(w.bytes());
    expect(error?.message).toMatch(/failed to advance/);
    expect(error?.message).toMatch(/GoStart/);
    expect(m.partial).toBe(true);
    // The events before the problem are kept.
    expect(m.eventCounts.StateTransition).toBe(3);
  });
});

describe('samples, ranges, annotations, metrics', () => {
  const w = new TraceWriter(22).sync(1, 0, 1e9);
  tables(w, 1)
    .strings(1, [
      [10, 'GC mark termination'],
      [11, 'task'],
      [12, 'region'],
      [13, 'cat'],
      [14, 'msg'],
    ])
    .cpuSamples(1, [
      [130, 1, 0, 1, 2],
      [105, 1, 0, 0, 1],
    ])
    .experimental(1, 1, 1, [1, 2, 3])
    .events(1, 1, 100, [
      [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
      [S.EvGoStatus, 0, 1, 1, S.GoRunningStatus],
      [S.EvGCActive, 1, 4],
      [S.EvGCEnd, 10, 5],
      [S.EvSTWBegin, 1, 10, 1],
      [S.EvSTWEnd, 4],
      [S.EvHeapAlloc, 1, 4096],
      [S.EvHeapGoal, 1, 8192],
      [S.EvProcsChange, 1, 8, 0],
      [S.EvUserTaskBegin, 1, 7, 0, 11, 1],
      [S.EvUserRegionBegin, 1, 7, 12, 1],
      [S.EvUserLog, 1, 7, 13, 14, 1],
      [S.EvUserRegionEnd, 1, 7, 12, 1],
      [S.EvUserRegionEnd, 1, 0, 12, 0], // began before the trace
      [S.EvUserTaskEnd, 1, 7, 0],
      [S.EvGCMarkAssistBegin, 1, 1],
      [S.EvGCMarkAssistEnd, 2],
    ]);
  const { model: m, error } = decodeGoTrace(w.bytes());

  it('decodes them', () => expect(error).toBeNull());

  it('merges CPU samples by time, with goroutine and stack', () => {
    expect(m.cpuSamples.length).toBe(2);
    expect(m.cpuSamples.time[0]).toBeLessThan(m.cpuSamples.time[1] as number);
    expect(m.cpuSamples.goroutine[0]).toBe(-1); // G 0: no goroutine
    expect(m.goroutines.id[m.cpuSamples.goroutine[1] as number]).toBe(1);
    expect(funcOfStack(m, m.cpuSamples.stack[1] as number)).toBe('main.worker');
  });

  it('keeps GC, STW and assist ranges', () => {
    const s = summarizeTrace(m);
    expect(s.gcCycles).toBe(1);
    expect(s.stwCount).toBe(1);
    expect(s.stwNs).toBe(4);
    expect(m.strings[m.ranges.name[1] as number]).toBe('GC mark termination');
    expect(Array.from(m.ranges.kind)).toEqual([1, 2, 3]);
    expect(m.ranges.flags[0]).toBe(1); // active at start
  });

  it('keeps tasks, regions and logs', () => {
    const s = summarizeTrace(m);
    expect([s.tasks, s.regions, s.logs]).toEqual([1, 1, 1]);
    expect(m.tasks.parent[0]).toBe(-1);
    expect(m.strings[m.tasks.name[0] as number]).toBe('task');
    expect(m.tasks.end[0]).toBeGreaterThan(m.tasks.start[0] as number);
    expect(m.regions.length).toBe(2);
    expect(Number.isNaN(m.regions.start[1])).toBe(true);
    expect(m.strings[m.logs.message[0] as number]).toBe('msg');
  });

  it('keeps metric series and counts the skipped experimental batch as nothing', () => {
    const byName = Object.fromEntries(m.metrics.map((s) => [s.name, Array.from(s.value)]));
    expect(byName).toEqual({
      '/memory/classes/heap/objects:bytes': [4096],
      '/gc/heap/goal:bytes': [8192],
      '/sched/gomaxprocs:threads': [8],
    });
    expect(m.eventCounts.Experimental).toBeUndefined();
    expect(m.goroutineCounts.length).toBeGreaterThan(0);
  });
});

describe('header and versions', () => {
  it('rejects what is not a trace, old and future versions with a reason', () => {
    expect(() => decodeGoTrace(new TextEncoder().encode('hello world, not a trace'))).toThrow(
      /not a Go execution trace/,
    );
    // A go 1.21 header alone: the old format keeps its clock frequency at the end.
    expect(() => decodeGoTrace(new TraceWriter(21).bytes())).toThrow(/no EvFrequency/);
    expect(() => decodeGoTrace(new TraceWriter(24).bytes())).toThrow(
      /unsupported trace version go 1.24/,
    );
    expect(() => decodeGoTrace(new TraceWriter(99).bytes())).toThrow(/go 1.99/);
  });

  it('reads an empty trace as one Sync', () => {
    const { model: m, error } = decodeGoTrace(new TraceWriter(26).bytes());
    expect(error).toBeNull();
    expect(m.eventCounts).toEqual({ Sync: 1 });
  });
});
