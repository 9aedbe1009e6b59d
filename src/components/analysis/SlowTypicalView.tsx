// Slow vs typical: the slowest instances of a task type, a region type or a dlv-traced function
// against the rest, as two difference flame graphs drawn by the flame graph's own canvas (the
// same colours as its range comparison): CPU samples and blocked time, per instance on each side,
// typical as the base. What grew in the slow ones is what made them slow.

import { useState } from 'react';
import { formatDuration } from '../../base/units';
import type { DiffGraph, SlowTypicalParams } from '../../engine/analysis';
import { useEngineQuery } from '../engine';
import { FlameCanvas } from '../flame/FlameCanvas';

export type SlowTarget = Pick<SlowTypicalParams, 'kind' | 'type' | 'startFunction' | 'dlv'>;

const FRACTIONS = [0.05, 0.1, 0.25, 0.5];

export function SlowTypicalView(props: { traceId: string; target: SlowTarget; onBack(): void }) {
  const { target } = props;
  const [fraction, setFraction] = useState(0.1);
  const [minMs, setMinMs] = useState('');
  const min = Number(minMs);
  const byDuration = minMs.trim() !== '' && Number.isFinite(min) && min >= 0;
  const { data, pending, error } = useEngineQuery('slowTypical', {
    trace: props.traceId,
    ...target,
    fraction,
    minNs: byDuration ? min * 1e6 : null,
    maxNs: null,
  });
  const what =
    target.kind === 'task'
      ? `${target.type} tasks`
      : target.kind === 'region'
        ? `${target.type} regions${target.startFunction ? ` in ${target.startFunction}` : ''}`
        : `calls of ${target.type}`;
  return (
    <div className="analysis-view slow-view" data-testid="slow-typical-view">
      <div className="analysis-toolbar">
        <button type="button" className="button small" onClick={props.onBack}>
          ← Tables
        </button>
        <strong>Slow vs typical: {what}</strong>
        <label>
          Slow are the slowest{' '}
          <select
            value={fraction}
            disabled={byDuration}
            onChange={(e) => setFraction(Number(e.currentTarget.value))}
          >
            {FRACTIONS.map((f) => (
              <option key={f} value={f}>
                {Math.round(f * 100)}%
              </option>
            ))}
          </select>
        </label>
        <label>
          or those longer than{' '}
          <input
            type="number"
            min={0}
            step="any"
            className="narrow"
            value={minMs}
            placeholder="ms"
            onChange={(e) => setMinMs(e.currentTarget.value)}
          />{' '}
          ms
        </label>
        {pending && <span className="muted">computing…</span>}
      </div>
      {error && (
        <p className="file-error" role="alert">
          {error}
        </p>
      )}
      {data && (
        <>
          <p className="panel-note" data-testid="slow-summary">
            {data.slow} slow (≥ {formatDuration(data.thresholdNs)}, mean{' '}
            {formatDuration(data.slowMeanNs)}) against {data.typical} typical (mean{' '}
            {formatDuration(data.typicalMeanNs)}), per instance. Blue grew in the slow ones, red
            shrank.
          </p>
          {data.slow === 0 || data.typical === 0 ? (
            <p className="analysis-empty muted">
              Nothing to compare: one side is empty ({data.instances} instances).
            </p>
          ) : (
            <div className="slow-graphs">
              <Graph title="CPU samples per instance" g={data.cpu} testId="slow-cpu" />
              <Graph title="Blocked time per instance" g={data.blocked} testId="slow-blocked" />
            </div>
          )}
        </>
      )}
    </div>
  );
}

function Graph({ title, g, testId }: { title: string; g: DiffGraph; testId: string }) {
  const [root, setRoot] = useState(0);
  const r = root < g.tree.length ? root : 0;
  const fmt = (v: number) =>
    g.unit === 'nanoseconds'
      ? formatDuration(v)
      : `${v === 0 ? '0' : v >= 10 ? v.toFixed(1) : v.toPrecision(2)} samples`;
  return (
    <section className="slow-graph" aria-label={title}>
      <h4>
        {title}: slow {fmt(g.slowTotal)}, typical {fmt(g.typicalTotal)}
        {r > 0 && (
          <button type="button" className="link" onClick={() => setRoot(0)}>
            {' '}
            (reset zoom)
          </button>
        )}
      </h4>
      {g.tree.length > 1 ? (
        <FlameCanvas
          testId={testId}
          ariaLabel={title}
          tree={g.tree}
          root={r}
          unit={g.unit}
          match={null}
          diff={g.shares}
          selectedFunc={-1}
          onActivate={setRoot}
        />
      ) : (
        <p className="muted">No stacks on either side.</p>
      )}
    </section>
  );
}
