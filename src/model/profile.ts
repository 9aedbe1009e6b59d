// The columnar model of a pprof profile (github.com/google/pprof proto/profile.proto). Samples are
// rows of typed-array columns: a stack index into the shared frame/stack prefix tree of
// ./stacks.ts (so equal stacks are stored once) and one value per sample type. The proto's own
// tables (functions, locations, mappings) are kept as columns too, for the table views and the
// details panel; nothing here is one JS object per sample.
//
// 64-bit numbers. The proto's ids, addresses and values are (u)int64:
// - ids are only used while decoding (exact keys; see formats/pprof/decode.ts) and are kept here
//   as BigUint64Array, so nothing depends on them fitting a double;
// - addresses and mapping ranges are BigUint64Array (kernel addresses exceed 2^53);
// - time_nanos, duration_nanos and period are bigint;
// - sample values and numeric label values are float64 columns (what charts and sums need). A
//   value is exact when |v| <= 2^53 (every real profile: 2^53 ns is 104 days of CPU). Beyond that
//   the column holds the nearest double and the exact value is in `bigValues` / `labels.bigNum`;
//   `totals` are summed exactly as bigint whatever the values are.

import type { FrameTable, StackTable } from './stacks';

/** A sample type or the period type: `{type: "cpu", unit: "nanoseconds"}`. */
export interface ValueType {
  type: string;
  unit: string;
}

export interface ProfileSamples {
  /** Stack of each sample, index into `stacks`; -1 for a sample without locations. */
  stack: Int32Array;
  /**
   * Values, row-major: value of sample type t for sample i is `values[i * sampleTypes.length + t]`.
   * Negative values (a `-diff_base` profile) are kept as they are.
   */
  values: Float64Array;
  /** The labels of sample i are rows `labelStart[i]` .. `labelStart[i + 1]` of `labels`. */
  labelStart: Uint32Array;
}

/**
 * Sample labels (pprof.Do, goroutine labels, and numeric labels such as `bytes` in heap
 * profiles), one row per label. A string label has `str >= 0`; a numeric one has `str === -1`.
 */
export interface ProfileLabels {
  length: number;
  /** Label key, index into `strings`. */
  key: Uint32Array;
  /** String value, index into `strings`, or -1 for a numeric label. */
  str: Int32Array;
  /** Numeric value (NaN for a string label); the nearest double beyond 2^53, exact in `bigNum`. */
  num: Float64Array;
  /** Unit of a numeric label (index into `strings`; 0, the empty string, when not given). */
  unit: Uint32Array;
  /** Exact numeric values of the rows whose |num| exceeds 2^53, by row. */
  bigNum: Map<number, bigint>;
}

export interface ProfileFunctions {
  length: number;
  /** The function's id in the profile. */
  id: BigUint64Array;
  /** Name (e.g. `main.(*T).Run`), index into `strings`. */
  name: Uint32Array;
  /** System (mangled) name, index into `strings`. */
  systemName: Uint32Array;
  /** Source file, index into `strings`. */
  file: Uint32Array;
  startLine: Float64Array;
}

export interface ProfileLocations {
  length: number;
  id: BigUint64Array;
  /** Instruction address. */
  address: BigUint64Array;
  /** Index into `mappings`, or -1 (no mapping, or a mapping id the profile does not define). */
  mapping: Int32Array;
  /** 1 when `is_folded` (several addresses folded into one location by a symbolizer). */
  folded: Uint8Array;
  /**
   * The frames of location i are `frameList[frameStart[i]]` .. `frameList[frameStart[i + 1] - 1]`,
   * innermost (inlined callee, the location's first Line) first. A location without lines has one
   * frame named `0x<address>`.
   */
  frameStart: Uint32Array;
  frameList: Uint32Array;
}

/** Bits of `ProfileMappings.flags`. */
export const MAPPING_HAS_FUNCTIONS = 1;
export const MAPPING_HAS_FILENAMES = 2;
export const MAPPING_HAS_LINE_NUMBERS = 4;
export const MAPPING_HAS_INLINE_FRAMES = 8;

export interface ProfileMappings {
  length: number;
  id: BigUint64Array;
  memoryStart: BigUint64Array;
  memoryLimit: BigUint64Array;
  fileOffset: BigUint64Array;
  /** Binary path, index into `strings`. */
  file: Uint32Array;
  buildId: Uint32Array;
  /** MAPPING_HAS_* bits. */
  flags: Uint8Array;
}

export interface ProfileModel {
  kind: 'profile';
  /** Interned strings; `strings[0]` is the empty string. */
  strings: string[];
  sampleTypes: ValueType[];
  /** `default_sample_type` as written in the profile; '' when not set. */
  defaultSampleType: string;
  /**
   * The sample type pprof shows by default: the one named by `default_sample_type` when it names
   * one, else the last (pprof profile.SampleIndexByName("")). -1 when there are no sample types.
   */
  defaultTypeIndex: number;
  sampleCount: number;
  samples: ProfileSamples;
  /** Exact values of the entries of `samples.values` whose magnitude exceeds 2^53, by index. */
  bigValues: Map<number, bigint>;
  /** Sum of each sample type's values over all samples, exact. */
  totals: bigint[];
  labels: ProfileLabels;
  /** Frames (one per Line of a Location, or one per Location without lines) and stacks. */
  frames: FrameTable;
  stacks: StackTable;
  functions: ProfileFunctions;
  locations: ProfileLocations;
  mappings: ProfileMappings;
  /** When the profile was collected, ns since the Unix epoch (0 when unknown). */
  timeNanos: bigint;
  /** How long it covers, ns (0 when unknown). */
  durationNanos: bigint;
  /** Sampling period, in `periodType` units (e.g. 10000000 ns for a 100 Hz CPU profile). */
  period: bigint;
  /** `{type: '', unit: ''}` when the profile has none (as pprof reads it). */
  periodType: ValueType;
  /** Regexps of frames to drop / keep, as the profiler wrote them (not applied here). */
  dropFrames: string;
  keepFrames: string;
  comments: string[];
  docUrl: string;
}

/** The value of sample `i` for sample type `t`. */
export function sampleValue(m: ProfileModel, i: number, t: number): number {
  return m.samples.values[i * m.sampleTypes.length + t] as number;
}

/** The exact value of sample `i` for sample type `t`, as a bigint. */
export function sampleValueExact(m: ProfileModel, i: number, t: number): bigint {
  const k = i * m.sampleTypes.length + t;
  return m.bigValues.get(k) ?? BigInt(m.samples.values[k] as number);
}

/** One label of a sample, for display and filter lists. */
export interface SampleLabel {
  key: string;
  /** The string value, or null for a numeric label. */
  str: string | null;
  num: number;
  unit: string;
}

/** The labels of sample `i` (allocates: for a details panel, not for loops over samples). */
export function sampleLabels(m: ProfileModel, i: number): SampleLabel[] {
  const l = m.labels;
  const out: SampleLabel[] = [];
  const end = m.samples.labelStart[i + 1] as number;
  for (let r = m.samples.labelStart[i] as number; r < end; r++) {
    const str = l.str[r] as number;
    out.push({
      key: m.strings[l.key[r] as number] ?? '',
      str: str >= 0 ? (m.strings[str] ?? '') : null,
      num: l.num[r] as number,
      unit: m.strings[l.unit[r] as number] ?? '',
    });
  }
  return out;
}
