// The figures of `go tool trace`'s analysis pages in one plain document, as testdata/ANALYSIS.md
// specifies it (`npm run --silent analyze -- TRACE`): goroutine groups, task and region types with
// their histograms, and the MMU at some window sizes. Made from the same functions the page's
// tables use (goroutineSummary, goroutineGroups, userTasks, mmu).

import type { TraceModel } from '../model/trace';
import { goroutineGroups } from './goroutineGroups';
import { goroutineSummaries } from './goroutineSummary';
import type { TimeHistogram } from './histogram';
import { buildMmuCurve, DEFAULT_MMU_OPTIONS, mmu, mutatorUtilization } from './mmu';
import { regionTypes, taskTypes, userRegions, userTasks } from './userTasks';

/** The MMU windows of the contract's default: 1 ms, 10 ms, 100 ms. */
export const DEFAULT_MMU_WINDOWS_NS: readonly number[] = [1_000_000, 10_000_000, 100_000_000];

/** What Go's goroutine table calls the group of goroutines without a name. */
export const INACTIVE_GROUP_LABEL = '(Inactive, no stack trace sampled)';

export interface AnalysisDocument {
  goroutineGroups: Array<{ startFunction: string; count: number; executionNs: number }>;
  tasks: Array<{
    type: string;
    count: number;
    histogram: { firstBucket: number; counts: number[] };
  }>;
  regions: Array<{
    type: string;
    startFunction: string;
    count: number;
    histogram: { firstBucket: number; counts: number[] };
  }>;
  mmu: Array<{ windowNs: number; utilization: number }>;
}

const hist = (h: TimeHistogram): { firstBucket: number; counts: number[] } => ({
  firstBucket: h.firstBucket,
  counts: h.counts,
});

/** The ANALYSIS.md document of a trace. */
export function analysisDocument(
  m: TraceModel,
  options: { mmuWindowsNs?: readonly number[] } = {},
): AnalysisDocument {
  const s = goroutineSummaries(m);
  const groups = goroutineGroups(m, s);
  const regions = userRegions(m, s);
  const tasks = userTasks(m, regions);
  const curve = buildMmuCurve(mutatorUtilization(m, DEFAULT_MMU_OPTIONS));
  return {
    goroutineGroups: groups.map((g) => ({
      startFunction: g.name === '' ? INACTIVE_GROUP_LABEL : g.name,
      count: g.count,
      executionNs: g.execNs,
    })),
    tasks: taskTypes(m, tasks).map((t) => ({
      type: t.type,
      count: t.count,
      histogram: hist(t.histogram),
    })),
    regions: regionTypes(m, regions).map((r) => ({
      type: r.type,
      startFunction: r.startFunction,
      count: r.count,
      histogram: hist(r.histogram),
    })),
    mmu: (options.mmuWindowsNs ?? DEFAULT_MMU_WINDOWS_NS).map((w) => ({
      windowNs: w,
      utilization: mmu(curve, w),
    })),
  };
}
