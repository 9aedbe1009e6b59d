// GC mark worker modes of a goroutine's run on a P (analysis/runtimeLanes.ts reads them from the
// runtime's goroutine labels; the painters and tooltips name them).

export const WORKER_NONE = 0;
export const WORKER_DEDICATED = 1;
export const WORKER_FRACTIONAL = 2;
export const WORKER_IDLE = 3;
/** A mark worker's run whose mode the trace does not say. */
export const WORKER_UNKNOWN = 4;
export const WORKER_NAMES = [
  '',
  'GC worker (dedicated)',
  'GC worker (fractional)',
  'GC worker (idle)',
  'GC worker',
] as const;
