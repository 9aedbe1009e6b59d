// A small pprof encoder for tests and benchmarks: builds Profile protobuf bytes from a plain
// description, with control over what real encoders differ in (packed or unpacked repeated
// fields, ids beyond 2^53, negative values, field order). Strings are interned into a string
// table that is written after the samples, as Go's runtime/pprof does. Not used by the app.

import type { FrameTable, StackTable } from '../../model/stacks';
import { ProtoWriter } from './protoWriter';

export { ProtoWriter };

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
