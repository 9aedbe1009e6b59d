// The colour classes of goroutine states a lane shows: running, runnable, syscall, and waiting by
// reason family. The engine computes one per interval (analysis/stateClasses.ts); the painters
// colour them (render/goroutineLane.ts).

export const enum StateClass {
  None = 0,
  Running = 1,
  Runnable = 2,
  Syscall = 3,
  WaitChannel = 4,
  WaitSelect = 5,
  WaitSync = 6,
  WaitNetwork = 7,
  WaitSleep = 8,
  WaitGC = 9,
  WaitOther = 10,
}

export const STATE_CLASSES = 11;

export const STATE_CLASS_LABEL: readonly string[] = [
  '',
  'running',
  'runnable',
  'syscall',
  'waiting: channel',
  'waiting: select',
  'waiting: sync',
  'waiting: network',
  'waiting: sleep',
  'waiting: GC',
  'waiting: other',
];
