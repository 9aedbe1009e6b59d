// Decoding a run of generations that does not start at the trace's first one, without the state
// the generations before it left: what a parallel decode (parallel.ts) needs, and what it must
// check afterwards.
//
// Go's runtime re-states at each generation's start what the ordering needs (Go
// src/runtime/trace.go traceAdvance, go1.27): a GoStatus for every goroutine that exists, a
// ProcStatus for every P, GCActive while a GC runs, GCMarkAssistActive and GCSweepActive for
// assists and sweeps in progress. So a run of generations can be ordered on its own, as if its
// first generation were the trace's first (Go's initialGen rules), with one difference: what
// Go's ordering would have known from before and checks, the run cannot check. It writes those
// checks down instead (an EntryLog), and parallel.ts makes them once the state the previous runs
// left is known. When one fails, or when the run met a case written down here as unverifiable,
// the trace is decoded again from the start, in order: the result is always what the sequential
// decoder gives, byte for byte.
//
// What the run assumes, and is checked:
//   - a goroutine it first meets in a GoStatus existed before, in that status; its ranges in
//     flight (mark assists) are the ones re-stated, and its open user regions are whatever was
//     open (region ends the run cannot match are checked against them, innermost first);
//   - a goroutine it creates did not exist before;
//   - a P it first meets in a ProcStatus existed in that status, or not at all;
//   - a thread's goroutine and P it reads before setting them were none; where Go checks a
//     thread's goroutine or P against a value, that value;
//   - the first GC event follows Go's GC sequence number and state;
//   - a task it begins was not active before;
//   - its first event comes after the last event of the run before (Go's 1 ns fix-up is local).

/** Thread fields: MState.assumed bits. */
export const M_G = 1;
export const M_P = 2;

/** Kinds of the first GC event a run meets while it knows nothing of the GC (`EntryLog.gc`). */
export const GC_FIRST_ACTIVE = 1;
export const GC_FIRST_BEGIN = 2;

export class EntryLog {
  /** Why the run's result cannot be checked (null when it can): the trace is decoded in order. */
  unverifiable: string | null = null;
  /** Goroutines first met in a GoStatus: ID and status, in pairs. */
  readonly gStatus: number[] = [];
  /** Goroutines the run created (GoCreate*) without having met them before. */
  readonly gCreated: number[] = [];
  /** Ranges (Go's rangeType: Begin event type, desc) re-stated for goroutines met in a GoStatus. */
  readonly gRanges = new Map<number, Array<[number, number]>>();
  /** Region ends on goroutines met in a GoStatus that found no open region: ID, task, name (the run's string index), in order. */
  readonly regionEnds: number[] = [];
  /** Ps first met in a ProcStatus: ID and status as written, in pairs. */
  readonly pStatus: number[] = [];
  /** Ranges re-stated for Ps met in a ProcStatus. */
  readonly pRanges = new Map<number, Array<[number, number]>>();
  /** Thread fields read before the run set them: thread ID -> M_G | M_P bits that must have been none. */
  readonly mNone = new Map<number, number>();
  /**
   * Thread fields Go checks against a value: thread ID, M_G or M_P, value, and 1 when a thread Go
   * did not know yet would have passed too (it then made one with that value), in quadruples.
   */
  readonly mEquals: number[] = [];
  /** The first GC event met without knowing the GC state: GC_FIRST_*, and its sequence number. */
  gc = 0;
  gcSeq = 0;
  /** Tasks begun without knowing whether they were active. */
  readonly taskBegins: number[] = [];
  /**
   * Ps reported in an abandoned syscall and promoted (they must have been in Syscall before,
   * when the run met them there first), and 1 when no thread the run knows was bound to them
   * (one bound before the run must be): in pairs.
   */
  readonly abandoned: number[] = [];

  /** Marks the run as one parallel.ts cannot check (the first reason is kept). */
  cannotCheck(why: string): void {
    this.unverifiable ??= why;
  }

  noteMNone(m: number, bits: number): void {
    this.mNone.set(m, (this.mNone.get(m) ?? 0) | bits);
  }

  noteMEquals(m: number, field: number, value: number, absentOk = false): void {
    this.mEquals.push(m, field, value, absentOk ? 1 : 0);
  }

  noteRange(
    map: Map<number, Array<[number, number]>>,
    id: number,
    typ: number,
    desc: number,
  ): void {
    let list = map.get(id);
    if (!list) map.set(id, (list = []));
    list.push([typ, desc]);
  }
}

/**
 * The ordering's state after a run, as plain data (what the next run's checks are made against,
 * once composed with the state before this run: parallel.ts). Strings (region names) are text,
 * so that runs with different string tables compare.
 */
export interface OrderExit {
  /** Goroutines alive at the end: ID, status, open regions (task ID, name), ranges in flight (typ, desc), and the generation a continued run met them in (0: made in the run). */
  g: Array<{
    id: number;
    status: number;
    regions: Array<[number, string]>;
    ranges: Array<[number, number]>;
    entryGen: number;
  }>;
  /** Goroutines the run met and that no longer exist at its end. */
  gGone: number[];
  p: Array<{ id: number; status: number; ranges: Array<[number, number]> }>;
  /** Threads, in the order the run met them; `assumed`: fields it never set (M_G | M_P). */
  m: Array<{ id: number; g: number; p: number; assumed: number }>;
  /** Whether the run knew the GC state at its end, and what it was. */
  gcKnown: boolean;
  gcSeq: number;
  gcState: number;
  /** Tasks the run began or ended: ID, still active at the end. */
  tasks: Array<[number, boolean]>;
  /** Time of the last event the run emitted (absolute ns), and of its first Sync before Go's fix-up. */
  lastTs: number;
  firstSync: number;
  threads: number[];
  /** Events emitted (Syncs included) and Syncs. */
  events: number;
  syncs: number;
}

/** An EntryLog as plain data (see EntryLog). */
export interface EntryData {
  unverifiable: string | null;
  gStatus: number[];
  gCreated: number[];
  gRanges: Array<[number, Array<[number, number]>]>;
  /** Goroutine ID, task ID, region name (text), in triples. */
  regionEnds: Array<[number, number, string]>;
  pStatus: number[];
  pRanges: Array<[number, Array<[number, number]>]>;
  mNone: Array<[number, number]>;
  mEquals: number[];
  gc: number;
  gcSeq: number;
  taskBegins: number[];
  abandoned: number[];
}

export function entryData(e: EntryLog, strings: readonly string[]): EntryData {
  const regionEnds: Array<[number, number, string]> = [];
  for (let i = 0; i < e.regionEnds.length; i += 3) {
    regionEnds.push([
      e.regionEnds[i] as number,
      e.regionEnds[i + 1] as number,
      strings[e.regionEnds[i + 2] as number] ?? '',
    ]);
  }
  return {
    unverifiable: e.unverifiable,
    gStatus: e.gStatus,
    gCreated: e.gCreated,
    gRanges: [...e.gRanges],
    regionEnds,
    pStatus: e.pStatus,
    pRanges: [...e.pRanges],
    mNone: [...e.mNone],
    mEquals: e.mEquals,
    gc: e.gc,
    gcSeq: e.gcSeq,
    taskBegins: e.taskBegins,
    abandoned: e.abandoned,
  };
}
