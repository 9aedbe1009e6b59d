// A tiny writer of v2 execution traces for tests: synthetic traces that exercise one rule each
// (the layout of Go src/internal/trace/tracev2, go1.26; see spec.ts). Only tests import it.

import {
  EvCPUSample,
  EvCPUSamples,
  EvClockSnapshot,
  EvEndOfGeneration,
  EvEventBatch,
  EvExperimentalBatch,
  EvFrequency,
  EvStack,
  EvStacks,
  EvString,
  EvStrings,
  EvSync,
  GO125,
} from './spec';

/** An event: its type, then its arguments (timestamp delta first). -1 is written as uint64(-1). */
export type RawEvent = [type: number, ...args: Array<number | bigint>];

export function uvarint(out: number[], v: number | bigint): void {
  let x = typeof v === 'bigint' ? BigInt.asUintN(64, v) : BigInt.asUintN(64, BigInt(v));
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
}

export class TraceWriter {
  readonly out: number[] = [];

  constructor(readonly version: number) {
    for (const c of `go 1.${version} trace\0\0\0`) this.out.push(c.charCodeAt(0));
  }

  private batch(gen: number, m: number, time: number, data: number[], exp = 0): this {
    if (exp !== 0) {
      this.out.push(EvExperimentalBatch, exp);
    } else {
      this.out.push(EvEventBatch);
    }
    uvarint(this.out, gen);
    uvarint(this.out, m);
    uvarint(this.out, time);
    uvarint(this.out, data.length);
    for (const b of data) this.out.push(b);
    return this;
  }

  /** A batch of timed events of thread `m` starting at tick `time`. */
  events(gen: number, m: number, time: number, events: RawEvent[]): this {
    const data: number[] = [];
    for (const [typ, ...args] of events) {
      data.push(typ);
      for (const a of args) uvarint(data, a);
    }
    return this.batch(gen, m, time, data);
  }

  /** The sync data: a Frequency batch before Go 1.25, a Sync batch (with a clock snapshot) after. */
  sync(
    gen: number,
    time: number,
    ticksPerSecond: number,
    clock?: { dt: number; mono: number; sec: number; nsec: number },
  ): this {
    const data: number[] = [];
    if (this.version >= GO125) data.push(EvSync);
    data.push(EvFrequency);
    uvarint(data, ticksPerSecond);
    if (clock) {
      data.push(EvClockSnapshot);
      uvarint(data, clock.dt);
      uvarint(data, clock.mono);
      uvarint(data, clock.sec);
      uvarint(data, clock.nsec);
    }
    return this.batch(gen, -1, time, data);
  }

  strings(gen: number, strings: Array<[number, string]>): this {
    const data: number[] = [EvStrings];
    for (const [id, s] of strings) {
      const bytes = new TextEncoder().encode(s);
      data.push(EvString);
      uvarint(data, id);
      uvarint(data, bytes.length);
      for (const b of bytes) data.push(b);
    }
    return this.batch(gen, -1, 0, data);
  }

  /** Stacks: ID and frames (leaf first) as [pc, func string ID, file string ID, line]. */
  stacks(gen: number, stacks: Array<[number, Array<[number, number, number, number]>]>): this {
    const data: number[] = [EvStacks];
    for (const [id, frames] of stacks) {
      data.push(EvStack);
      uvarint(data, id);
      uvarint(data, frames.length);
      for (const f of frames) for (const v of f) uvarint(data, v);
    }
    return this.batch(gen, -1, 0, data);
  }

  /** CPU samples: [ticks, M, P, G, stack ID]. */
  cpuSamples(gen: number, samples: Array<[number, number, number, number, number]>): this {
    const data: number[] = [EvCPUSamples];
    for (const s of samples) {
      data.push(EvCPUSample);
      for (const v of s) uvarint(data, v);
    }
    return this.batch(gen, -1, 0, data);
  }

  experimental(gen: number, exp: number, m: number, data: number[]): this {
    return this.batch(gen, m, 0, data, exp);
  }

  endOfGeneration(): this {
    this.out.push(EvEndOfGeneration);
    return this;
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.out);
  }
}
