// The goroutine table: goroutines grouped by start function (Go's /goroutines page, Go
// src/cmd/trace/goroutines.go, go1.27: GoroutinesHandlerFunc groups GoroutineSummary by Name and
// sorts by total execution time), with what Go's per-group page breaks down (GoroutineHandler:
// execution, scheduler wait, syscall, block time per reason, unknown time, special ranges), plus
// per-goroutine minimum / mean / maximum and small duration histograms for each group, and the
// rows of a group's goroutines for expanding it.
//
// Block time is given per reason string, as Go's columns ("Block time (chan receive)"), and per
// reason family (reasons.ts: sync, channel, select, network, sleep, GC, ...), as the timeline
// colours them. Everything is plain data; the input is goroutineSummaries(), whole-trace or for a
// time range.

import type { TraceModel } from '../model/trace';
import type { GoroutineSummaries } from './goroutineSummary';
import { HistogramBuilder, type TimeHistogram } from './histogram';
import { familiesOf, REASON_FAMILIES, type ReasonFamily } from './reasons';

/** Minimum, mean and maximum of a per-goroutine figure over a group (ns). */
export interface SpreadNs {
  min: number;
  mean: number;
  max: number;
}

export interface ReasonTime {
  reason: string;
  ns: number;
}

export interface FamilyTime {
  family: ReasonFamily;
  ns: number;
}

export interface NamedTime {
  name: string;
  ns: number;
}

export interface GoroutineGroup {
  /** Start function (Go's GoroutineSummary.Name); "" is Go's "(Inactive, no stack trace sampled)". */
  name: string;
  count: number;
  /** Member goroutine indexes, ascending. */
  goroutines: Int32Array;
  totalNs: number;
  execNs: number;
  schedWaitNs: number;
  syscallNs: number;
  syscallBlockNs: number;
  blockNs: number;
  unknownNs: number;
  /** Block time per wait reason (Go's "Block time (reason)" columns), largest first. */
  blockByReason: ReasonTime[];
  /** Block time per reason family, largest first (families with time only). */
  blockByFamily: FamilyTime[];
  /** Go's special ranges (GC mark assist, sweeps, stop-the-world), largest first. */
  rangeTime: NamedTime[];
  /** Per-goroutine spread of the main figures. */
  perGoroutine: {
    total: SpreadNs;
    exec: SpreadNs;
    schedWait: SpreadNs;
    block: SpreadNs;
    syscall: SpreadNs;
  };
  /** Histograms of the members' execution time and of their total (lifetime in the range). */
  execHistogram: TimeHistogram;
  totalHistogram: TimeHistogram;
}

class Spread {
  min = Infinity;
  max = -Infinity;
  sum = 0;
  add(v: number): void {
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.sum += v;
  }
  finish(n: number): SpreadNs {
    return n === 0
      ? { min: 0, mean: 0, max: 0 }
      : { min: this.min, mean: this.sum / n, max: this.max };
  }
}

/**
 * The groups of listed goroutines by start function, sorted as Go sorts its table: by total
 * execution time, largest first (ties by name).
 */
export function goroutineGroups(m: TraceModel, s: GoroutineSummaries): GoroutineGroup[] {
  const byName = new Map<number, number[]>();
  for (let g = 0; g < s.length; g++) {
    if (!s.listed[g]) continue;
    const k = s.name[g] as number;
    let list = byName.get(k);
    if (!list) byName.set(k, (list = []));
    list.push(g);
  }
  const families = familiesOf(m.reasons);
  const out: GoroutineGroup[] = [];
  for (const [k, members] of byName) {
    out.push(groupOf(m, s, k < 0 ? '' : (m.strings[k] ?? ''), Int32Array.from(members), families));
  }
  out.sort((a, b) => b.execNs - a.execNs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

/** The figures of one set of goroutines (a group, or any subset the caller picks). */
export function groupOf(
  m: TraceModel,
  s: GoroutineSummaries,
  name: string,
  goroutines: Int32Array,
  families: Uint8Array = familiesOf(m.reasons),
): GoroutineGroup {
  let total = 0;
  let exec = 0;
  let sched = 0;
  let syscall = 0;
  let syscallBlock = 0;
  let block = 0;
  let unknown = 0;
  const byReason = new Map<number, number>();
  const byFamily = new Float64Array(REASON_FAMILIES.length);
  const byRange = new Map<number, number>();
  const sp = {
    total: new Spread(),
    exec: new Spread(),
    schedWait: new Spread(),
    block: new Spread(),
    syscall: new Spread(),
  };
  const execH = new HistogramBuilder();
  const totalH = new HistogramBuilder();
  for (let k = 0; k < goroutines.length; k++) {
    const g = goroutines[k] as number;
    const t = s.totalNs[g] as number;
    const e = s.execNs[g] as number;
    const w = s.schedWaitNs[g] as number;
    const sc = (s.syscallNs[g] as number) + (s.syscallBlockNs[g] as number);
    const b = s.blockNs[g] as number;
    total += t;
    exec += e;
    sched += w;
    syscall += s.syscallNs[g] as number;
    syscallBlock += s.syscallBlockNs[g] as number;
    block += b;
    unknown += s.unknownNs[g] as number;
    sp.total.add(t);
    sp.exec.add(e);
    sp.schedWait.add(w);
    sp.block.add(b);
    sp.syscall.add(sc);
    execH.add(e);
    totalH.add(t);
    for (let j = s.blockStart[g] as number; j < (s.blockStart[g + 1] as number); j++) {
      const r = s.blockReason[j] as number;
      const d = s.blockReasonNs[j] as number;
      byReason.set(r, (byReason.get(r) ?? 0) + d);
      const f = families[r] as number;
      byFamily[f] = (byFamily[f] as number) + d;
    }
    for (let j = s.rangeStart[g] as number; j < (s.rangeStart[g + 1] as number); j++) {
      const r = s.rangeName[j] as number;
      byRange.set(r, (byRange.get(r) ?? 0) + (s.rangeNs[j] as number));
    }
  }
  const n = goroutines.length;
  const blockByReason = [...byReason]
    .map(([r, ns]) => ({ reason: m.reasons[r] ?? '', ns }))
    .sort((a, b) => b.ns - a.ns || (a.reason < b.reason ? -1 : 1));
  const blockByFamily: FamilyTime[] = [];
  byFamily.forEach((ns, f) => {
    if (ns > 0) blockByFamily.push({ family: (REASON_FAMILIES[f] ?? REASON_FAMILIES[0]!).id, ns });
  });
  blockByFamily.sort((a, b) => b.ns - a.ns);
  const rangeTime = [...byRange]
    .map(([r, ns]) => ({ name: s.rangeNames[r] ?? '', ns }))
    .sort((a, b) => b.ns - a.ns || (a.name < b.name ? -1 : 1));
  return {
    name,
    count: n,
    goroutines,
    totalNs: total,
    execNs: exec,
    schedWaitNs: sched,
    syscallNs: syscall,
    syscallBlockNs: syscallBlock,
    blockNs: block,
    unknownNs: unknown,
    blockByReason,
    blockByFamily,
    rangeTime,
    perGoroutine: {
      total: sp.total.finish(n),
      exec: sp.exec.finish(n),
      schedWait: sp.schedWait.finish(n),
      block: sp.block.finish(n),
      syscall: sp.syscall.finish(n),
    },
    execHistogram: execH.finish(),
    totalHistogram: totalH.finish(),
  };
}

/** One goroutine of an expanded group: Go's per-goroutine breakdown row. */
export interface GoroutineRow {
  /** Goroutine index in the model. */
  g: number;
  /** Go's goroutine ID. */
  id: number;
  name: string;
  creationNs: number;
  /** First time it ran (NaN: never). */
  startNs: number;
  /** Its end (NaN: alive at the trace's end). */
  endNs: number;
  totalNs: number;
  execNs: number;
  schedWaitNs: number;
  syscallNs: number;
  syscallBlockNs: number;
  blockNs: number;
  unknownNs: number;
  blockByReason: ReasonTime[];
  rangeTime: NamedTime[];
}

export type GoroutineSortKey =
  'total' | 'exec' | 'schedWait' | 'syscall' | 'syscallBlock' | 'block' | 'unknown' | 'id';

/**
 * Rows of some goroutines (a group's `goroutines`), sorted by `sortBy` descending (Go's default:
 * total time; 'id' ascending), at most `limit` of them.
 */
export function goroutineRows(
  m: TraceModel,
  s: GoroutineSummaries,
  goroutines: ArrayLike<number>,
  options: { sortBy?: GoroutineSortKey; limit?: number } = {},
): GoroutineRow[] {
  const key = options.sortBy ?? 'total';
  const col: Float64Array | null =
    key === 'id'
      ? null
      : key === 'total'
        ? s.totalNs
        : key === 'exec'
          ? s.execNs
          : key === 'schedWait'
            ? s.schedWaitNs
            : key === 'syscall'
              ? s.syscallNs
              : key === 'syscallBlock'
                ? s.syscallBlockNs
                : key === 'block'
                  ? s.blockNs
                  : s.unknownNs;
  const order = Array.from(goroutines);
  const ids = m.goroutines.id;
  if (col === null) order.sort((a, b) => (ids[a] as number) - (ids[b] as number));
  else
    order.sort(
      (a, b) => (col[b] as number) - (col[a] as number) || (ids[a] as number) - (ids[b] as number),
    );
  const limit = Math.min(order.length, options.limit ?? order.length);
  const rows: GoroutineRow[] = [];
  for (let k = 0; k < limit; k++) {
    const g = order[k] as number;
    const blockByReason: ReasonTime[] = [];
    for (let j = s.blockStart[g] as number; j < (s.blockStart[g + 1] as number); j++) {
      blockByReason.push({
        reason: m.reasons[s.blockReason[j] as number] ?? '',
        ns: s.blockReasonNs[j] as number,
      });
    }
    const rangeTime: NamedTime[] = [];
    for (let j = s.rangeStart[g] as number; j < (s.rangeStart[g + 1] as number); j++) {
      rangeTime.push({
        name: s.rangeNames[s.rangeName[j] as number] ?? '',
        ns: s.rangeNs[j] as number,
      });
    }
    const nm = s.name[g] as number;
    rows.push({
      g,
      id: ids[g] as number,
      name: nm < 0 ? '' : (m.strings[nm] ?? ''),
      creationNs: s.creationNs[g] as number,
      startNs: s.startNs[g] as number,
      endNs: s.endNs[g] as number,
      totalNs: s.totalNs[g] as number,
      execNs: s.execNs[g] as number,
      schedWaitNs: s.schedWaitNs[g] as number,
      syscallNs: s.syscallNs[g] as number,
      syscallBlockNs: s.syscallBlockNs[g] as number,
      blockNs: s.blockNs[g] as number,
      unknownNs: s.unknownNs[g] as number,
      blockByReason,
      rangeTime,
    });
  }
  return rows;
}
