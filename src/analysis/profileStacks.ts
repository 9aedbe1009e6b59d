// A pprof profile as a weighted stack set for the flame graph, one sample type at a time (the
// sample type switcher: cpu/samples, alloc/inuse objects and space, contentions/delay, goroutine
// counts), with label filters (pprof -tagfocus / -tagignore): string labels by value, numeric
// labels by range.

import type { ProfileModel } from '../model/profile';
import type { WeightedStackSet } from './flame';

export interface LabelFilter {
  key: string;
  /** For string labels: the sample matches when one of its values for `key` is listed. */
  values?: readonly string[];
  /** For numeric labels: the sample matches when one of its values lies in [min, max]. */
  min?: number;
  max?: number;
  /** Drop matching samples instead of keeping them (pprof -tagignore). */
  exclude?: boolean;
}

/**
 * The samples of `m` weighted by sample type `typeIndex` (default: the profile's default type).
 * A sample is kept when it passes every filter; left-out samples get stack -1.
 */
export function profileStackSet(
  m: ProfileModel,
  typeIndex = m.defaultTypeIndex,
  filters: readonly LabelFilter[] = [],
): WeightedStackSet {
  return buildProfileStackSet(m, typeIndex, filters);
}

function buildProfileStackSet(
  m: ProfileModel,
  typeIndex: number,
  filters: readonly LabelFilter[],
): WeightedStackSet {
  const n = m.sampleCount;
  const types = m.sampleTypes.length;
  if (typeIndex < 0 || typeIndex >= types) {
    if (n > 0) throw new RangeError(`sample type ${typeIndex} out of range (${types} types)`);
  }
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = m.samples.values[i * types + typeIndex]!;
  let sampleStacks = m.samples.stack;
  if (filters.length > 0) {
    sampleStacks = sampleStacks.slice();
    const compiled = filters.map((f) => compileFilter(m, f));
    for (let i = 0; i < n; i++) {
      for (const f of compiled) {
        if (f.matches(i) === f.exclude) {
          sampleStacks[i] = -1;
          break;
        }
      }
    }
  }
  return { frames: m.frames, stacks: m.stacks, strings: m.strings, sampleStacks, weights };
}

function compileFilter(
  m: ProfileModel,
  f: LabelFilter,
): { matches: (i: number) => boolean; exclude: boolean } {
  const keyIndex = m.strings.indexOf(f.key);
  const wanted = new Set<number>();
  for (const v of f.values ?? []) {
    const s = m.strings.indexOf(v);
    if (s >= 0) wanted.add(s);
  }
  const numeric = f.values === undefined;
  const min = f.min ?? -Infinity;
  const max = f.max ?? Infinity;
  const { labels } = m;
  const start = m.samples.labelStart;
  return {
    exclude: f.exclude ?? false,
    matches: (i) => {
      if (keyIndex < 0) return false;
      for (let r = start[i]!; r < start[i + 1]!; r++) {
        if (labels.key[r] !== keyIndex) continue;
        const str = labels.str[r]!;
        if (numeric) {
          if (str < 0 && labels.num[r]! >= min && labels.num[r]! <= max) return true;
        } else if (str >= 0 && wanted.has(str)) return true;
      }
      return false;
    },
  };
}

export interface LabelSummary {
  key: string;
  /** String labels: each value with the number of samples that carry it, most common first. */
  values: Array<{ value: string; samples: number }>;
  /** Numeric labels: how many samples carry one, the range and the unit(s) seen. */
  numeric: { samples: number; min: number; max: number; units: string[] } | null;
}

/** The label keys of a profile and their values, for a filter picker. */
export function profileLabels(m: ProfileModel): LabelSummary[] {
  const byKey = new Map<
    number,
    { values: Map<number, number>; n: number; min: number; max: number; units: Set<number> }
  >();
  const { labels } = m;
  for (let r = 0; r < labels.length; r++) {
    const k = labels.key[r]!;
    let e = byKey.get(k);
    if (!e) {
      e = { values: new Map(), n: 0, min: Infinity, max: -Infinity, units: new Set() };
      byKey.set(k, e);
    }
    const str = labels.str[r]!;
    if (str >= 0) e.values.set(str, (e.values.get(str) ?? 0) + 1);
    else {
      const v = labels.num[r]!;
      e.n++;
      if (v < e.min) e.min = v;
      if (v > e.max) e.max = v;
      e.units.add(labels.unit[r]!);
    }
  }
  const out: LabelSummary[] = [];
  for (const [k, e] of byKey) {
    out.push({
      key: m.strings[k] ?? '',
      values: [...e.values]
        .map(([s, samples]) => ({ value: m.strings[s] ?? '', samples }))
        .sort((a, b) => b.samples - a.samples || (a.value < b.value ? -1 : 1)),
      numeric:
        e.n > 0
          ? {
              samples: e.n,
              min: e.min,
              max: e.max,
              units: [...e.units].map((u) => m.strings[u] ?? ''),
            }
          : null,
    });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
