// Parallel decoding of a v2 trace (issue 18): Go 1.22+ traces are sequences of generations that
// each re-state what the ordering needs (continuation.ts), so the file is cut into runs of whole
// generations (chunks.ts `scanGenerations`), each run is decoded on its own in a worker
// (`decodeRun`), and the runs are joined here, in order, into one sink: a TraceBuilder for the
// model, or the summary sink.
//
// Joining a run means: checking what it assumed of the state before it against the state the
// runs before it left (`checkRun`), then replaying its log into the sink (model/traceLog.ts),
// which keeps every piece of state that crosses a generation boundary in the model (a
// goroutine's state and wait reason, open procs, ranges, tasks and regions, goroutine counts) and
// so produces exactly what decoding the whole file in order produces. When a check fails, or a
// run met damage, the caller decodes the file in order instead (decode.ts): same result, slower.

import type { TraceSink } from '../../model/traceSink';
import { fillPendingProcs, replayTraceLog, shiftEarlyTimes } from '../../model/traceLog';
import { EK_SYNC } from '../../model/trace';
import {
  bytesSource,
  decodeRun,
  scanGenerations,
  type GenerationStream,
  type ByteSource,
  type RunResult,
  type TraceScan,
} from './chunks';
import { GenerationReader, TraceFault } from './generation';
import { Orderer } from './order';
import { GC_FIRST_ACTIVE, M_G, M_P, type OrderExit } from './continuation';
import { NO_ID } from './states';
import { ProcSyscallAbandoned, ProcSyscallStatus } from './spec';

interface GKnown {
  status: number;
  regions: Array<[number, string]>;
  ranges: Array<[number, number]>;
}

/** The ordering's state between runs, composed from their exits (the state Go's reader has). */
export class OrderState {
  readonly g = new Map<number, GKnown>();
  readonly p = new Map<number, { status: number; ranges: Array<[number, number]> }>();
  /** Threads in the order Go's reader met them. */
  readonly m = new Map<number, { g: number; p: number }>();
  gcSeq = 0;
  gcState = 0;
  readonly activeTasks = new Set<number>();
  lastTs = 0;
  readonly threads = new Set<number>();
  events = 0;
  syncs = 0;
}

/** Why run `entry` cannot follow state `T` as decoded, or null when it can (continuation.ts). */
export function checkRun(run: RunResult, T: OrderState): string | null {
  const e = run.entry;
  if (e === null) return 'a run that starts the trace cannot follow another';
  if (e.unverifiable !== null) return e.unverifiable;
  for (let i = 0; i < e.gStatus.length; i += 2) {
    const id = e.gStatus[i] as number;
    const g = T.g.get(id);
    if (!g) return `goroutine ${id} appears after the first generation`;
    if (g.status !== e.gStatus[i + 1]) return `goroutine ${id} changed status`;
  }
  const restated = new Map(e.gRanges);
  for (let i = 0; i < e.gStatus.length; i += 2) {
    const id = e.gStatus[i] as number;
    if (!sameRanges((T.g.get(id) as GKnown).ranges, restated.get(id) ?? [])) {
      return `goroutine ${id}'s ranges in flight differ`;
    }
  }
  for (const id of e.gCreated) if (T.g.has(id)) return `goroutine ${id} created twice`;
  // Region ends the run could not match, against the regions open before it, innermost first.
  const consumed = new Map<number, number>();
  for (const [id, task, name] of e.regionEnds) {
    const open = (T.g.get(id) as GKnown).regions;
    const k = consumed.get(id) ?? 0;
    const top = open.length - 1 - k;
    if (top < 0) continue; // Go ignores an end with no region open
    const [t, n] = open[top] as [number, string];
    if (t !== task || n !== name) return `a region end on goroutine ${id} does not match`;
    consumed.set(id, k + 1);
  }
  const pRestated = new Map(e.pRanges);
  for (let i = 0; i < e.pStatus.length; i += 2) {
    const id = e.pStatus[i] as number;
    const status = e.pStatus[i + 1] as number;
    const p = T.p.get(id);
    if (p) {
      // An abandoned syscall P was promoted by the run: it must have been in Syscall.
      const was = status === ProcSyscallAbandoned ? ProcSyscallStatus : status;
      if (p.status !== was) return `P ${id} changed status`;
      if (!sameRanges(p.ranges, pRestated.get(id) ?? [])) return `P ${id}'s ranges differ`;
    } else if ((pRestated.get(id) ?? []).length > 0) {
      return `P ${id} has ranges in flight but did not exist`;
    } else if (status === ProcSyscallAbandoned) {
      return `abandoned P ${id} did not exist`;
    }
  }
  for (const [id, bits] of e.mNone) {
    const m = T.m.get(id);
    if (!m) continue;
    if (bits & M_G && m.g !== NO_ID) return `thread ${id} had a goroutine`;
    if (bits & M_P && m.p !== NO_ID) return `thread ${id} had a P`;
  }
  for (let i = 0; i < e.mEquals.length; i += 4) {
    const id = e.mEquals[i] as number;
    const field = e.mEquals[i + 1] as number;
    const value = e.mEquals[i + 2] as number;
    const m = T.m.get(id);
    if (!m) {
      if (e.mEquals[i + 3] !== 1) return `thread ${id} did not exist`;
      continue;
    }
    if ((field === M_G ? m.g : m.p) !== value) return `thread ${id} differs`;
  }
  if (e.gc !== 0) {
    if (e.gc === GC_FIRST_ACTIVE) {
      if (T.gcState !== 2 || e.gcSeq !== T.gcSeq + 1) return 'the GC state differs';
    } else if (T.gcState !== 0 && (T.gcState === 2 || e.gcSeq !== T.gcSeq + 1)) {
      return 'the GC state differs';
    }
  }
  for (const id of e.taskBegins) if (T.activeTasks.has(id)) return `task ${id} begun twice`;
  for (let i = 0; i < e.abandoned.length; i += 2) {
    const id = e.abandoned[i] as number;
    if (e.abandoned[i + 1] !== 1) continue;
    let bound = false;
    for (const m of T.m.values()) if (m.p === id) bound = true;
    if (!bound) return `no thread was bound to abandoned P ${id}`;
  }
  return null;
}

function sameRanges(a: Array<[number, number]>, b: Array<[number, number]>): boolean {
  if (a.length !== b.length) return false;
  const key = (r: [number, number]): string => `${r[0]}/${r[1]}`;
  const sa = a.map(key).sort();
  const sb = b.map(key).sort();
  return sa.every((k, i) => k === sb[i]);
}

/** The state after run `x`, which followed state `T` (or started the trace, when T is empty). */
export function composeState(T: OrderState, x: OrderExit, run: RunResult): void {
  const e = run.entry;
  // Regions the run's unmatched ends closed, per goroutine (checkRun has matched them).
  const consumed = new Map<number, number>();
  if (e) {
    for (const [id] of e.regionEnds) {
      const open = T.g.get(id)?.regions.length ?? 0;
      const k = consumed.get(id) ?? 0;
      if (k < open) consumed.set(id, k + 1);
    }
  }
  for (const id of x.gGone) T.g.delete(id);
  for (const g of x.g) {
    const before = g.entryGen !== 0 ? T.g.get(g.id) : undefined;
    const kept = before
      ? before.regions.slice(0, before.regions.length - (consumed.get(g.id) ?? 0))
      : [];
    T.g.set(g.id, { status: g.status, regions: [...kept, ...g.regions], ranges: g.ranges });
  }
  for (const p of x.p) T.p.set(p.id, { status: p.status, ranges: p.ranges });
  for (const m of x.m) {
    const before = T.m.get(m.id);
    T.m.set(m.id, {
      g: m.assumed & M_G ? (before?.g ?? NO_ID) : m.g,
      p: m.assumed & M_P ? (before?.p ?? NO_ID) : m.p,
    });
  }
  if (x.gcKnown) {
    T.gcSeq = x.gcSeq;
    T.gcState = x.gcState;
  }
  for (const [id, active] of x.tasks) {
    if (active) T.activeTasks.add(id);
    else T.activeTasks.delete(id);
  }
  if (x.lastTs === x.lastTs && x.events > 0) T.lastTs = x.lastTs;
  for (const t of x.threads) T.threads.add(t);
  T.events += x.events;
  T.syncs += x.syncs;
}

/**
 * Joins decoded runs, in file order, into `into`. Returns the composed state (for the final Sync
 * and the thread count), or why the runs cannot stand for the whole file decoded in order.
 */
export class RunJoiner {
  readonly state = new OrderState();
  private runs = 0;
  /** Why the join failed, once it has (further runs are then ignored). */
  failed: string | null = null;

  constructor(private readonly into: TraceSink) {}

  /** Adds the next run; false when the join cannot go on (see `failed`). */
  add(run: RunResult): boolean {
    if (this.failed !== null) return false;
    if (run.fault !== null) {
      this.failed = `a run met damage: ${run.fault}`;
      return false;
    }
    if (run.log.tooManyReasons) {
      this.failed = 'a run has more than 255 wait reasons';
      return false;
    }
    if (this.runs > 0) {
      const why = checkRun(run, this.state);
      if (why !== null) {
        this.failed = why;
        return false;
      }
    } else if (run.entry !== null) {
      this.failed = 'the first run must start the trace';
      return false;
    }
    let lastTs = run.exit.lastTs;
    if (this.runs > 0) {
      // Go's 1 ns fix-up continues across the boundary (the run started it from 0).
      lastTs = shiftEarlyTimes(run.log, this.state.lastTs);
      if (lastTs !== lastTs) {
        this.failed = 'the time fix-up reaches too far into the run';
        return false;
      }
    }
    // Transitions on threads whose P the run did not know: the P they had before it.
    fillPendingProcs(run.log, (m) => this.state.m.get(m)?.p ?? NO_ID);
    replayTraceLog(run.log, this.into);
    composeState(this.state, { ...run.exit, lastTs }, run);
    this.runs++;
    return true;
  }

  /** Go's reader ends with a Sync after the last event (reader.go). */
  finish(): void {
    const t = this.state.lastTs + 1;
    this.into.count(EK_SYNC);
    this.into.time(t);
    this.state.lastTs = t;
    this.state.events++;
    this.state.syncs++;
  }
}

/** A run of whole generations to decode on its own. */
export interface RunPlan {
  byteStart: number;
  byteEnd: number;
  /** False for the run that starts the trace. */
  continued: boolean;
}

/**
 * Cuts the scanned generations into runs of about `targetBytes` (at least one generation each),
 * or returns null when the trace should be decoded in order: it has a fault (the sequential
 * decoder says what and where), or fewer than two runs.
 */
export function planRuns(scan: TraceScan, targetBytes: number): RunPlan[] | null {
  if (scan.fault !== null) return null;
  const gens = scan.generations;
  const runs: RunPlan[] = [];
  let i = 0;
  while (i < gens.length) {
    const start = (gens[i] as { byteStart: number }).byteStart;
    let end = start;
    while (i < gens.length && (end - start < targetBytes || end === start)) {
      end = (gens[i] as { byteEnd: number }).byteEnd;
      i++;
    }
    runs.push({ byteStart: start, byteEnd: end, continued: runs.length > 0 });
  }
  return runs.length >= 2 ? runs : null;
}

/**
 * Decodes a trace in memory in runs of about `targetBytes`, one after another on this thread:
 * what the worker pool does, without the workers (tests; small machines). Null when the trace is
 * to be decoded in order (see `planRuns`), or why the runs could not be joined.
 */
export function decodeRunsInline(
  bytes: Uint8Array,
  headerLength: number,
  version: number,
  into: TraceSink,
  targetBytes: number,
): { joiner: RunJoiner } | { failed: string } | null {
  const plan = planRuns(scanGenerations(bytesSource(bytes), headerLength, version), targetBytes);
  if (plan === null) return null;
  const joiner = new RunJoiner(into);
  for (const r of plan) {
    const run = decodeRun(
      bytes.subarray(r.byteStart, r.byteEnd),
      r.byteStart,
      version,
      r.continued,
    );
    if (!joiner.add(run)) return { failed: joiner.failed ?? '' };
  }
  joiner.finish();
  return { joiner };
}

/**
 * Decodes the scanned generations in order into `into`, reading each from `src` on its own: the
 * sequential decode, holding one generation's bytes at a time instead of the file (the summary
 * of a trace larger than memory; on two cores about as fast as the parallel decode, which pays
 * for logging and replaying the runs). Returns the thread count, or why it stopped (a fault: the
 * caller decodes the whole file in order to say what and where).
 */
export function decodeInOrder(
  src: ByteSource,
  scan: TraceScan | GenerationStream,
  version: number,
  into: TraceSink,
  /** After each generation: how far into the file, and the threads seen so far. */
  progress: (fraction: number, threadCount: number) => void = () => {},
): { threadCount: number } | { failed: string } {
  if ('fault' in scan && scan.fault !== null) return { failed: scan.fault.message };
  // A stream (generationSpans) is decoded as it is scanned; its fault, if any, comes at its end.
  const spans: GenerationStream = 'fault' in scan ? listed(scan) : scan;
  let order: Orderer | null = null;
  // One buffer for every generation, grown to the largest (a generation holds nothing of its
  // bytes once decoded: strings are copied out).
  let scratch = new Uint8Array(0);
  try {
    for (let next = spans.next(); ; next = spans.next()) {
      if (next.done) {
        if (next.value !== null) return { failed: next.value.message };
        break;
      }
      const span = next.value;
      const n = span.byteEnd - span.byteStart;
      if (src.readInto && scratch.length < n)
        scratch = new Uint8Array(Math.max(n, scratch.length * 2));
      const bytes = src.readInto
        ? src.readInto(span.byteStart, span.byteEnd, scratch)
        : src.read(span.byteStart, span.byteEnd);
      const reader = new GenerationReader(bytes, 0, version, into);
      order ??= new Orderer(bytes, into);
      const g = reader.next();
      if (g === null || reader.deferred !== null)
        return { failed: 'a generation did not read whole' };
      g.byteStart += span.byteStart;
      g.byteEnd += span.byteStart;
      order.run(g, bytes);
      progress(span.byteEnd / src.size, order.threadCount);
    }
  } catch (e) {
    if (e instanceof TraceFault) return { failed: e.message };
    throw e;
  }
  if (order === null) return { failed: 'no generation' };
  order.syncAtLast();
  return { threadCount: order.threadCount };
}

/** A finished scan as a stream. */
function* listed(scan: TraceScan): GenerationStream {
  yield* scan.generations;
  return scan.fault;
}
