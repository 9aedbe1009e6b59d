// The summary of testdata/SUMMARY.md computed while the trace decodes, without the model: what
// `summarize` needs on a trace larger than memory would comfortably hold (issue 18: peak memory
// at most twice the file). It keeps per goroutine only the state it is in, since when, and four
// sums; per STW in flight its start. The result is exactly summarizeTrace(model) of the model the
// same decode would build (traceSummarySink.test.ts checks it on the corpus): the same
// differences of the same integer times, added in the same order.

import { StringTable } from '../base/growable';
import { IdIndex } from '../base/idIndex';
import { F64Col, U32Col, U8Col } from './columns';
import { StackBuilder } from './stacks';
import {
  EVENT_KIND_NAMES,
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_WAITING,
  IV_STATUS,
} from './trace';
import { formatRfc3339Nano } from './traceSummary';
import type { TraceSink } from './traceSink';

export class TraceSummarySink implements TraceSink {
  readonly strings = new StringTable();
  readonly stackBuilder = new StackBuilder(this.strings);
  private origin = NaN;
  private last = NaN;
  private readonly eventCounts = new Float64Array(EVENT_KIND_NAMES.length);

  // Per goroutine index.
  private readonly gIndex = new IdIndex(1024);
  private readonly gId = new F64Col(1024);
  private readonly state = new U8Col(1024);
  private readonly since = new F64Col(1024);
  private readonly transitions = new U32Col(1024);
  private readonly running = new F64Col(1024);
  private readonly runnable = new F64Col(1024);
  private readonly waiting = new F64Col(1024);
  private readonly syscall = new F64Col(1024);

  private readonly reasonIndex = new Map<number, number>([[-1, 0]]);
  private readonly reasons: string[] = [''];
  /**
   * Transitions into Waiting per reason, and where the reason first occurs in the order
   * summarizeTrace meets it (goroutine index, then time), which is the order of its keys.
   */
  private readonly waitReasons = new Map<string, { n: number; g: number; t: number }>();

  private readonly procs = new Set<number>();
  /** Some P ran (the model then has proc intervals). */
  procRan = false;
  private cpuSamples = 0;
  /** CPU samples per leaf stack (names are resolved at the end). */
  private readonly leafStacks = new Map<number, number>();
  private gcCycles = 0;
  private stwCount = 0;
  private stwNs = 0;
  private readonly stwOpen = new Map<number, number[]>();
  private tasks = 0;
  private regions = 0;
  private logs = 0;
  private firstSnapshot: { traceAbs: number; wallNs: bigint } | null = null;

  internStack(rootFirst: ArrayLike<number>, count: number, _rootFunc: number): number {
    const sb = this.stackBuilder;
    let s = -1;
    for (let i = 0; i < count; i++) s = sb.stack(s, rootFirst[i] as number);
    return s;
  }

  count(kind: number): void {
    const c = this.eventCounts;
    c[kind] = (c[kind] as number) + 1;
  }

  addCounts(counts: Float64Array): void {
    const c = this.eventCounts;
    for (let k = 0; k < counts.length; k++) c[k] = (c[k] as number) + (counts[k] as number);
  }

  time(t: number): void {
    if (this.origin !== this.origin) this.origin = t;
    this.last = t;
  }

  goroutine(id: number): number {
    let i = this.gIndex.get(id);
    if (i < 0) {
      i = this.gId.push(id);
      this.state.push(0);
      this.since.push(0);
      this.transitions.push(0);
      this.running.push(0);
      this.runnable.push(0);
      this.waiting.push(0);
      this.syscall.push(0);
      this.gIndex.set(id, i);
    }
    return i;
  }

  reason(s: number): number {
    let r = this.reasonIndex.get(s);
    if (r === undefined) {
      r = Math.min(this.reasons.length, 0xff);
      if (r === this.reasons.length) this.reasons.push(this.strings.strings[s] ?? '');
      this.reasonIndex.set(s, r);
    }
    return r;
  }

  goTransition(
    t: number,
    g: number,
    to: number,
    reason: number,
    _stack: number,
    _waker: number,
    flags: number,
  ): void {
    const n = this.transitions.get(g);
    if (n > 0) this.close(g, t);
    this.transitions.set(g, n + 1);
    this.state.set(g, to);
    this.since.set(g, t);
    if (to === GS_WAITING) {
      // Go reports generation-start status events with no reason.
      const r = flags & IV_STATUS ? '' : (this.reasons[reason] ?? '');
      const w = this.waitReasons.get(r);
      if (!w) this.waitReasons.set(r, { n: 1, g, t });
      else {
        w.n++;
        if (g < w.g) {
          w.g = g;
          w.t = t;
        }
      }
    }
  }

  /** Adds the time since goroutine `g`'s last transition, up to `t`, to its state's sum. */
  private close(g: number, t: number): void {
    // As summarizeTrace does on the model: the difference of times rebased on the origin.
    const d = t - this.origin - (this.since.get(g) - this.origin);
    switch (this.state.get(g)) {
      case GS_RUNNING:
        this.running.set(g, this.running.get(g) + d);
        break;
      case GS_RUNNABLE:
        this.runnable.set(g, this.runnable.get(g) + d);
        break;
      case GS_WAITING:
        this.waiting.set(g, this.waiting.get(g) + d);
        break;
      case GS_SYSCALL:
        this.syscall.set(g, this.syscall.get(g) + d);
        break;
    }
  }

  goCreated(): void {}

  procTransition(_t: number, pid: number, running: boolean): void {
    this.procs.add(pid);
    if (running) this.procRan = true;
  }

  cpuSample(_t: number, _g: number, _proc: number, _thread: number, stack: number): void {
    this.cpuSamples++;
    if (stack >= 0) this.leafStacks.set(stack, (this.leafStacks.get(stack) ?? 0) + 1);
  }

  stwBegin(t: number, gKey: number): void {
    this.stwCount++;
    let open = this.stwOpen.get(gKey);
    if (!open) this.stwOpen.set(gKey, (open = []));
    open.push(t);
  }
  stwEnd(t: number, gKey: number): void {
    const start = this.stwOpen.get(gKey)?.shift();
    if (start !== undefined) this.stwNs += t - this.origin - (start - this.origin);
  }
  gcBegin(): void {
    this.gcCycles++;
  }
  gcActive(): void {
    // A GC re-reported at a generation's start counts once more, as Go's RangeActive does.
    this.gcCycles++;
  }
  gcEnd(): void {}
  sweepBegin(): void {}
  sweepActive(): void {}
  sweepEnd(): void {}
  assistBegin(): void {}
  assistActive(): void {}
  assistEnd(): void {}
  userTaskBegin(): void {
    this.tasks++;
  }
  userTaskEnd(): void {}
  userRegionBegin(): void {
    this.regions++;
  }
  userRegionEnd(): void {}
  log(): void {
    this.logs++;
  }
  label(): void {}
  metric(): void {}
  generation(): void {}

  clockSnapshot(traceAbs: number, wallNs: bigint): void {
    this.firstSnapshot ??= { traceAbs, wallNs };
  }

  /** The summary (summarizeTrace's document) once every event has been written. */
  finish(meta: {
    version: string;
    threadCount: number;
    partial: boolean;
  }): Record<string, unknown> {
    const hasEvents = this.origin === this.origin;
    const durationNs = hasEvents ? this.last - this.origin : 0;
    const end = this.origin + durationNs;
    const goroutines: Record<string, Record<string, number>> = {};
    let runningTotal = 0;
    let goroutineCount = 0;
    for (let g = 0; g < this.gId.length; g++) {
      const n = this.transitions.get(g);
      if (n === 0) continue;
      this.close(g, end);
      goroutineCount++;
      runningTotal += this.running.get(g);
      goroutines[idString(this.gId.get(g))] = {
        running: this.running.get(g),
        runnable: this.runnable.get(g),
        waiting: this.waiting.get(g),
        syscall: this.syscall.get(g),
        transitions: n,
      };
    }
    const { frames, stacks } = this.stackBuilder.finish();
    const leaf = new Map<string, number>();
    for (const [s, n] of this.leafStacks) {
      const name = this.strings.strings[frames.func[stacks.frame[s] as number] as number] ?? '';
      leaf.set(name, (leaf.get(name) ?? 0) + n);
    }
    const top = [...leaf]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, 10)
      .map(([name, value]) => ({ name, value }));
    let events = 0;
    const eventsByKind: Record<string, number> = {};
    EVENT_KIND_NAMES.forEach((k, i) => {
      const n = this.eventCounts[i] as number;
      if (n) {
        eventsByKind[k] = n;
        events += n;
      }
    });
    const out: Record<string, unknown> = {
      format: 'go-trace',
      version: meta.version,
      events,
      eventsByKind,
      durationNs,
    };
    const snap = this.firstSnapshot;
    if (snap && hasEvents) {
      out.wallClockStart = formatRfc3339Nano(
        snap.wallNs - BigInt(Math.round(snap.traceAbs - this.origin)),
      );
    }
    const waitReasons: Record<string, number> = {};
    const byFirst = [...this.waitReasons].sort((a, b) => a[1].g - b[1].g || a[1].t - b[1].t);
    for (const [k, v] of byFirst) waitReasons[k] = v.n;
    Object.assign(out, {
      goroutineCount,
      goroutines,
      runningNsTotal: runningTotal,
      procCount: this.procs.size,
      threadCount: meta.threadCount,
      waitReasons,
      cpuSamples: this.cpuSamples,
      cpuSamplesTopLeaf: top,
      gcCycles: this.gcCycles,
      stwCount: this.stwCount,
      stwNs: this.stwNs,
      tasks: this.tasks,
      regions: this.regions,
      logs: this.logs,
    });
    if (meta.partial) out.partial = true;
    return out;
  }
}

function idString(id: number): string {
  return Number.isSafeInteger(id) ? String(id) : BigInt(id).toString();
}
