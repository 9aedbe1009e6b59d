// Families of Go wait reasons, for colouring and grouping blocked time ("17 goroutines waiting on
// sync", "70 on the network").
//
// Which strings appear: an execution trace of Go 1.22+ carries the runtime's traceBlockReason
// strings on GoBlock/GoStop events (Go src/runtime/traceruntime.go, go1.26: traceBlockReasonStrings:
// "unspecified", "forever", "network", "select", "sync.(*Cond).Wait", "sync", "chan send",
// "chan receive", "GC mark assist wait for work", "GC background sweeper wait", "system goroutine
// wait", "preempted", "wait for debug call", "wait until GC ends", "sleep", "GC weak to strong
// wait", "synctest"), plus "runtime.Gosched" as a stop reason. Traces of Go 1.11-1.21 get the
// same strings from Go's converter (src/internal/trace/tracev1.go, go1.26: addBuiltin). The
// finer waitReason strings of goroutine dumps and pprof (src/runtime/runtime2.go, go1.26:
// waitReasonStrings: "sync.Mutex.Lock", "semacquire", "IO wait", "GC worker (idle)", ...) are
// mapped too, so the families also serve other sources of reasons (dlv, goroutine profiles).
//
// Unknown strings (a future Go) fall back on the substring rules of Go's own `go tool trace`
// block profile (src/cmd/trace/pprof.go, go1.26: computePprofBlock counts a reason as blocking
// when it contains "chan", "sync" or "select").

export type ReasonFamily =
  'channel' | 'select' | 'sync' | 'network' | 'sleep' | 'syscall' | 'gc' | 'system' | 'other';

export interface ReasonFamilyInfo {
  id: ReasonFamily;
  /** Short name, used as the synthetic root frame of a split flame graph. */
  label: string;
  /** One line for a legend or a tooltip. */
  description: string;
}

/** Every family, in display order (user-level blocking first, runtime-internal last). */
export const REASON_FAMILIES: readonly ReasonFamilyInfo[] = [
  {
    id: 'sync',
    label: 'sync',
    description: 'mutexes, RWMutexes, sync.Cond, WaitGroups, semaphores',
  },
  { id: 'channel', label: 'channel', description: 'channel send or receive' },
  { id: 'select', label: 'select', description: 'select statements' },
  { id: 'network', label: 'network', description: 'network I/O (the netpoller)' },
  { id: 'sleep', label: 'sleep', description: 'time.Sleep and timers' },
  { id: 'syscall', label: 'syscall', description: 'in a system call' },
  {
    id: 'gc',
    label: 'GC',
    description: 'garbage collector: assists, sweeper, workers, finalizers',
  },
  { id: 'system', label: 'system', description: 'runtime-internal waits, preemption, forever' },
  { id: 'other', label: 'other', description: 'unspecified or unknown reasons' },
];

/** Family number (index into REASON_FAMILIES) of each family id. */
export const FAMILY_INDEX: Readonly<Record<ReasonFamily, number>> = Object.fromEntries(
  REASON_FAMILIES.map((f, i) => [f.id, i]),
) as Record<ReasonFamily, number>;

export function familyInfo(f: ReasonFamily): ReasonFamilyInfo {
  return REASON_FAMILIES[FAMILY_INDEX[f]] as ReasonFamilyInfo;
}

/** Known strings. Sources: see the header (runtime2.go, traceruntime.go, tracev1.go at go1.26). */
const EXACT: ReadonlyMap<string, ReasonFamily> = new Map<string, ReasonFamily>([
  // Channels.
  ['chan receive', 'channel'],
  ['chan send', 'channel'],
  ['chan receive (nil chan)', 'channel'],
  ['chan send (nil chan)', 'channel'],
  ['chan receive (durable)', 'channel'],
  ['chan send (durable)', 'channel'],
  // select.
  ['select', 'select'],
  ['select (no cases)', 'select'],
  ['select (durable)', 'select'],
  // sync and semaphores. The trace says just "sync" for Mutex, RWMutex and WaitGroup
  // (traceBlockSync); testing/synctest's waits are waits on other goroutines too.
  ['sync', 'sync'],
  ['sync.(*Cond).Wait', 'sync'],
  ['sync.Cond.Wait', 'sync'],
  ['sync.Mutex.Lock', 'sync'],
  ['sync.RWMutex.RLock', 'sync'],
  ['sync.RWMutex.Lock', 'sync'],
  ['sync.WaitGroup.Wait', 'sync'],
  ['sync.WaitGroup.Wait (durable)', 'sync'],
  ['semacquire', 'sync'],
  ['synctest', 'sync'],
  ['synctest.Run', 'sync'],
  ['synctest.Wait', 'sync'],
  // Network.
  ['network', 'network'],
  ['IO wait', 'network'],
  // Sleep.
  ['sleep', 'sleep'],
  // Garbage collector.
  ['GC assist marking', 'gc'],
  ['GC assist wait', 'gc'],
  ['GC mark assist wait for work', 'gc'],
  ['GC background sweeper wait', 'gc'],
  ['GC sweep wait', 'gc'],
  ['GC scavenge wait', 'gc'],
  ['GC worker (idle)', 'gc'],
  ['GC worker (active)', 'gc'],
  ['GC mark termination', 'gc'],
  ['GC weak to strong wait', 'gc'],
  ['wait for GC cycle', 'gc'],
  ['wait until GC ends', 'gc'],
  ['garbage collection', 'gc'],
  ['garbage collection scan', 'gc'],
  ['force gc (idle)', 'gc'],
  ['finalizer wait', 'gc'],
  ['cleanup wait', 'gc'],
  // Runtime-internal.
  ['system goroutine wait', 'system'],
  ['preempted', 'system'],
  ['runtime.Gosched', 'system'],
  ['forever', 'system'],
  ['panicwait', 'system'],
  ['dumping heap', 'system'],
  ['trace reader (blocked)', 'system'],
  ['stopping the world', 'system'],
  ['flushing proc caches', 'system'],
  ['trace goroutine status', 'system'],
  ['trace proc status', 'system'],
  ['page trace flush', 'system'],
  ['GOMAXPROCS updater (idle)', 'system'],
  ['debug call', 'system'],
  ['wait for debug call', 'system'],
  // No reason.
  ['', 'other'],
  ['unspecified', 'other'],
  ['coroutine', 'other'],
]);

/** The family of one reason string (Go's wait or stop reason). */
export function reasonFamily(reason: string): ReasonFamily {
  const known = EXACT.get(reason);
  if (known !== undefined) return known;
  // Fallbacks for strings a newer Go may add, in the spirit of cmd/trace's substring rules.
  if (reason.startsWith('chan ')) return 'channel';
  if (reason.startsWith('select')) return 'select';
  if (reason.startsWith('sync') || reason.includes('semacquire') || reason.includes('Mutex'))
    return 'sync';
  if (reason.includes('GC') || reason.includes('garbage') || reason.includes('sweep')) return 'gc';
  if (reason === 'IO wait' || reason.includes('network') || reason.includes('netpoll'))
    return 'network';
  if (reason.includes('sleep')) return 'sleep';
  if (reason.includes('syscall')) return 'syscall';
  return 'other';
}

/** A family or an exact reason (or several) to keep; both lists empty or absent keep everything. */
export interface ReasonFilter {
  families?: readonly ReasonFamily[];
  reasons?: readonly string[];
}

/** Family number (index into REASON_FAMILIES) of each entry of a reason table (a few dozen). */
export function familiesOf(reasons: readonly string[]): Uint8Array {
  const out = new Uint8Array(reasons.length);
  for (let r = 0; r < reasons.length; r++) out[r] = FAMILY_INDEX[reasonFamily(reasons[r] ?? '')];
  return out;
}

/**
 * Per entry of a reason table: 1 when the filter keeps it. A reason passes when it is listed or
 * its family is (the two lists are alternatives). Null filter, or empty lists: null (keep all).
 */
export function reasonMask(
  reasons: readonly string[],
  filter: ReasonFilter | null | undefined,
): Uint8Array | null {
  const fams = filter?.families ?? [];
  const exact = filter?.reasons ?? [];
  if (fams.length === 0 && exact.length === 0) return null;
  const famSet = new Set(fams.map((f) => FAMILY_INDEX[f]));
  const exactSet = new Set(exact);
  const families = familiesOf(reasons);
  const out = new Uint8Array(reasons.length);
  for (let r = 0; r < reasons.length; r++) {
    out[r] = famSet.has(families[r] as number) || exactSet.has(reasons[r] ?? '') ? 1 : 0;
  }
  return out;
}

/** A reason as a label: the string itself, or "(no reason)" for the empty one. */
export function reasonLabel(reason: string): string {
  return reason === '' ? '(no reason)' : reason;
}
