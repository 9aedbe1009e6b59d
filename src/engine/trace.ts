// Queries on one execution trace: spikes.

import { familyInfo } from '../analysis/reasons';
import { findSpikes, type BlockingSpike } from '../analysis/spikes';
import type { QueryContext } from './engine';

export interface SpikeRow extends BlockingSpike {
  /** The family's label, as the page shows it. */
  familyLabel: string;
}

/** The trace's blocking spikes with the default options, highest score first. */
export function spikes(c: QueryContext, p: { trace: string }): SpikeRow[] {
  return findSpikes(c.indexes(p.trace)).map((s) => ({
    ...s,
    familyLabel: familyInfo(s.family).label,
  }));
}
