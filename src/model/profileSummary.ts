// The pprof part of the summary document (testdata/SUMMARY.md), computed from a
// ProfileModel. The reference is github.com/google/pprof/profile as read by the corpus tool.
//
// topFlat / topCum (pprof internal/report, `-top`): for the default sample type,
// - flat: a sample's value goes to the function of the first line of its first location, i.e.
//   the innermost inlined frame: the leaf of the sample's stack;
// - cum: a sample's value goes once to every function on its stack (every line of every
//   location, inlined frames included), even when the function appears several times
//   (recursion); pprof's report does the same ("cum" counts a sample once per node).
// Functions are identified by name; a location without lines is named `0x<address>`. Sorted by
// value descending, ties by name ascending (code point order, as Go compares strings), top 10.
// Functions that got samples of value 0 are listed too (a heap profile's frees leave many).

import { compareCodePoints } from '../base/compare';
import type { ProfileModel } from './profile';

export interface TopEntry {
  name: string;
  value: number;
}

export function summarizeProfile(m: ProfileModel): Record<string, unknown> {
  const t = m.defaultTypeIndex;
  const top = t >= 0 ? topFunctions(m, t, 10) : { flat: [], cum: [] };
  const last = m.sampleTypes[m.sampleTypes.length - 1];
  return {
    format: 'pprof',
    sampleTypes: m.sampleTypes.map(({ type, unit }) => ({ type, unit })),
    // "the profile's default sample type, or the last one"
    defaultSampleType: m.defaultSampleType !== '' ? m.defaultSampleType : (last?.type ?? ''),
    samples: m.sampleCount,
    // JSON numbers: exact up to 2^53, the nearest double beyond (as the reference's JSON reads).
    totals: m.totals.map(Number),
    timeNanos: Number(m.timeNanos),
    durationNanos: Number(m.durationNanos),
    period: Number(m.period),
    periodType: { type: m.periodType.type, unit: m.periodType.unit },
    functions: m.functions.length,
    locations: m.locations.length,
    topFlat: top.flat,
    topCum: top.cum,
  };
}

/**
 * Flat and cum per function name for sample type `t`, the top `limit` of each. Works on distinct
 * stacks: samples are first summed per stack, then each stack is walked once.
 */
export function topFunctions(
  m: ProfileModel,
  t: number,
  limit: number,
): { flat: TopEntry[]; cum: TopEntry[] } {
  const { stacks, frames, strings } = m;
  const types = m.sampleTypes.length;
  const weight = new Float64Array(stacks.length);
  const present = new Uint8Array(stacks.length);
  for (let i = 0; i < m.sampleCount; i++) {
    const s = m.samples.stack[i] as number;
    if (s < 0) continue;
    weight[s] = (weight[s] as number) + (m.samples.values[i * types + t] as number);
    present[s] = 1;
  }
  const flat = new Map<number, number>();
  const cum = new Map<number, number>();
  // The last stack that counted a function: each function once per stack (so once per sample).
  const seen = new Int32Array(strings.length).fill(-1);
  for (let s = 0; s < stacks.length; s++) {
    if (present[s] === 0) continue;
    const w = weight[s] as number;
    const leaf = frames.func[stacks.frame[s] as number] as number;
    flat.set(leaf, (flat.get(leaf) ?? 0) + w);
    for (let k = s; k >= 0; k = stacks.parent[k] as number) {
      const f = frames.func[stacks.frame[k] as number] as number;
      if (seen[f] === s) continue;
      seen[f] = s;
      cum.set(f, (cum.get(f) ?? 0) + w);
    }
  }
  return { flat: topOf(flat, strings, limit), cum: topOf(cum, strings, limit) };
}

function topOf(values: Map<number, number>, strings: string[], limit: number): TopEntry[] {
  const entries: TopEntry[] = [];
  for (const [f, value] of values) entries.push({ name: strings[f] ?? '', value });
  entries.sort((a, b) => b.value - a.value || compareCodePoints(a.name, b.name));
  return entries.slice(0, limit);
}
