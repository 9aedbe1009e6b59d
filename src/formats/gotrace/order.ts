// Puts the events of a v2 trace in Go's order and gives them Go's meaning: the reader loop of Go's
// src/internal/trace/reader.go ReadEvent, go1.26.
//
//   1. One cursor per M over its batches; cursors in a min-heap keyed by the time of their next
//      event (cursor.ts).
//   2. Try to advance the head's event through the state machines (ordering.ts). If they say
//      "not yet" (e.g. a GoStart whose goroutine has not been made runnable by an event on
//      another M), sort the heap and try the other cursors in time order. If none can advance,
//      the trace is broken.
//   3. CPU samples (their own batches) are merged in by time whenever they come first.
//
// Every event that advances is emitted in Go's order (emit.ts). The emitted events go straight
// into the model builder: no event objects are made.

import type { TraceSink } from '../../model/traceSink';
import { ByteReader } from './bytes';
import { MCursor, heapRemove, heapSiftDown, heapSiftUp, sortFrontier } from './cursor';
import { Emitter } from './emit';
import { TraceFault, type Generation } from './generation';
import type { EntryLog, OrderExit } from './continuation';
import { Ordering } from './ordering';
import type { GState } from './states';
import { IdTable } from '../../base/idIndex';
import { eventName } from './spec';

/** Fallback work (tries and sorted cursors) allowed beyond 128 per emitted event before a trace is called hostile. */
const WORK_BASE = 1e7;

/** Decodes events generation by generation into a TraceBuilder. */
export class Orderer {
  private readonly out: Emitter;
  private readonly ordering: Ordering;
  private gen: Generation | null = null;
  private frontier: MCursor[] = [];
  private cpuNext = 0;
  private r: ByteReader;
  private work = 0;
  /** The first generation's Sync time before Go's fix-up (NaN before it). */
  private firstSync = NaN;

  /**
   * `entry`: for a run of generations that does not start the trace, where it writes down what it
   * assumed of the state before it (continuation.ts).
   */
  constructor(
    buf: Uint8Array,
    private readonly b: TraceSink,
    entry: EntryLog | null = null,
  ) {
    this.r = new ByteReader(buf);
    b.strings.intern('');
    const gStates = new IdTable<GState>();
    this.out = new Emitter(b, gStates);
    this.ordering = new Ordering(b, this.out, gStates, entry);
  }

  /** The ordering's and emitter's state after the generations run so far (continuation.ts). */
  exit(): OrderExit {
    return {
      ...this.ordering.exit(),
      lastTs: this.out.lastTs,
      firstSync: this.firstSync,
      threads: [...this.out.threads],
      events: this.out.events,
      syncs: this.out.syncs,
    };
  }

  get threadCount(): number {
    return this.out.threadCount;
  }
  get events(): number {
    return this.out.events;
  }
  get syncs(): number {
    return this.out.syncs;
  }

  /** Emits a Sync at the last event's time (Go: at the end of the trace, or before an error). */
  syncAtLast(): void {
    this.out.syncAtLast();
  }

  run(g: Generation, buf?: Uint8Array): void {
    // A generation read on its own (parallel.ts decodeInOrder) brings its own bytes.
    if (buf !== undefined && buf !== this.r.buf) this.r = new ByteReader(buf);
    this.gen = g;
    this.ordering.gen = g;
    this.out.gen = g;
    this.cpuNext = 0;
    this.frontier = [];
    for (const mb of g.ms) {
      const c = new MCursor(mb);
      if (!c.next(this.r, g.freq)) continue;
      this.frontier.push(c);
      heapSiftUp(this.frontier, this.frontier.length - 1);
    }
    const rawSync = Math.trunc(g.minTs * g.freq);
    if (this.firstSync !== this.firstSync) this.firstSync = rawSync;
    const syncAt = this.out.sync(rawSync);
    this.b.generation(syncAt, g.byteStart, g.byteEnd);
    if (g.hasClockSnapshot) {
      this.b.clockSnapshot(Math.trunc(g.snapTicks * g.freq), g.snapWall, g.snapMono);
    }
    const h = this.frontier;
    const cpuN = g.cpuTime.length;
    for (;;) {
      if (h.length === 0 && this.cpuNext >= cpuN) break;
      if (this.cpuNext < cpuN) {
        const ct = g.cpuTime[this.cpuNext] as number;
        if (h.length === 0 || ct < (h[0] as MCursor).time) {
          this.out.emitCpuSample(g, this.cpuNext++);
          continue;
        }
      }
      if (h.length === 0) throw this.fault('broken trace: frontier is empty', 0);
      if (!this.tryAdvance(0)) {
        sortFrontier(h);
        this.work += h.length; // the sort is work too: a hostile trace may have many threads
        let ok = false;
        for (let i = 1; i < h.length; i++) {
          // A hostile trace could make every step scan every cursor: bound the total work.
          if (++this.work > WORK_BASE + this.out.events * 128) {
            throw this.fault(
              'broken trace: too many events out of order (decoding stopped to stay bounded)',
              (h[i] as MCursor).evPos,
            );
          }
          if (this.tryAdvance(i)) {
            ok = true;
            break;
          }
        }
        if (!ok)
          throw this.fault(
            `broken trace: failed to advance: ${this.dumpFrontier()}`,
            (h[0] as MCursor).evPos,
          );
      }
    }
  }

  private fault(msg: string, at: number): TraceFault {
    return new TraceFault(msg, at);
  }

  private dumpFrontier(): string {
    return this.frontier
      .slice(0, 8)
      .map((c) => `M ${c.m} next ${eventName(c.typ)} at byte ${c.evPos}`)
      .join('; ');
  }

  private tryAdvance(i: number): boolean {
    const h = this.frontier;
    const c = h[i] as MCursor;
    this.out.qLen = 0;
    if (!this.ordering.advance(c)) return false;
    const g = this.gen as Generation;
    if (c.next(this.r, g.freq)) {
      if (heapSiftUp(h, i) === i) heapSiftDown(h, i);
    } else {
      heapRemove(h, i);
    }
    this.out.flush();
    return true;
  }
}
