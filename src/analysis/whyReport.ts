// The document of `npm run why` (testdata/WHY.md): blocking spikes with who held them up, or one
// window's charge, as plain JSON. Goroutines are Go's IDs here (the page uses indexes).

import { GS_SYSCALL, GS_WAITING, type TraceModel } from '../model/trace';
import { traceIndexes, type StateIndex } from './traceIndex';
import { findSpikes } from './spikes';
import { buildWhyIndexes, whyCharge, type WhyCharge, type WhyIndexes } from './why';

export interface WhyReportOptions {
  /** A window (ns since the trace's first event): both or neither. */
  fromNs?: number | null;
  toNs?: number | null;
  /** Only waits of this reason (window), or only spikes of this reason (spikes). */
  reason?: string | null;
  /** Causes per spike (default 10; 0 for all). */
  causes?: number;
}

export interface WhyReportCause {
  /** Go's goroutine ID. */
  goroutine: number;
  startFunction: string;
  state: string;
  ns: number;
  share: number;
  /** Heaviest stack, leaf first. */
  stack: string[];
  /** The function the cause is named by (why.ts causeFunction). */
  function: string;
}

export interface WhyReportSpike {
  reason: string;
  startNs: number;
  endNs: number;
  /** Goroutines of the spike (those whose blocking rose), or blocked in the window. */
  goroutines: number;
  blockedNs: number;
  /** The spike's excess over its usual level (null for a window). */
  excessNs: number | null;
  causes: WhyReportCause[];
  /**
   * Only when the charge ran out of steps (why.ts WhyCharge.budgetNs): the blocked ns it charged
   * to waits as their own where it stopped following wakers. The causes are then approximate.
   */
  budgetNs?: number;
}

export interface WhyReport {
  spikes: WhyReportSpike[];
}

export function whyReport(
  m: TraceModel,
  options: WhyReportOptions = {},
  idx: WhyIndexes = buildWhyIndexes(m),
): WhyReport {
  const limit = options.causes ?? 10;
  const reason = options.reason ?? null;
  const from = options.fromNs ?? null;
  const to = options.toNs ?? null;
  if (from !== null && to !== null) {
    const ch = whyCharge(
      m,
      {
        kind: 'window',
        startNs: from,
        endNs: to,
        reasons: reason === null ? null : { reasons: [reason] },
      },
      idx,
      { maxCauses: limit > 0 ? limit : Infinity },
    );
    return { spikes: [spikeJson(ch, reason ?? '', null, ch.goroutines.length, limit)] };
  }
  const spikes: WhyReportSpike[] = [];
  // The spikes read the same waiting (and syscall) index the charge does.
  const known: Record<number, StateIndex> = { [GS_WAITING]: idx.waiting };
  if (idx.syscall) known[GS_SYSCALL] = idx.syscall;
  for (const spike of findSpikes(traceIndexes(m, known))) {
    if (reason !== null && spike.topReason !== reason) continue;
    const ch = whyCharge(m, { kind: 'spike', spike }, idx, {
      maxCauses: limit > 0 ? limit : Infinity,
    });
    spikes.push(spikeJson(ch, spike.topReason, spike.excessNs, spike.goroutineCount, limit));
  }
  return { spikes };
}

function spikeJson(
  ch: WhyCharge,
  reason: string,
  excessNs: number | null,
  goroutines: number,
  limit: number,
): WhyReportSpike {
  const causes = limit > 0 ? ch.causes.slice(0, limit) : ch.causes;
  const spike: WhyReportSpike = {
    reason,
    startNs: Math.round(ch.startNs),
    endNs: Math.round(ch.endNs),
    goroutines,
    blockedNs: Math.round(ch.blockedNs),
    excessNs: excessNs === null ? null : Math.round(excessNs),
    causes: causes.map((c) => ({
      goroutine: c.goId,
      startFunction: c.startFunction,
      state: c.state,
      ns: c.ns,
      share: Math.round(c.share * 1e4) / 1e4,
      stack: c.stack,
      function: c.function,
    })),
  };
  if (ch.budgetNs > 0) spike.budgetNs = Math.round(ch.budgetNs);
  return spike;
}
