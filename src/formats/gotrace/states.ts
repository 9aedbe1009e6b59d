// The state the ordering keeps per goroutine and proc, and Go's mappings from the wire statuses
// to the states events report (src/internal/trace/order.go, event.go and resources.go, go1.26).
// Shared by the ordering (ordering.ts), which changes it, and the emitter (emit.ts), which reads it.

import {
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_UNDETERMINED,
  GS_WAITING,
} from '../../model/trace';

export const NO_ID = -1; // NoThread, NoProc, NoGoroutine (int64 -1)

// Go's ProcState (resources.go): what a proc transition is reported as.
export const PS_UNDETERMINED = 0;
export const PS_NOT_EXIST = 1;
export const PS_RUNNING = 2;
export const PS_IDLE = 3;

/** tracev2 GoStatus -> GoState (event.go tracev2GoStatus2GoState). */
export const GO_STATUS_TO_STATE = [
  GS_UNDETERMINED,
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_WAITING,
];
/** tracev2 ProcStatus -> ProcState (event.go tracev2ProcStatus2ProcState). */
export const PROC_STATUS_TO_STATE = [PS_UNDETERMINED, PS_RUNNING, PS_IDLE, PS_RUNNING, PS_IDLE];

export interface RangeEntry {
  /** The Begin event type of the range (Go's rangeType.typ). */
  typ: number;
  /** Go's rangeType.desc: the STW kind's string ID in its generation, else 0. */
  desc: number;
}

export interface GState {
  status: number;
  seqGen: number;
  seq: number;
  /**
   * Open user regions: task ID and name (model string index), innermost last; and ranges in
   * flight. Made on first use: most goroutines never have any, and there are 100k of them.
   */
  regions: number[] | null;
  ranges: RangeEntry[] | null;
  /** The model's goroutine index. */
  idx: number;
  /** The generation a continued run met it in a GoStatus (continuation.ts), else 0. */
  entryGen: number;
}

export interface PState {
  status: number;
  seqGen: number;
  seq: number;
  ranges: RangeEntry[];
  /** The generation a continued run met it in a ProcStatus (continuation.ts), else 0. */
  entryGen: number;
}
