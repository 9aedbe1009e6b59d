// The wire format of Go execution traces version 2 (Go 1.22 and later): event types, their
// arguments, and which arguments are stack or string IDs. Transcribed from Go
// src/internal/trace/tracev2/events.go and spec.go (go1.26); the numbers are the wire bytes.
//
// Layout of a trace: a 16-byte header `go 1.N trace\0\0\0`, then batches. A batch is
//   EvEventBatch gen M time size data[size]                       (varints after the type byte)
//   EvExperimentalBatch exp(byte) gen M time size data[size]       (Go 1.23+)
//   EvEndOfGeneration                                              (Go 1.26+, one byte)
// A batch's data is either one structural section (its first byte says which: EvStrings,
// EvStacks, EvCPUSamples, EvFrequency before 1.25 / EvSync from 1.25) or a run of timed events of
// one thread (M): a type byte, a timestamp delta, then the arguments, all varints.

export const EvNone = 0;
// Structural events.
export const EvEventBatch = 1;
export const EvStacks = 2;
export const EvStack = 3;
export const EvStrings = 4;
export const EvString = 5;
export const EvCPUSamples = 6;
export const EvCPUSample = 7;
export const EvFrequency = 8;
// Procs.
export const EvProcsChange = 9;
export const EvProcStart = 10;
export const EvProcStop = 11;
export const EvProcSteal = 12;
export const EvProcStatus = 13;
// Goroutines.
export const EvGoCreate = 14;
export const EvGoCreateSyscall = 15;
export const EvGoStart = 16;
export const EvGoDestroy = 17;
export const EvGoDestroySyscall = 18;
export const EvGoStop = 19;
export const EvGoBlock = 20;
export const EvGoUnblock = 21;
export const EvGoSyscallBegin = 22;
export const EvGoSyscallEnd = 23;
export const EvGoSyscallEndBlocked = 24;
export const EvGoStatus = 25;
// STW.
export const EvSTWBegin = 26;
export const EvSTWEnd = 27;
// GC.
export const EvGCActive = 28;
export const EvGCBegin = 29;
export const EvGCEnd = 30;
export const EvGCSweepActive = 31;
export const EvGCSweepBegin = 32;
export const EvGCSweepEnd = 33;
export const EvGCMarkAssistActive = 34;
export const EvGCMarkAssistBegin = 35;
export const EvGCMarkAssistEnd = 36;
export const EvHeapAlloc = 37;
export const EvHeapGoal = 38;
// Annotations.
export const EvGoLabel = 39;
export const EvUserTaskBegin = 40;
export const EvUserTaskEnd = 41;
export const EvUserRegionBegin = 42;
export const EvUserRegionEnd = 43;
export const EvUserLog = 44;
// Coroutines (Go 1.23).
export const EvGoSwitch = 45;
export const EvGoSwitchDestroy = 46;
export const EvGoCreateBlocked = 47;
// GoStatus with a stack (Go 1.23).
export const EvGoStatusStack = 48;
// Experimental batch (Go 1.23).
export const EvExperimentalBatch = 49;
// Sync batch (Go 1.25; before, a lone EvFrequency).
export const EvSync = 50;
export const EvClockSnapshot = 51;
// In-band end of generation (Go 1.26).
export const EvEndOfGeneration = 52;

// Experimental events (the AllocFree experiment, Go 1.23): 128..136.
export const EvFirstExperimental = 128;
export const EvLastExperimental = 136;

/** Version numbers of the v2 format (the N of `go 1.N trace`). */
export const GO122 = 22;
export const GO123 = 23;
export const GO125 = 25;
export const GO126 = 26;
export const V2_VERSIONS: readonly number[] = [GO122, GO123, GO125, GO126];
/** v1 versions, read by Go's tracev1 parser (another issue of this project). */
export const V1_VERSIONS: readonly number[] = [11, 19, 21];

interface Spec {
  name: string;
  /** Number of arguments including the timestamp delta of timed events. */
  args: number;
  timed: boolean;
  /**
   * 1-based argument positions (the timestamp is 0) holding stack IDs; the first is the main
   * stack. Emission (order.ts `emit`) resolves and validates exactly these, as Go's
   * validateTableIDs does.
   */
  stacks: readonly number[];
  /** 1-based argument positions holding string IDs. */
  strings: readonly number[];
}

const SPECS: Array<Spec | undefined> = new Array<Spec | undefined>(256).fill(undefined);
function def(
  ev: number,
  name: string,
  args: number,
  timed: boolean,
  stacks: readonly number[] = [],
  strings: readonly number[] = [],
): void {
  SPECS[ev] = { name, args, timed, stacks, strings };
}
def(EvEventBatch, 'EventBatch', 4, false);
def(EvStacks, 'Stacks', 0, false);
def(EvStack, 'Stack', 2, false);
def(EvStrings, 'Strings', 0, false);
def(EvString, 'String', 1, false);
def(EvCPUSamples, 'CPUSamples', 0, false);
def(EvCPUSample, 'CPUSample', 5, false, [4]);
def(EvFrequency, 'Frequency', 1, false);
def(EvExperimentalBatch, 'ExperimentalBatch', 4, false);
def(EvSync, 'Sync', 0, false);
def(EvEndOfGeneration, 'EndOfGeneration', 0, false);
def(EvProcsChange, 'ProcsChange', 3, true, [2]);
def(EvProcStart, 'ProcStart', 3, true);
def(EvProcStop, 'ProcStop', 1, true);
def(EvProcSteal, 'ProcSteal', 4, true);
def(EvProcStatus, 'ProcStatus', 3, true);
def(EvGoCreate, 'GoCreate', 4, true, [3, 2]);
def(EvGoCreateSyscall, 'GoCreateSyscall', 2, true);
def(EvGoStart, 'GoStart', 3, true);
def(EvGoDestroy, 'GoDestroy', 1, true);
def(EvGoDestroySyscall, 'GoDestroySyscall', 1, true);
def(EvGoStop, 'GoStop', 3, true, [2], [1]);
def(EvGoBlock, 'GoBlock', 3, true, [2], [1]);
def(EvGoUnblock, 'GoUnblock', 4, true, [3]);
def(EvGoSyscallBegin, 'GoSyscallBegin', 3, true, [2]);
def(EvGoSyscallEnd, 'GoSyscallEnd', 1, true);
def(EvGoSyscallEndBlocked, 'GoSyscallEndBlocked', 1, true);
def(EvGoStatus, 'GoStatus', 4, true);
def(EvSTWBegin, 'STWBegin', 3, true, [2], [1]);
def(EvSTWEnd, 'STWEnd', 1, true);
def(EvGCActive, 'GCActive', 2, true);
def(EvGCBegin, 'GCBegin', 3, true, [2]);
def(EvGCEnd, 'GCEnd', 2, true);
def(EvGCSweepActive, 'GCSweepActive', 2, true);
def(EvGCSweepBegin, 'GCSweepBegin', 2, true, [1]);
def(EvGCSweepEnd, 'GCSweepEnd', 3, true);
def(EvGCMarkAssistActive, 'GCMarkAssistActive', 2, true);
def(EvGCMarkAssistBegin, 'GCMarkAssistBegin', 2, true, [1]);
def(EvGCMarkAssistEnd, 'GCMarkAssistEnd', 1, true);
def(EvHeapAlloc, 'HeapAlloc', 2, true);
def(EvHeapGoal, 'HeapGoal', 2, true);
def(EvGoLabel, 'GoLabel', 2, true, [], [1]);
def(EvUserTaskBegin, 'UserTaskBegin', 5, true, [4], [3]);
def(EvUserTaskEnd, 'UserTaskEnd', 3, true, [2]);
def(EvUserRegionBegin, 'UserRegionBegin', 4, true, [3], [2]);
def(EvUserRegionEnd, 'UserRegionEnd', 4, true, [3], [2]);
def(EvUserLog, 'UserLog', 5, true, [4], [2, 3]);
def(EvGoSwitch, 'GoSwitch', 3, true);
def(EvGoSwitchDestroy, 'GoSwitchDestroy', 3, true);
def(EvGoCreateBlocked, 'GoCreateBlocked', 4, true, [3, 2]);
def(EvGoStatusStack, 'GoStatusStack', 5, true, [4]);
def(EvClockSnapshot, 'ClockSnapshot', 4, true);
def(128, 'Span', 4, true);
def(129, 'SpanAlloc', 4, true);
def(130, 'SpanFree', 2, true);
def(131, 'HeapObject', 3, true);
def(132, 'HeapObjectAlloc', 3, true);
def(133, 'HeapObjectFree', 2, true);
def(134, 'GoroutineStack', 3, true);
def(135, 'GoroutineStackAlloc', 3, true);
def(136, 'GoroutineStackFree', 2, true);

/**
 * Argument count (timestamp included) of each timed event type, 0 for types that are not timed
 * events. Go's reader checks event bytes against the full table whatever the header version
 * (batchcursor.go readTimedBaseEvent, go1.26), and so does this one.
 */
export const TIMED_ARGS = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  const s = SPECS[i];
  if (s?.timed) TIMED_ARGS[i] = s.args;
}

/** True when `typ` has a spec at all (Go: int(typ) < len(tracev2.Specs())). */
export function knownType(typ: number): boolean {
  return typ <= EvLastExperimental;
}

export function eventName(typ: number): string {
  return SPECS[typ]?.name ?? `Invalid(${typ})`;
}

// Goroutine statuses on the wire (tracev2 GoStatus) and proc statuses (tracev2 ProcStatus).
export const GoBad = 0;
export const GoRunnableStatus = 1;
export const GoRunningStatus = 2;
export const GoSyscallStatus = 3;
export const GoWaitingStatus = 4;

export const ProcBad = 0;
export const ProcRunningStatus = 1;
export const ProcIdleStatus = 2;
export const ProcSyscallStatus = 3;
export const ProcSyscallAbandoned = 4;

export const GO_STATUS_NAMES = ['Bad', 'Runnable', 'Running', 'Syscall', 'Waiting'];
export const PROC_STATUS_NAMES = ['Bad', 'Running', 'Idle', 'Syscall', 'SyscallAbandoned'];

/** Limits the runtime never exceeds (tracev2/events.go, go1.26); larger values mean damage. */
export const MAX_BATCH_SIZE = 64 << 10;
export const MAX_FRAMES_PER_STACK = 128;
export const MAX_STRING_SIZE = 1 << 10;
