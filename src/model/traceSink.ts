// What a trace decoder writes into: the calls the v2 emitter (formats/gotrace/emit.ts) and the
// generation reader make, in Go's event order, with absolute times (ns as Go's reader computes
// them). Three sinks take them:
//   - TraceBuilder (traceBuilder.ts) lays out the TraceModel;
//   - TraceLog (traceLog.ts) records them compactly, for a run of generations decoded in a
//     worker; the run is then replayed into one of the others (formats/gotrace/parallel.ts);
//   - TraceSummarySink (traceSummarySink.ts) computes testdata/SUMMARY.md's summary on the fly,
//     so that `summarize` never holds the model.
// Go keys (goroutine, P and task IDs) are Go's int64s as numbers; goroutine arguments named
// `gi`/`g` are the sink's goroutine indexes (from `goroutine(id)`); strings and stacks are
// indexes into the sink's tables.

import type { StringTable } from '../base/growable';
import type { StackBuilder } from './stacks';

export interface TraceSink {
  readonly strings: StringTable;
  readonly stackBuilder: StackBuilder;
  /** Interns a stack given its frames root first; `rootFunc` is the root frame's function. -1 when empty. */
  internStack(rootFirst: ArrayLike<number>, count: number, rootFunc: number): number;

  /** Counts one event of Go reader kind `kind` (EK_*). */
  count(kind: number): void;
  /** Adds counts of events by kind (EK_* indexes). */
  addCounts(counts: Float64Array): void;
  /** The time of an event in Go's order (every emitted event passes here). */
  time(t: number): void;
  /** The sink's index of Go goroutine `id`, made on first use. */
  goroutine(id: number): number;
  /** Index into the reason table of string `s`; -1 gives "". */
  reason(s: number): number;
  goTransition(
    t: number,
    g: number,
    to: number,
    reason: number,
    stack: number,
    waker: number,
    flags: number,
    /** P ID of the event's context, -1 for none. */
    proc: number,
  ): void;
  /**
   * The next goroutine transition ran on thread `thread` whose P the decoder does not know (a run
   * of generations decoded on its own): only TraceLog records it, for the join to fill in.
   */
  pendingProc?(thread: number): void;
  goCreated(t: number, g: number, parent: number, createStack: number, startStack: number): void;
  /** A P (Go's ID `pid`) entered running (`running`) or stopped, on thread `thread`. */
  procTransition(t: number, pid: number, running: boolean, thread: number): void;
  cpuSample(t: number, g: number, proc: number, thread: number, stack: number): void;

  // Ranges, by the Go key their end names (Go's Range events, src/internal/trace/event.go).
  /** Stop-the-world begun by goroutine `gKey` (Go ID); `kind` names it (a string). */
  stwBegin(t: number, gKey: number, gi: number, kind: number, stack: number): void;
  stwEnd(t: number, gKey: number): void;
  gcBegin(t: number, gi: number, stack: number): void;
  /** GC still running at a generation's start. */
  gcActive(t: number, gi: number): void;
  gcEnd(t: number): void;
  sweepBegin(t: number, pid: number, gi: number, stack: number): void;
  sweepActive(t: number, pid: number, gi: number): void;
  sweepEnd(t: number, pid: number): void;
  assistBegin(t: number, gKey: number, gi: number, stack: number): void;
  assistActive(t: number, gKey: number, gi: number): void;
  assistEnd(t: number, gKey: number): void;

  userTaskBegin(
    t: number,
    id: number,
    parent: number,
    name: number,
    gi: number,
    stack: number,
  ): void;
  userTaskEnd(t: number, id: number, gi: number, stack: number): void;
  userRegionBegin(
    t: number,
    gKey: number,
    gi: number,
    task: number,
    name: number,
    stack: number,
  ): void;
  userRegionEnd(
    t: number,
    gKey: number,
    gi: number,
    task: number,
    name: number,
    stack: number,
  ): void;
  log(t: number, g: number, task: number, category: number, message: number, stack: number): void;
  label(t: number, g: number, label: number): void;
  metric(name: string, t: number, value: number): void;

  /** A generation begins at its Sync's time `t`; its bytes in the file. */
  generation(t: number, byteStart: number, byteEnd: number): void;
  /** A clock snapshot; `traceAbs` is the absolute trace time. */
  clockSnapshot(traceAbs: number, wallNs: bigint, monoNs: bigint): void;
}
