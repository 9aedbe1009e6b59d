// The wire format of Go execution traces of format versions 1.11, 1.19 and 1.21 (written by Go
// 1.11 to 1.21), as Go's own parser reads it: Go src/internal/trace/internal/tracev1/parser.go
// (go1.26), which Go 1.22+ and golang.org/x/exp/trace use to read these files. The runtime side is
// Go 1.21 src/runtime/trace.go (traceEventLocked).
//
// Layout: a 16-byte header `go 1.N trace\0\0\0`, then events. Each event starts with one byte:
// the low 6 bits are the type, the high 2 bits the number of arguments after the timestamp
// (0-2), or 3 for "length-prefixed": a varint byte length follows, then the values. A timed
// event's first value is its timestamp delta in ticks from the previous event of the same batch.
// All values are unsigned LEB128 varints (Go's binary.Uvarint).
//
//   EvBatch (narg field 1)   pid, ticks           a P's buffer: its events follow, until the next
//                                                 EvBatch (pid -1 is the runtime's global buffer)
//   EvString                 id, length, bytes    the string table, written as strings are used
//   EvStack (length-prefixed) id, n, n*{pc, func string id, file string id, line}
//   EvFrequency              ticks per second     written once, at the END of the trace
//   EvCPUSample (Go 1.19+)   ts delta, real ticks, P (-1: none), G, stack id (own buffers)
//   EvUserLog                ..., then a length-prefixed value string after the values
//
// The clock frequency and the stack table come last: a cut v1 trace cannot be placed in time.

export const EvNone = 0;
export const EvBatch = 1;
export const EvFrequency = 2;
export const EvStack = 3;
export const EvGomaxprocs = 4;
export const EvProcStart = 5;
export const EvProcStop = 6;
export const EvGCStart = 7;
export const EvGCDone = 8;
export const EvSTWStart = 9;
export const EvSTWDone = 10;
export const EvGCSweepStart = 11;
export const EvGCSweepDone = 12;
export const EvGoCreate = 13;
export const EvGoStart = 14;
export const EvGoEnd = 15;
export const EvGoStop = 16;
export const EvGoSched = 17;
export const EvGoPreempt = 18;
export const EvGoSleep = 19;
export const EvGoBlock = 20;
export const EvGoUnblock = 21;
export const EvGoBlockSend = 22;
export const EvGoBlockRecv = 23;
export const EvGoBlockSelect = 24;
export const EvGoBlockSync = 25;
export const EvGoBlockCond = 26;
export const EvGoBlockNet = 27;
export const EvGoSysCall = 28;
export const EvGoSysExit = 29;
export const EvGoSysBlock = 30;
export const EvGoWaiting = 31;
export const EvGoInSyscall = 32;
export const EvHeapAlloc = 33;
export const EvHeapGoal = 34;
export const EvTimerGoroutine = 35;
export const EvFutileWakeup = 36;
export const EvString = 37;
export const EvGoStartLocal = 38;
export const EvGoUnblockLocal = 39;
export const EvGoSysExitLocal = 40;
export const EvGoStartLabel = 41;
export const EvGoBlockGC = 42;
export const EvGCMarkAssistStart = 43;
export const EvGCMarkAssistDone = 44;
export const EvUserTaskCreate = 45;
export const EvUserTaskEnd = 46;
export const EvUserRegion = 47;
export const EvUserLog = 48;
export const EvCPUSample = 49;
export const EvCount = 50;

/**
 * Not a wire type: a GoSysCall whose next event on the same goroutine is GoSysBlock, so Go's
 * converter makes it a syscall that lasts until GoSysExit (tracev1.go convertEvent, go1.26).
 * Set by the decoder after ordering; a value the wire cannot hold (types are 6 bits).
 */
export const EvGoSysCallBlocked = 0x40;

/** Version numbers of the v1 format this decoder reads (the N of `go 1.N trace`). */
export const GO111 = 11;
export const GO119 = 19;
export const GO121 = 21;

/** The header is always 16 bytes (Go src/internal/trace/version/version.go, headerLen). */
export const HEADER_LEN = 16;

// Go's special P IDs (tracev1 parser.go): events moved to them have no thread.
export const TimerP = 1000001;
export const NetpollP = 1000002;
export const SyscallP = 1000003;
export const GCP = 1000004;

/** Limits of Go's parser: larger values mean damage. */
export const MAX_LENGTH_PREFIXED = 2048;
export const MAX_STRING_LEN = 1e6;
export const MAX_STACK_FRAMES = 1000;

interface Desc {
  name: string;
  /** Minimum format version (Go's minVersion). */
  minVersion: number;
  /** The last value is a stack ID. */
  stack: boolean;
  /** Named arguments after the timestamp (Go's desc.Args). */
  args: number;
}

const DESCS: Array<Desc | undefined> = new Array<Desc | undefined>(256).fill(undefined);
function def(ev: number, name: string, minVersion: number, stack: boolean, args: number): void {
  DESCS[ev] = { name, minVersion, stack, args };
}
// Go src/internal/trace/internal/tracev1/parser.go EventDescriptions (go1.26).
def(EvNone, 'None', 5, false, 0);
def(EvBatch, 'Batch', 5, false, 2);
def(EvFrequency, 'Frequency', 5, false, 1);
def(EvStack, 'Stack', 5, false, 2);
def(EvGomaxprocs, 'Gomaxprocs', 5, true, 1);
def(EvProcStart, 'ProcStart', 5, false, 1);
def(EvProcStop, 'ProcStop', 5, false, 0);
def(EvGCStart, 'GCStart', 5, true, 1);
def(EvGCDone, 'GCDone', 5, false, 0);
def(EvSTWStart, 'GCSTWStart', 5, false, 1);
def(EvSTWDone, 'GCSTWDone', 5, false, 0);
def(EvGCSweepStart, 'GCSweepStart', 5, true, 0);
def(EvGCSweepDone, 'GCSweepDone', 5, false, 2);
def(EvGoCreate, 'GoCreate', 5, true, 2);
def(EvGoStart, 'GoStart', 5, false, 2);
def(EvGoEnd, 'GoEnd', 5, false, 0);
def(EvGoStop, 'GoStop', 5, true, 0);
def(EvGoSched, 'GoSched', 5, true, 0);
def(EvGoPreempt, 'GoPreempt', 5, true, 0);
def(EvGoSleep, 'GoSleep', 5, true, 0);
def(EvGoBlock, 'GoBlock', 5, true, 0);
def(EvGoUnblock, 'GoUnblock', 5, true, 2);
def(EvGoBlockSend, 'GoBlockSend', 5, true, 0);
def(EvGoBlockRecv, 'GoBlockRecv', 5, true, 0);
def(EvGoBlockSelect, 'GoBlockSelect', 5, true, 0);
def(EvGoBlockSync, 'GoBlockSync', 5, true, 0);
def(EvGoBlockCond, 'GoBlockCond', 5, true, 0);
def(EvGoBlockNet, 'GoBlockNet', 5, true, 0);
def(EvGoSysCall, 'GoSysCall', 5, true, 0);
def(EvGoSysExit, 'GoSysExit', 5, false, 3);
def(EvGoSysBlock, 'GoSysBlock', 5, false, 0);
def(EvGoWaiting, 'GoWaiting', 5, false, 1);
def(EvGoInSyscall, 'GoInSyscall', 5, false, 1);
def(EvHeapAlloc, 'HeapAlloc', 5, false, 1);
def(EvHeapGoal, 'HeapGoal', 5, false, 1);
def(EvTimerGoroutine, 'TimerGoroutine', 5, false, 1);
def(EvFutileWakeup, 'FutileWakeup', 5, false, 0);
def(EvString, 'String', 7, false, 0);
def(EvGoStartLocal, 'GoStartLocal', 7, false, 1);
def(EvGoUnblockLocal, 'GoUnblockLocal', 7, true, 1);
def(EvGoSysExitLocal, 'GoSysExitLocal', 7, false, 2);
def(EvGoStartLabel, 'GoStartLabel', 8, false, 3);
def(EvGoBlockGC, 'GoBlockGC', 8, true, 0);
def(EvGCMarkAssistStart, 'GCMarkAssistStart', 9, true, 0);
def(EvGCMarkAssistDone, 'GCMarkAssistDone', 9, false, 0);
def(EvUserTaskCreate, 'UserTaskCreate', 11, true, 3);
def(EvUserTaskEnd, 'UserTaskEnd', 11, true, 1);
def(EvUserRegion, 'UserRegion', 11, true, 3);
def(EvUserLog, 'UserLog', 11, true, 2);
def(EvCPUSample, 'CPUSample', 19, true, 3);

/**
 * Values an event of each type carries, as Go's rawEvent.argNum counts them: the named arguments,
 * the stack ID, and the timestamp delta of timed events. 0 for types that are not events.
 */
export const ARG_NUM = new Uint8Array(256);
/** Minimum format version of each type; 255 for types that do not exist. */
export const MIN_VERSION = new Uint8Array(256).fill(255);
/** 1 when the last value is a stack ID. */
export const HAS_STACK = new Uint8Array(256);
for (let i = 0; i < EvCount; i++) {
  const d = DESCS[i];
  if (!d || i === EvNone) continue;
  MIN_VERSION[i] = d.minVersion;
  HAS_STACK[i] = d.stack ? 1 : 0;
  const untimed = i === EvBatch || i === EvFrequency || i === EvTimerGoroutine;
  ARG_NUM[i] = d.args + (d.stack ? 1 : 0) + (untimed ? 0 : 1);
}

export function eventName(typ: number): string {
  if (typ === EvGoSysCallBlocked) return 'GoSysCall';
  return DESCS[typ]?.name ?? `Invalid(${typ})`;
}

// Strings Go's converter gives old events (tracev1.go, go1.26: the builtin strings). Block
// reasons, by the v1 event that blocked; index 0 means "not a blocking event".
export const BLOCK_REASON: readonly string[] = (() => {
  const r: string[] = new Array<string>(EvCount).fill('');
  r[EvGoStop] = 'forever';
  r[EvGoSleep] = 'sleep';
  r[EvGoBlock] = '';
  r[EvGoBlockSend] = 'chan send';
  r[EvGoBlockRecv] = 'chan receive';
  r[EvGoBlockSelect] = 'select';
  r[EvGoBlockSync] = 'sync';
  r[EvGoBlockCond] = 'sync.(*Cond).Wait';
  r[EvGoBlockNet] = 'network';
  r[EvGoBlockGC] = 'GC mark assist wait for work';
  r[EvGoSched] = 'runtime.Gosched';
  r[EvGoPreempt] = 'preempted';
  return r;
})();

/**
 * Stop-the-world kinds (Go's STWReason, tracev1 parser.go go1.26), as the converter names them.
 * Index 0 is "unknown", which Go's converter writes as the empty string.
 */
export const STW_REASONS: readonly string[] = [
  '',
  'GC mark termination',
  'GC sweep termination',
  'write heap dump',
  'goroutine profile',
  'goroutine profile cleanup',
  'all goroutine stack trace',
  'read mem stats',
  'AllThreadsSyscall',
  'GOMAXPROCS',
  'start trace',
  'stop trace',
  'CountPagesInUse (test)',
  'ReadMetricsSlow (test)',
  'ReadMemStatsSlow (test)',
  'PageCachePagesLeaked (test)',
  'ResetDebugLog (test)',
];

/**
 * The STW reason of an EvSTWStart kind argument (Trace.STWReason, go1.26): before 1.21 the runtime
 * wrote 0 for mark termination and 1 for sweep termination; 1.21 writes its stwReason enum.
 */
export function stwReason(version: number, kind: number): number {
  if (version < GO121) return kind === 0 || kind === 1 ? kind + 1 : 0;
  if (version === GO121) return kind < STW_REASONS.length ? kind : 0;
  return 0;
}
