// The flame graph's controls: source tabs, sample type, search with its matching share, flame or
// sandwich, by line; the zoom breadcrumbs, the picked function's focus/ignore/hide, label filters
// and filter chips; for range-following sources, the range, reason split, goroutine scope and the
// baseline of a comparison.

import { formatPercent, formatValue } from '../../base/format';
import { exactPattern } from '../../base/quote';
import { formatDuration } from '../../base/units';
import type { QueryResult } from '../../engine/api';
import type { FlameResult } from '../../engine/flame';
import type { FlameState, TimeRange } from '../../store/session';
import { shortName } from './names';

export function FlameToolbar(props: {
  view: FlameResult;
  flame: FlameState;
  setFlame(patch: Partial<FlameState>): void;
  /** Function names from the root to the zoom root. */
  crumbs: string[];
  /** What range-following sources read, in words. */
  rangeLabel: string;
  /** The search's matches in the zoomed frame (the engine's flameSearch), or null. */
  search: QueryResult<'flameSearch'> | null;
  range: TimeRange | null;
}) {
  const { view, flame, setFlame, crumbs } = props;
  const { source, typeIndex, unit } = view;
  const { search } = props;
  const total = view.tree.total[0] as number;
  return (
    <>
      <div className="flame-tabs" role="tablist" aria-label="Flame graph source">
        {view.sources.map((x) => (
          <button
            key={x.key}
            type="button"
            role="tab"
            aria-selected={x.key === source.key}
            className={x.ranged ? 'ranged' : undefined}
            title={x.ranged ? 'follows the selected time range' : 'a whole profile'}
            onClick={() => setFlame({ source: x.key, zoom: [], labels: [] })}
            data-testid="flame-source-tab"
          >
            {x.label}
          </button>
        ))}
      </div>
      <div className="flame-toolbar">
        <label>
          Sample type{' '}
          <select
            value={typeIndex}
            onChange={(e) =>
              setFlame({ types: { ...flame.types, [source.key]: Number(e.currentTarget.value) } })
            }
            data-testid="flame-type"
          >
            {source.types.map((t, i) => (
              <option key={i} value={i}>
                {t.type} ({t.unit || 'count'})
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          placeholder="Search (regex)"
          aria-label="Search functions (regular expression)"
          value={flame.search}
          onChange={(e) => setFlame({ search: e.currentTarget.value })}
          data-testid="flame-search"
        />
        {search && (
          <span className="match-share" data-testid="flame-match">
            {search.count} frames · {formatPercent(search.matched, search.total)} of{' '}
            {formatValue(search.total, unit)}
          </span>
        )}
        <span className="spacer" />
        <div className="segmented" role="group" aria-label="View">
          <button
            type="button"
            aria-pressed={flame.mode === 'flame'}
            onClick={() => setFlame({ mode: 'flame' })}
          >
            Flame graph
          </button>
          <button
            type="button"
            aria-pressed={flame.mode === 'sandwich'}
            disabled={!flame.func}
            title={flame.func ? `Callers and callees of ${flame.func}` : 'Pick a function first'}
            onClick={() => setFlame({ mode: 'sandwich' })}
          >
            Sandwich
          </button>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={flame.mergeBy === 'frame'}
            onChange={(e) =>
              setFlame({ mergeBy: e.currentTarget.checked ? 'frame' : 'function', zoom: [] })
            }
          />
          by line
        </label>
      </div>
      <div className="flame-toolbar secondary">
        <nav className="breadcrumbs" aria-label="Zoom path">
          <button
            type="button"
            onClick={() => setFlame({ zoom: [] })}
            aria-current={crumbs.length === 0 ? 'true' : undefined}
          >
            all ({formatValue(total, unit)})
          </button>
          {crumbs.map((name, i) => (
            <button
              key={i}
              type="button"
              onClick={() => setFlame({ zoom: crumbs.slice(0, i + 1) })}
              title={name}
            >
              › {shortName(name)}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        {flame.func && (
          <span className="picked" data-testid="flame-picked">
            <span className="fn" title={flame.func}>
              {shortName(flame.func)}
            </span>
            {(['focus', 'ignore', 'hide'] as const).map((k) => (
              <button
                key={k}
                type="button"
                onClick={() => setFlame({ [k]: exactPattern(flame.func as string), zoom: [] })}
              >
                {k[0]!.toUpperCase() + k.slice(1)}
              </button>
            ))}
          </span>
        )}
        {source.labels.length > 0 && (
          <select
            aria-label="Filter by sample label"
            data-testid="flame-label"
            value=""
            onChange={(e) => {
              const [key, value] = JSON.parse(e.currentTarget.value) as [string, string];
              setFlame({
                labels: [
                  ...flame.labels.filter((l) => l.key !== key),
                  { key, value, exclude: false },
                ],
                zoom: [],
              });
            }}
          >
            <option value="">Labels…</option>
            {source.labels.flatMap((l) =>
              l.values.slice(0, 50).map((v) => (
                <option key={`${l.key}=${v.value}`} value={JSON.stringify([l.key, v.value])}>
                  {l.key} = {v.value} ({v.samples} samples)
                </option>
              )),
            )}
          </select>
        )}
        {flame.labels.map((l, i) => (
          <span key={`${l.key}=${l.value}`} className="chip" data-testid="flame-label-filter">
            <button
              type="button"
              title={
                l.exclude
                  ? 'Dropping these samples: click to keep only them'
                  : 'Keeping only these samples: click to drop them instead'
              }
              onClick={() =>
                setFlame({
                  labels: flame.labels.map((x, j) => (j === i ? { ...x, exclude: !x.exclude } : x)),
                })
              }
            >
              {l.exclude ? 'not ' : ''}
              {l.key}={l.value}
            </button>
            <button
              type="button"
              aria-label={`Remove label filter ${l.key}`}
              onClick={() => setFlame({ labels: flame.labels.filter((_, j) => j !== i) })}
            >
              ×
            </button>
          </span>
        ))}
        {(['focus', 'ignore', 'hide'] as const).map((k) =>
          flame[k] ? (
            <span key={k} className="chip" data-testid={`flame-${k}`}>
              {k}: <code>{flame[k]}</code>
              <button
                type="button"
                aria-label={`Remove ${k}`}
                onClick={() => setFlame({ [k]: '', zoom: [] })}
              >
                ×
              </button>
            </span>
          ) : null,
        )}
      </div>
      {source.ranged && (
        <div className="flame-toolbar secondary" data-testid="flame-range">
          <span className="range-label">{props.rangeLabel}</span>
          {source.splittable && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={flame.split === 'reason'}
                onChange={(e) =>
                  setFlame({ split: e.currentTarget.checked ? 'reason' : 'none', zoom: [] })
                }
              />
              split by wait reason
            </label>
          )}
          <label>
            Goroutines{' '}
            <select
              value={flame.scope}
              onChange={(e) =>
                setFlame({ scope: e.currentTarget.value as FlameState['scope'], zoom: [] })
              }
              data-testid="flame-scope"
            >
              <option value="all">all</option>
              <option value="selected">the selected goroutine</option>
              <option value="lanes">the lane filter's</option>
              {flame.scopeIds.length > 0 && (
                <option value="list">{`${flame.scopeIds.length} ${flame.scopeLabel}`}</option>
              )}
            </select>
          </label>
          <span className="spacer" />
          {flame.compare ? (
            <span className="chip" data-testid="flame-compare">
              difference from the baseline{' '}
              {formatDuration(flame.compare.endNs - flame.compare.startNs)} at{' '}
              {formatDuration(flame.compare.startNs)}: blue grew, red shrank
              <button
                type="button"
                aria-label="Stop comparing"
                onClick={() => setFlame({ compare: null, zoom: [] })}
              >
                ×
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="small"
              disabled={!props.range}
              title="Keep this range as the baseline; then select another range to see what changed"
              onClick={() => props.range && setFlame({ compare: { ...props.range }, zoom: [] })}
              data-testid="flame-set-baseline"
            >
              Compare with another range…
            </button>
          )}
        </div>
      )}
    </>
  );
}
