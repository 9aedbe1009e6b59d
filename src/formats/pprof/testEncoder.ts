// A small pprof encoder for tests and benchmarks: builds Profile protobuf bytes from a plain
// description, with control over what real encoders differ in (packed or unpacked repeated
// fields, ids beyond 2^53, negative values, field order). Strings are interned into a string
// table that is written after the samples, as Go's runtime/pprof does. Not used by the app.

import type { FrameTable, StackTable } from '../../model/stacks';

export type Int = number | bigint;

export interface TestLine {
  func: Int;
  line?: Int;
}
export interface TestLocation {
  id: Int;
  mapping?: Int;
  address?: Int;
  lines?: TestLine[];
}
export interface TestFunction {
  id: Int;
  name: string;
  file?: string;
  systemName?: string;
}
export interface TestMapping {
  id: Int;
  start?: Int;
  limit?: Int;
  file?: string;
  buildId?: string;
}
export interface TestLabel {
  key: string;
  str?: string;
  num?: Int;
  unit?: string;
}
export interface TestSample {
  /** Location ids, leaf first. */
  locs: Int[];
  values: Int[];
  labels?: TestLabel[];
}
export interface TestProfile {
  sampleTypes: Array<[type: string, unit: string]>;
  samples: TestSample[];
  locations: TestLocation[];
  functions: TestFunction[];
  mappings?: TestMapping[];
  timeNanos?: Int;
  durationNanos?: Int;
  period?: Int;
  periodType?: [type: string, unit: string];
  defaultSampleType?: string;
  comments?: string[];
  /** Write repeated numeric fields unpacked (one tag per value), as older encoders did. */
  unpacked?: boolean;
}

/** Protobuf wire writer over a growable byte array. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(b: number): this {
    this.ensure(1);
    this.buf[this.length++] = b;
    return this;
  }
  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }
  /** A varint; negative values as 64-bit two's complement (10 bytes), as int64 is encoded. */
  varint(v: Int): this {
    let x = BigInt.asUintN(64, BigInt(v));
    if (typeof v === 'number' && v >= 0 && v < 2 ** 31) {
      let n = v;
      while (n >= 0x80) {
        this.byte((n & 0x7f) | 0x80);
        n >>>= 7;
      }
      return this.byte(n);
    }
    while (x >= 0x80n) {
      this.byte(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    return this.byte(Number(x));
  }
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }
  int(field: number, v: Int): this {
    return this.tag(field, 0).varint(v);
  }
  bytes(field: number, b: Uint8Array): this {
    return this.tag(field, 2).varint(b.length).raw(b);
  }
  message(field: number, fill: (w: ProtoWriter) => void): this {
    const w = new ProtoWriter();
    fill(w);
    return this.bytes(field, w.finish());
  }
  /** A repeated numeric field, packed or one tag per value. */
  repeated(field: number, values: Int[], packed: boolean): this {
    if (!packed) {
      for (const v of values) this.int(field, v);
      return this;
    }
    const w = new ProtoWriter();
    for (const v of values) w.varint(v);
    return this.bytes(field, w.finish());
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Encodes a test profile as uncompressed pprof bytes. */
export function encodeTestProfile(p: TestProfile): Uint8Array {
  const strings: string[] = [''];
  const index = new Map<string, number>([['', 0]]);
  const s = (x: string | undefined): number => {
    if (x === undefined || x === '') return 0;
    let i = index.get(x);
    if (i === undefined) {
      i = strings.length;
      strings.push(x);
      index.set(x, i);
    }
    return i;
  };
  const packed = !p.unpacked;
  const w = new ProtoWriter();
  for (const [type, unit] of p.sampleTypes) {
    w.message(1, (m) => m.int(1, s(type)).int(2, s(unit)));
  }
  for (const sample of p.samples) {
    w.message(2, (m) => {
      if (sample.locs.length > 0) m.repeated(1, sample.locs, packed);
      if (sample.values.length > 0) m.repeated(2, sample.values, packed);
      for (const l of sample.labels ?? []) {
        m.message(3, (lm) => {
          lm.int(1, s(l.key));
          if (l.str !== undefined) lm.int(2, s(l.str));
          if (l.num !== undefined) lm.int(3, l.num);
          if (l.unit !== undefined) lm.int(4, s(l.unit));
        });
      }
    });
  }
  for (const m of p.mappings ?? []) {
    w.message(3, (mm) => {
      mm.int(1, m.id);
      if (m.start !== undefined) mm.int(2, m.start);
      if (m.limit !== undefined) mm.int(3, m.limit);
      if (m.file !== undefined) mm.int(5, s(m.file));
      if (m.buildId !== undefined) mm.int(6, s(m.buildId));
      mm.int(7, 1);
    });
  }
  for (const l of p.locations) {
    w.message(4, (lm) => {
      lm.int(1, l.id);
      if (l.mapping !== undefined) lm.int(2, l.mapping);
      if (l.address !== undefined) lm.int(3, l.address);
      for (const line of l.lines ?? []) {
        lm.message(4, (ln) => {
          ln.int(1, line.func);
          if (line.line !== undefined) ln.int(2, line.line);
        });
      }
    });
  }
  for (const f of p.functions) {
    w.message(5, (fm) => {
      fm.int(1, f.id).int(2, s(f.name));
      if (f.systemName !== undefined) fm.int(3, s(f.systemName));
      if (f.file !== undefined) fm.int(4, s(f.file));
    });
  }
  // Strings referenced after this point must be interned before the table is written.
  const periodType = p.periodType ? [s(p.periodType[0]), s(p.periodType[1])] : null;
  const defaultType = p.defaultSampleType !== undefined ? s(p.defaultSampleType) : 0;
  const comments = (p.comments ?? []).map(s);
  const enc = new TextEncoder();
  for (const str of strings) w.bytes(6, enc.encode(str));
  if (p.timeNanos !== undefined) w.int(9, p.timeNanos);
  if (p.durationNanos !== undefined) w.int(10, p.durationNanos);
  if (periodType)
    w.message(11, (m) => m.int(1, periodType[0] as number).int(2, periodType[1] as number));
  if (p.period !== undefined) w.int(12, p.period);
  if (comments.length > 0) w.repeated(13, comments, packed);
  if (defaultType !== 0) w.int(14, defaultType);
  return w.finish();
}

/** The same samples as a pprof profile: one location per distinct frame, one function each. */
export function encodeStackSet(set: {
  frames: FrameTable;
  stacks: StackTable;
  strings: readonly string[];
  sampleStacks: Int32Array;
  weights: Float64Array;
}): Uint8Array {
  const { frames, stacks, strings } = set;
  const p: TestProfile = {
    sampleTypes: [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    functions: [],
    locations: [],
    samples: [],
    period: 10_000_000,
    periodType: ['cpu', 'nanoseconds'],
  };
  for (let f = 0; f < frames.length; f++) {
    p.functions.push({
      id: f + 1,
      name: strings[frames.func[f]!]!,
      file: strings[frames.file[f]!]!,
    });
    p.locations.push({
      id: f + 1,
      address: 0x400000 + f * 16,
      lines: [{ func: f + 1, line: frames.line[f]! }],
    });
  }
  for (let i = 0; i < set.sampleStacks.length; i++) {
    const locs: number[] = [];
    for (let s = set.sampleStacks[i]!; s >= 0; s = stacks.parent[s]!)
      locs.push(stacks.frame[s]! + 1);
    p.samples.push({ locs, values: [1, set.weights[i]!] });
  }
  return encodeTestProfile(p);
}
