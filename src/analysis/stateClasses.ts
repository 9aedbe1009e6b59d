// The colour class of every goroutine interval (model/stateClass.ts): its state, and for a wait
// the family of its reason (reasons.ts: Go's reason strings, one mapping).

import { StateClass } from '../model/stateClass';
import { GS_RUNNABLE, GS_RUNNING, GS_SYSCALL, GS_WAITING, type TraceModel } from '../model/trace';
import { reasonFamily, type ReasonFamily } from './reasons';

const FAMILY_CLASS: Record<ReasonFamily, StateClass> = {
  channel: StateClass.WaitChannel,
  select: StateClass.WaitSelect,
  sync: StateClass.WaitSync,
  network: StateClass.WaitNetwork,
  sleep: StateClass.WaitSleep,
  syscall: StateClass.Syscall,
  gc: StateClass.WaitGC,
  system: StateClass.WaitOther,
  other: StateClass.WaitOther,
};

/** The colour class of a waiting reason. */
export function waitClass(reason: string): StateClass {
  return FAMILY_CLASS[reasonFamily(reason)];
}

/** Colour class of every interval (one byte each). */
export function intervalClasses(m: TraceModel): Uint8Array {
  const reasonClass = m.reasons.map((r) => waitClass(r));
  const n = m.intervals.length;
  const c = new Uint8Array(n);
  const { state, reason } = m.intervals;
  for (let i = 0; i < n; i++) {
    switch (state[i]) {
      case GS_RUNNING:
        c[i] = StateClass.Running;
        break;
      case GS_RUNNABLE:
        c[i] = StateClass.Runnable;
        break;
      case GS_SYSCALL:
        c[i] = StateClass.Syscall;
        break;
      case GS_WAITING:
        c[i] = reasonClass[reason[i]!] ?? StateClass.WaitOther;
        break;
      default:
        c[i] = StateClass.None;
    }
  }
  return c;
}
