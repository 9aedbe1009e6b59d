// Minimum mutator utilization (Go's /mmu page, without its chart library from the net): the MMU
// curve on a log window axis from 1 µs to the trace's length, with go tool trace's options (what
// counts against the mutator: stop-the-world, background mark workers, mark assists, sweeping;
// system-wide or per P), and the worst windows of a chosen size, each a click from its place on
// the timeline. Drawn as SVG from the engine's points (engine/analysis.ts mmuCurve, mmuWorst).

import { useState } from 'react';
import { DEFAULT_MMU_FLAGS, MMU_POINTS } from '../../base/analysisParams';
import { formatDuration } from '../../base/units';
import type { MmuFlags } from '../../engine/analysis';
import type { TraceModel } from '../../model/trace';
import { useEngineQuery } from '../engine';
import { useSession } from '../session';
import { zoomTo } from './actions';

const W = 640;
const H = 240;
const PAD = { left: 44, right: 12, top: 12, bottom: 30 };

const OPTIONS: Array<{ key: keyof Omit<MmuFlags, 'perProc'>; label: string; title: string }> = [
  { key: 'stw', label: 'STW', title: 'Stop-the-world pauses count against the mutator' },
  { key: 'background', label: 'Background workers', title: 'GC background mark workers' },
  { key: 'assist', label: 'Mark assist', title: 'Mark assists by user goroutines' },
  { key: 'sweep', label: 'Sweep', title: 'Sweeping' },
];

export function MmuView({ traceId, trace }: { traceId: string; trace: TraceModel }) {
  const [flags, setFlags] = useState<MmuFlags>({ ...DEFAULT_MMU_FLAGS });
  const [windowNs, setWindowNs] = useState(() => Math.min(1e6, Math.max(1000, trace.durationNs)));
  const [hover, setHover] = useState<number | null>(null);
  const setView = useSession((s) => s.setView);
  const setSelection = useSession((s) => s.setSelection);
  const setLanes = useSession((s) => s.setLanes);
  const setFlame = useSession((s) => s.setFlame);
  const curve = useEngineQuery('mmuCurve', { trace: traceId, flags, points: MMU_POINTS });
  const worst = useEngineQuery('mmuWorst', { trace: traceId, flags, windowNs, count: 10 });
  const c = curve.data;
  const lo = Math.log10(1000);
  const hi = Math.log10(Math.max(2000, trace.durationNs));
  const px = (w: number) =>
    PAD.left + ((Math.log10(Math.max(1000, w)) - lo) / (hi - lo)) * (W - PAD.left - PAD.right);
  const py = (u: number) => PAD.top + (1 - u) * (H - PAD.top - PAD.bottom);
  const windowAt = (x: number) =>
    Math.round(Math.pow(10, lo + ((x - PAD.left) / (W - PAD.left - PAD.right)) * (hi - lo)));
  const ticks: number[] = [];
  for (let e = 3; e <= Math.floor(hi + 1e-9); e++) ticks.push(Math.pow(10, e));
  const points =
    c && !c.empty
      ? Array.from(c.windowNs, (w, i) => `${px(w).toFixed(1)},${py(c.utilization[i]!).toFixed(1)}`)
      : [];
  const hoverIndex = hover !== null && c ? nearest(c.windowNs, hover) : -1;
  const set = (key: keyof MmuFlags, v: boolean) => setFlags((f) => ({ ...f, [key]: v }));
  const cut = c && !c.empty && c.endNs < trace.durationNs * 0.95;
  return (
    <div className="analysis-view mmu-view" data-testid="mmu-view">
      <div className="analysis-toolbar">
        {OPTIONS.map((o) => (
          <label key={o.key} title={o.title}>
            <input
              type="checkbox"
              checked={flags[o.key]}
              onChange={(e) => set(o.key, e.currentTarget.checked)}
            />{' '}
            {o.label}
          </label>
        ))}
        <label title="One utilization for the whole system (Go's default), or per P">
          <select
            value={flags.perProc ? 'p' : 's'}
            onChange={(e) => set('perProc', e.currentTarget.value === 'p')}
          >
            <option value="s">System</option>
            <option value="p">Per P</option>
          </select>
        </label>
        {(curve.pending || worst.pending) && <span className="muted">computing…</span>}
      </div>
      {cut && (
        <p className="panel-note">
          As in go tool trace, the utilization ends at {formatDuration(c.endNs)}: Go counts a GC
          mark worker again at every start after its first, so from then on every P counts as doing
          GC. Windows past that point are not measured.
        </p>
      )}
      <div className="mmu-body">
        <svg
          className="mmu-chart"
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label="Minimum mutator utilization by window size"
          data-testid="mmu-chart"
          onPointerMove={(e) => setHover(windowAt(svgX(e)))}
          onPointerLeave={() => setHover(null)}
          onClick={(e) => {
            const w = windowAt(svgX(e));
            if (w >= 1000 && w <= trace.durationNs) setWindowNs(w);
          }}
        >
          <rect
            x={PAD.left}
            y={PAD.top}
            width={W - PAD.left - PAD.right}
            height={H - PAD.top - PAD.bottom}
            className="mmu-frame"
          />
          {[0, 0.25, 0.5, 0.75, 1].map((u) => (
            <g key={u}>
              <line x1={PAD.left} x2={W - PAD.right} y1={py(u)} y2={py(u)} className="mmu-grid" />
              <text x={PAD.left - 6} y={py(u) + 4} textAnchor="end" className="mmu-label">
                {Math.round(u * 100)}%
              </text>
            </g>
          ))}
          {ticks.map((t) => (
            <g key={t}>
              <line x1={px(t)} x2={px(t)} y1={PAD.top} y2={H - PAD.bottom} className="mmu-grid" />
              <text x={px(t)} y={H - PAD.bottom + 16} textAnchor="middle" className="mmu-label">
                {formatDuration(t)}
              </text>
            </g>
          ))}
          {points.length > 0 && <polyline points={points.join(' ')} className="mmu-line" />}
          <line
            x1={px(windowNs)}
            x2={px(windowNs)}
            y1={PAD.top}
            y2={H - PAD.bottom}
            className="mmu-window"
          />
          {hoverIndex >= 0 && c && (
            <g className="mmu-hover">
              <circle
                cx={px(c.windowNs[hoverIndex]!)}
                cy={py(c.utilization[hoverIndex]!)}
                r={3.5}
              />
              <text
                x={Math.min(W - PAD.right - 4, px(c.windowNs[hoverIndex]!) + 6)}
                y={PAD.top + 14}
                textAnchor={px(c.windowNs[hoverIndex]!) > W * 0.7 ? 'end' : 'start'}
                className="mmu-label strong"
              >
                {formatDuration(c.windowNs[hoverIndex]!)}:{' '}
                {(c.utilization[hoverIndex]! * 100).toFixed(1)}%
              </text>
            </g>
          )}
          {c?.empty && (
            <text x={W / 2} y={H / 2} textAnchor="middle" className="mmu-label">
              This trace never reports GOMAXPROCS: no utilization to compute.
            </text>
          )}
        </svg>
        <section className="mmu-worst" aria-label="Worst windows">
          <h3>
            Worst {formatDuration(windowNs)} windows{' '}
            <span className="muted small-text">(click the chart: another size)</span>
          </h3>
          <ol data-testid="mmu-worst">
            {worst.data?.map((w) => (
              <li key={w.startNs}>
                <button
                  type="button"
                  className="instance"
                  data-testid="mmu-worst-window"
                  onClick={() =>
                    zoomTo(
                      { setView, setSelection, setLanes, setFlame },
                      w.startNs,
                      w.endNs,
                      trace.durationNs,
                    )
                  }
                >
                  <span className="dur">{(w.utilization * 100).toFixed(1)}%</span>
                  <span className="muted">
                    {formatDuration(w.startNs)} – {formatDuration(w.endNs)}
                  </span>
                </button>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}

/** The pointer's x in the SVG's viewBox units. */
function svgX(e: React.PointerEvent<SVGSVGElement> | React.MouseEvent<SVGSVGElement>): number {
  const r = e.currentTarget.getBoundingClientRect();
  // The viewBox keeps its aspect ratio (xMidYMid meet): the drawing is centred and scaled by s.
  const s = Math.min(r.width / W, r.height / H);
  const offset = (r.width - W * s) / 2;
  return (e.clientX - r.left - offset) / s;
}

function nearest(ws: Float64Array, w: number): number {
  let best = -1;
  let d = Infinity;
  for (let i = 0; i < ws.length; i++) {
    const x = Math.abs(Math.log(ws[i]!) - Math.log(Math.max(1, w)));
    if (x < d) {
      d = x;
      best = i;
    }
  }
  return best;
}
