// What the flame graph can show, each a tab: with an execution trace, the stacks of the selected
// time range (CPU samples; Blocked, weighted by waiting ns inside the range and split by reason;
// Scheduler wait; Syscall), and every dropped pprof profile with its sample types. The flame
// graph component only sees weighted stack sets; this module says where they come from.
//
// Stack sets are memoized in the memo of the file they come from (the caller's: the engine gives
// each file its own, freed with it), keyed by what decides them; trees over a set are keyed by
// the set's key (flameView.ts).

import { stableJson } from '../base/json';
import { noMemo, type Memo } from '../base/lru';
import type { ProfileModel } from '../model/profile';
import type { TraceModel } from '../model/trace';
import type { WeightedStackSet } from './flame';
import {
  profileLabels,
  profileStackSet,
  type LabelFilter,
  type LabelSummary,
} from './profileStacks';
import { RootedStacks } from './stackRoots';
import { causeStackSet, whyCharge, type WhyIndexes } from './why';
import {
  traceStackSet,
  type RangeStacks,
  type ReasonSplit,
  type TraceStackSource,
} from './traceStacks';

export interface SourceContext {
  filters?: readonly LabelFilter[];
  /** The time range (trace axis, ns) range-following sources use. */
  range?: { startNs: number; endNs: number } | null;
  /** Goroutine indexes to keep (range-following sources), or null for all. */
  goroutines?: Int32Array | null;
  /**
   * What `goroutines` are, as a string (e.g. the scope's JSON), so sets over them can be memoized;
   * without it a set over a subset is computed every time.
   */
  goroutinesKey?: string;
  /** Blocked and scheduler wait: a root frame per reason. */
  split?: ReasonSplit;
}

export interface FlameSource {
  key: string;
  label: string;
  /** Sample types to switch between (a single entry for trace sources). */
  types: Array<{ type: string; unit: string }>;
  defaultType: number;
  /** A remark shown with the graph (e.g. that pprof samples carry no time). */
  note: string | null;
  /** Sample label keys and values (pprof.Do, goroutine labels) to filter by. */
  labels: LabelSummary[];
  /** The source follows the timeline's time range (selection, else view). */
  ranged: boolean;
  /** Whether reason splitting applies. */
  splittable: boolean;
  stacks(typeIndex: number, ctx?: SourceContext): WeightedStackSet;
  /** What decides `stacks(typeIndex, ctx)`, as a memo key; null when it cannot be named. */
  setKey(typeIndex: number, ctx?: SourceContext): string | null;
  /** The memo of the file the stacks come from (trees over them are kept there too). */
  memo: Memo;
  /** Sort key: sources shown first have lower ranks. */
  rank: number;
}

export interface SourceFile {
  id: string;
  name: string;
  profile: ProfileModel | null;
  trace?: TraceModel | null;
  /** The trace's range-stack state (traceStacks.ts), owned by the caller with the model. */
  rangeStacks?: RangeStacks | null;
  /** The trace's why indexes (why.ts), made when the Cause source is first read. */
  why?: (() => WhyIndexes) | null;
}

/**
 * Which profile to show first: CPU time answers "where did the time go", then contention
 * (mutex, block), then memory, then goroutine counts.
 */
function priority(m: ProfileModel): number {
  const types = m.sampleTypes.map((t) => t.type);
  if (types.includes('cpu') || m.periodType.type === 'cpu') return 10;
  if (types.includes('contentions') || types.includes('delay')) return 11;
  if (types.some((t) => t.startsWith('inuse_') || t.startsWith('alloc_'))) return 12;
  if (types.includes('goroutine') || m.periodType.type === 'goroutine') return 13;
  return 14;
}

const TRACE_SOURCES: Array<{
  source: TraceStackSource;
  label: string;
  type: string;
  unit: string;
  rank: number;
}> = [
  { source: 'cpu', label: 'CPU (trace samples)', type: 'samples', unit: 'count', rank: 0 },
  { source: 'blocked', label: 'Blocked', type: 'waiting time', unit: 'nanoseconds', rank: 1 },
  { source: 'sched', label: 'Scheduler wait', type: 'runnable time', unit: 'nanoseconds', rank: 2 },
  { source: 'syscall', label: 'Syscall', type: 'syscall time', unit: 'nanoseconds', rank: 3 },
];

/**
 * "Cause" (issue 15): for the range and goroutines in scope, the blocked intervals charged to
 * what held them up (why.ts), as the culprits' stacks weighted by the blocked time they caused,
 * a root frame per culprit state ("running", "waiting (sync)", ...): `causeStackSet`. Every wait
 * reason of the goroutines in scope counts, as in Blocked.
 */
function causeSource(trace: TraceModel, why: () => WhyIndexes, memo: Memo): FlameSource {
  const range = (ctx: SourceContext) => ctx.range ?? { startNs: 0, endNs: trace.durationNs };
  const setKey = (_type: number, ctx: SourceContext = {}): string | null => {
    const g = ctx.goroutines ? (ctx.goroutinesKey ?? null) : 'all';
    if (g === null) return null;
    const r = range(ctx);
    return stableJson(['cause-set', r.startNs, r.endNs, g]);
  };
  const build = (ctx: SourceContext): WeightedStackSet => {
    const r = range(ctx);
    const charge = whyCharge(
      trace,
      { kind: 'window', startNs: r.startNs, endNs: r.endNs, goroutines: ctx.goroutines ?? null },
      why(),
      { maxCauses: 0 },
    );
    return causeStackSet(
      trace,
      charge,
      memo('causeRooted', () => new RootedStacks(trace)),
    );
  };
  return {
    key: 'trace:cause',
    label: 'Cause',
    types: [{ type: 'blocked time caused', unit: 'nanoseconds' }],
    defaultType: 0,
    note: null,
    labels: [],
    ranged: true,
    splittable: false,
    // After Blocked: what held the blocked goroutines up, beside what they waited on.
    rank: 1.5,
    memo,
    setKey,
    stacks: (type, ctx = {}) => {
      const key = setKey(type, ctx);
      return key === null ? build(ctx) : memo(key, () => build(ctx));
    },
  };
}

/**
 * The sources of a session's files. `memoOf(fileId)` is the memo for derived data of that file
 * (the engine's per-file memo; default: none, every set computed when asked).
 */
export function flameSources(
  files: readonly SourceFile[],
  memoOf: (fileId: string) => Memo = () => noMemo,
): FlameSource[] {
  const out: FlameSource[] = [];
  const traceFile = files.find((f) => f.trace && f.rangeStacks);
  const trace = traceFile?.trace ?? null;
  const rs = traceFile?.rangeStacks ?? null;
  if (trace && rs && traceFile) {
    const memo = memoOf(traceFile.id);
    for (const t of TRACE_SOURCES) {
      if (t.source === 'cpu' && trace.cpuSamples.length === 0) continue;
      const split = (ctx: SourceContext): ReasonSplit =>
        t.source === 'blocked' || t.source === 'sched' ? (ctx.split ?? 'none') : 'none';
      const range = (ctx: SourceContext) => ctx.range ?? { startNs: 0, endNs: trace.durationNs };
      const setKey = (_type: number, ctx: SourceContext = {}): string | null => {
        const g = ctx.goroutines ? (ctx.goroutinesKey ?? null) : 'all';
        if (g === null) return null;
        const r = range(ctx);
        return stableJson(['trace-set', t.source, r.startNs, r.endNs, g, split(ctx)]);
      };
      const build = (ctx: SourceContext): WeightedStackSet => {
        const r = range(ctx);
        return traceStackSet(rs, t.source, r.startNs, r.endNs, {
          goroutines: ctx.goroutines ?? null,
          split: split(ctx),
        });
      };
      out.push({
        key: `trace:${t.source}`,
        label: t.label,
        types: [{ type: t.type, unit: t.unit }],
        defaultType: 0,
        note: null,
        labels: [],
        ranged: true,
        splittable: t.source === 'blocked' || t.source === 'sched',
        rank: t.rank,
        memo,
        setKey,
        stacks: (type, ctx = {}) => {
          const key = setKey(type, ctx);
          return key === null ? build(ctx) : memo(key, () => build(ctx));
        },
      });
    }
    const why = traceFile.why;
    if (why) out.push(causeSource(trace, why, memo));
  }
  for (const f of files) {
    const m = f.profile;
    if (!m || m.sampleTypes.length === 0) continue;
    const memo = memoOf(f.id);
    const setKey = (t: number, ctx: SourceContext = {}): string =>
      stableJson(['profile-set', t, ctx.filters ?? []]);
    out.push({
      key: `pprof:${f.id}`,
      label: f.name,
      types: m.sampleTypes.map((t) => ({ type: t.type, unit: t.unit })),
      defaultType: Math.max(0, m.defaultTypeIndex),
      note: trace
        ? `${f.name} is a whole profile: pprof samples carry no time, so it does not follow the selected range.`
        : null,
      labels: memo('labels', () => profileLabels(m)),
      ranged: false,
      splittable: false,
      memo,
      setKey,
      stacks: (t, ctx = {}) => memo(setKey(t, ctx), () => profileStackSet(m, t, ctx.filters ?? [])),
      rank: priority(m),
    });
  }
  // Stable: files of equal rank keep the order they were opened in.
  return out.sort((a, b) => a.rank - b.rank);
}
