// What the flame graph can show: one source per dropped pprof profile (each with its sample
// types), and (with an execution trace) the trace's own stacks. The flame graph component only
// sees weighted stack sets; this module says where they come from.

import type { ProfileModel } from '../model/profile';
import type { WeightedStackSet } from './flame';
import {
  profileLabels,
  profileStackSet,
  type LabelFilter,
  type LabelSummary,
} from './profileStacks';

export interface FlameSource {
  key: string;
  label: string;
  /** Sample types to switch between (a single entry for derived sources). */
  types: Array<{ type: string; unit: string }>;
  defaultType: number;
  /** A remark shown with the graph (e.g. that pprof samples carry no time). */
  note: string | null;
  /** Sample label keys and values (pprof.Do, goroutine labels) to filter by. */
  labels: LabelSummary[];
  stacks(typeIndex: number, filters?: readonly LabelFilter[]): WeightedStackSet;
  /** Sort key: sources shown first have lower ranks. */
  rank: number;
}

export interface SourceFile {
  id: string;
  name: string;
  profile: ProfileModel | null;
}

/**
 * Which profile to show first: CPU time answers "where did the time go", then contention
 * (mutex, block), then memory, then goroutine counts.
 */
function priority(m: ProfileModel): number {
  const types = m.sampleTypes.map((t) => t.type);
  if (types.includes('cpu') || m.periodType.type === 'cpu') return 0;
  if (types.includes('contentions') || types.includes('delay')) return 1;
  if (types.some((t) => t.startsWith('inuse_') || t.startsWith('alloc_'))) return 2;
  if (types.includes('goroutine') || m.periodType.type === 'goroutine') return 3;
  return 4;
}

export function flameSources(files: readonly SourceFile[]): FlameSource[] {
  const out: FlameSource[] = [];
  for (const f of files) {
    const m = f.profile;
    if (!m || m.sampleTypes.length === 0) continue;
    out.push({
      key: `pprof:${f.id}`,
      label: f.name,
      types: m.sampleTypes.map((t) => ({ type: t.type, unit: t.unit })),
      defaultType: Math.max(0, m.defaultTypeIndex),
      note: null,
      labels: profileLabels(m),
      stacks: (t, filters = []) => profileStackSet(m, t, filters),
      rank: priority(m),
    });
  }
  // Stable: files of equal rank keep the order they were opened in.
  return out.sort((a, b) => a.rank - b.rank);
}
