// The spike finder: moments where blocking rises above its usual level, ranked by excess
// blocked goroutine-time (analysis/spikes). Clicking one zooms there, selects its range and
// shows what the goroutines were waiting on (the Blocked flame graph, split by reason).

import { formatDuration } from '../base/units';
import type { SpikeRow } from '../engine/trace';
import type { TraceModel } from '../model/trace';
import { clampRange } from '../render/timeScale';
import { useEngineQuery } from './engine';
import { useSession } from './session';

const SHOWN = 6;

export function SpikeList({ trace, traceId }: { trace: TraceModel; traceId: string }) {
  // Found by the engine while the page shows the trace (indexes per state, series, refinement:
  // a moment on large traces).
  const { data } = useEngineQuery('spikes', { trace: traceId });
  const spikes = data;
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
  const open = (sp: SpikeRow) => {
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
                  <span className={`family fam-${sp.family}`}>{sp.familyLabel}</span>
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
