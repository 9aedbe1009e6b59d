// The spike finder: moments where blocking rises above its usual level, ranked by excess
// blocked goroutine-time (analysis/spikes). Clicking one zooms there, selects its range and
// shows what the goroutines were waiting on (the Blocked flame graph, split by reason).

import { useEffect, useState } from 'react';
import { findSpikes, type BlockingSpike } from '../analysis/spikes';
import { familyInfo } from '../analysis/reasons';
import { formatDuration } from '../base/units';
import type { TraceModel } from '../model/trace';
import { clampRange } from '../render/timeScale';
import { useSession } from './session';

const SHOWN = 6;

export function SpikeList({ trace }: { trace: TraceModel }) {
  // Found after the trace is on screen: the search (indexes per state, series, refinement) takes
  // a moment on large traces and must not hold up the first picture.
  const [spikes, setSpikes] = useState<BlockingSpike[] | null>(null);
  useEffect(() => {
    setSpikes(null);
    const t = setTimeout(() => setSpikes(findSpikes(trace)), 20);
    return () => clearTimeout(t);
  }, [trace]);
  const setView = useSession((s) => s.setView);
  const setSelection = useSession((s) => s.setSelection);
  const setFlame = useSession((s) => s.setFlame);
  const selection = useSession((s) => s.selection);
  const setLanes = useSession((s) => s.setLanes);
  if (spikes === null) {
    return (
      <section className="spikes" aria-label="Blocking spikes" aria-busy="true">
        <h3>Blocking spikes</h3>
        <p className="muted small">Looking for moments where blocking rises…</p>
      </section>
    );
  }
  if (spikes.length === 0) {
    return (
      <section className="spikes" aria-label="Blocking spikes">
        <h3>Blocking spikes</h3>
        <p className="muted small">No moment where blocking rises clearly above its usual level.</p>
      </section>
    );
  }
  const open = (sp: BlockingSpike) => {
    const len = sp.endNs - sp.startNs;
    setView(clampRange(sp.startNs - len * 0.6, sp.endNs + len * 0.6, trace.durationNs));
    setSelection({ startNs: sp.startNs, endNs: sp.endNs });
    // The lanes of the goroutines that piled up, and the Blocked graph of what they waited on.
    const ids = Array.from(sp.goroutines, (g) => trace.goroutines.id[g]!);
    setLanes({ only: new Set(ids), collapsed: {} });
    setFlame({
      source: 'trace:blocked',
      split: 'reason',
      zoom: [],
      compare: null,
      mode: 'flame',
      scope: 'list',
      scopeIds: ids,
      scopeLabel: `of the ${sp.topReason || sp.series} spike`,
    });
  };
  return (
    <section className="spikes" aria-label="Blocking spikes">
      <h3>Blocking spikes</h3>
      <ol>
        {spikes.slice(0, SHOWN).map((sp, i) => {
          const active = selection?.startNs === sp.startNs && selection.endNs === sp.endNs;
          return (
            <li key={i}>
              <button
                type="button"
                className={`spike${active ? ' active' : ''}`}
                onClick={() => open(sp)}
                data-testid="spike"
              >
                <span className="spike-head">
                  <span className={`family fam-${sp.family}`}>{familyInfo(sp.family).label}</span>
                  <span className="spike-reason">{sp.topReason || sp.series}</span>
                </span>
                <span className="spike-facts">
                  {sp.peakCount} goroutines (usually {sp.baseline.toFixed(0)}) ·{' '}
                  {formatDuration(sp.endNs - sp.startNs)} at {formatDuration(sp.startNs)}
                </span>
                {sp.taskNames.length > 0 && (
                  <span className="spike-tasks">
                    during{' '}
                    {sp.taskNames
                      .slice(0, 3)
                      .map((t) => `${t.name}${t.count > 1 ? ` ×${t.count}` : ''}`)
                      .join(', ')}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
