// Writes small v1 traces (Go 1.11-1.21 format) for tests, as the runtime lays them out (Go 1.21
// src/runtime/trace.go traceEventLocked): a type byte whose top 2 bits count the values after
// the timestamp (3: a byte length follows), then varints.

import * as S from './spec';

export class V1Writer {
  readonly out: number[] = [];

  constructor(readonly minor = 21) {
    const h = `go 1.${minor} trace`;
    for (let i = 0; i < 16; i++) this.out.push(i < h.length ? h.charCodeAt(i) : 0);
  }

  uvarint(v: number | bigint, to: number[] = this.out): this {
    let x = BigInt(v);
    if (x < 0n) x = BigInt.asUintN(64, x); // -1 is uint64(-1), as the runtime writes "none"
    for (;;) {
      const b = Number(x & 0x7fn);
      x >>= 7n;
      if (x === 0n) {
        to.push(b);
        return this;
      }
      to.push(b | 0x80);
    }
  }

  /** A batch header: P (-1 for the global buffer) and its base ticks. */
  batch(pid: number, ticks: number | bigint): this {
    this.out.push(S.EvBatch | (1 << 6));
    return this.uvarint(pid).uvarint(ticks);
  }

  /** A timed event: `dt` ticks after the previous one of the batch, then its values (args, stack). */
  ev(typ: number, dt: number, ...values: Array<number | bigint>): this {
    const body: number[] = [];
    this.uvarint(dt, body);
    for (const v of values) this.uvarint(v, body);
    if (values.length <= 2) {
      this.out.push(typ | (values.length << 6), ...body);
    } else {
      this.out.push(typ | (3 << 6));
      this.uvarint(body.length).out.push(...body);
    }
    return this;
  }

  /** EvUserLog: task, key string ID, stack, then the value string. */
  log(dt: number, task: number, key: number, stack: number, value: string): this {
    this.ev(S.EvUserLog, dt, task, key, stack);
    const bytes = new TextEncoder().encode(value);
    this.uvarint(bytes.length).out.push(...bytes);
    return this;
  }

  /** EvCPUSample: real ticks, P (-1: none), goroutine, stack. */
  cpuSample(real: number, p: number, g: number, stack: number): this {
    return this.ev(S.EvCPUSample, 0, real, p, g, stack);
  }

  string(id: number, s: string): this {
    const bytes = new TextEncoder().encode(s);
    this.out.push(S.EvString);
    this.uvarint(id)
      .uvarint(bytes.length)
      .out.push(...bytes);
    return this;
  }

  /** A stack: frames leaf first, each [pc, func string ID, file string ID, line]. */
  stack(id: number, frames: Array<[number, number, number, number]>): this {
    const body: number[] = [];
    this.uvarint(id, body).uvarint(frames.length, body);
    for (const f of frames) for (const v of f) this.uvarint(v, body);
    this.out.push(S.EvStack | (3 << 6));
    this.uvarint(body.length).out.push(...body);
    return this;
  }

  frequency(ticksPerSecond: number): this {
    this.out.push(S.EvFrequency);
    return this.uvarint(ticksPerSecond);
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}
