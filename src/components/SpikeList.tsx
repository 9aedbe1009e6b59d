// The spike finder: moments where blocking rises above its usual level, ranked by excess
// blocked goroutine-time (analysis/spikes). Clicking one zooms there, selects its range and
// shows what the goroutines were waiting on (the Blocked flame graph, split by reason). Under
// each, who held it up (the engine's `spikeWhy`, asked per spike in the background once the list
// is shown): a click selects the culprit where it held them up and brings its lane into view.

import { previewProgress } from '../store/selectors';
import { formatDuration } from '../base/units';
import type { SpikeRow } from '../engine/trace';
import type { TraceModel } from '../model/trace';
import { clampRange } from '../render/timeScale';
import { useEngineQuery } from './engine';
import { useSession, useSessionStore } from './session';

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
  const store = useSessionStore();
  const decoding = useSession(previewProgress);
  if (spikes === null) {
    return (
      <section className="spikes" aria-label="Blocking spikes" aria-busy="true">
        <h3>Blocking spikes</h3>
        <p className="muted small">
          {decoding !== null
            ? `Found once the whole trace is decoded (${Math.round(decoding * 100)}% so far).`
            : 'Looking for moments where blocking rises…'}
        </p>
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
    // A spike where no goroutine's blocking rose (all blocked as usual) limits nothing.
    const ids = Array.from(sp.goroutines, (g) => trace.goroutines.id[g]!);
    setLanes({ only: ids.length > 0 ? new Set(ids) : null, collapsed: {} });
    setFlame({
      source: 'trace:blocked',
      split: 'reason',
      zoom: [],
      compare: null,
      mode: 'flame',
      scope: ids.length > 0 ? 'list' : 'all',
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
          const reason = sp.topReason || sp.series;
          // The badge names the family; the reason only when it says more ("chan receive").
          const sameAsBadge = reason.toLowerCase() === sp.familyLabel.toLowerCase();
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
                  {!sameAsBadge && <span className="spike-reason">{reason}</span>}
                  <span className="spike-when">
                    {formatDuration(sp.endNs - sp.startNs)} at {formatDuration(sp.startNs)}
                  </span>
                </span>
                <span className="spike-facts">
                  {sp.goroutineCount > 0
                    ? `${sp.goroutineCount} goroutine${sp.goroutineCount === 1 ? '' : 's'} piled up`
                    : "no goroutine's blocking rose"}{' '}
                  (peak {sp.peakCount} waiting, usually {sp.baseline.toFixed(0)})
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
              <SpikeCause
                traceId={traceId}
                index={i}
                empty={sp.goroutineCount === 0}
                onJump={(interval) => {
                  if (!active) open(sp);
                  store.getState().jump({ kind: 'interval', fileId: traceId, interval });
                }}
              />
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** Who held spike `index` up: "held up by G67 main.refreshCache: running 65%", a link. */
function SpikeCause(props: {
  traceId: string;
  index: number;
  empty: boolean;
  onJump(interval: number): void;
}) {
  const { data, error } = useEngineQuery(
    'spikeWhy',
    props.empty ? null : { trace: props.traceId, spike: props.index },
  );
  if (props.empty) return null;
  if (error) return <p className="spike-cause muted">Who held it up could not be found: {error}</p>;
  if (!data) return <p className="spike-cause muted">Finding who held it up…</p>;
  const c = data.causes[0];
  if (!c || !data.text)
    return (
      <p className="spike-cause muted">Nothing to charge: its waits did not end in the trace.</p>
    );
  return (
    <button
      type="button"
      className="spike-cause link"
      title={`${data.text} (${Math.round(c.ns / 1e6)} ms of the ${Math.round(data.blockedNs / 1e6)} ms blocked; click to select G${c.goId} where it held them up)`}
      disabled={c.interval < 0}
      onClick={() => props.onJump(c.interval)}
      data-testid="spike-cause"
    >
      {data.text}
    </button>
  );
}
