// The flame graph view: a source (a dropped profile, or the trace's stacks), its sample type,
// search with the matching share, pprof-style focus/ignore/hide, click-to-zoom with breadcrumbs
// (Esc backs out), the sandwich of the picked function, and the top table beside it.

import { useCallback, useMemo } from 'react';
import { exactPattern, sandwich, topTable, type CallTree } from '../../analysis/flame';
import { flameSources, type FlameSource } from '../../analysis/flameSources';
import { flameView, funcIndex, pathOf } from '../../analysis/flameView';
import { formatPercent, formatValue } from '../../base/format';
import { useSession } from '../session';
import type { SessionFileState } from '../../store/session';
import { FlameCanvas } from './FlameCanvas';
import { TopTable } from './TopTable';

/** The flame graph sources of the session's files. */
export function sourcesOf(files: readonly SessionFileState[]): FlameSource[] {
  return flameSources(
    files.map((f) => ({
      id: f.id,
      name: f.name,
      profile: f.decoded?.format === 'pprof' ? f.decoded.model : null,
    })),
  );
}

function useFlameSources(): FlameSource[] {
  const files = useSession((s) => s.files);
  return useMemo(() => sourcesOf(files), [files]);
}

export function FlamePanel() {
  const flame = useSession((s) => s.flame);
  const setFlame = useSession((s) => s.setFlame);
  const sources = useFlameSources();
  const view = useMemo(() => flameView(sources, flame), [sources, flame]);
  const set = view?.set ?? null;
  const sw = useMemo(
    () =>
      set && view && flame.mode === 'sandwich' && flame.func
        ? sandwich(set, flame.func, view.options)
        : null,
    [set, view, flame.mode, flame.func],
  );
  const table = useMemo(() => (view ? topTable(view.tree) : null), [view]);
  const pickFunc = useCallback((name: string) => setFlame({ func: name }), [setFlame]);

  if (!view || !set || !table) {
    return (
      <section className="flame-panel empty" data-testid="flamegraph" data-keyscope="">
        <p className="muted">
          Drop a pprof profile (cpu.pprof, mutex.pprof, heap.pprof …) to see its flame graph.
        </p>
      </section>
    );
  }
  const { source, typeIndex, unit, tree, root, search } = view;
  const signs = tree.hasNegative ? signedShares(tree) : null;
  const filterError = view.patternError;
  const total = tree.total[0] as number;
  const selectedFunc = funcIndex(tree, flame.func);
  const crumbs = pathOf(tree, root);
  const pick = (name: string | null) => setFlame({ func: name });

  return (
    <section
      className="flame-panel"
      data-testid="flamegraph"
      data-keyscope=""
      tabIndex={-1}
      onKeyDown={(e) => {
        const t = e.target as HTMLElement;
        if (t.closest('input, select, textarea')) return;
        if (e.key === 'Escape') {
          if (flame.zoom.length > 0) setFlame({ zoom: flame.zoom.slice(0, -1) });
          else if (flame.mode === 'sandwich') setFlame({ mode: 'flame' });
          else pick(null);
          e.preventDefault();
        }
      }}
    >
      <div className="flame-toolbar">
        <label>
          Source{' '}
          <select
            value={source.key}
            onChange={(e) => setFlame({ source: e.currentTarget.value, zoom: [], labels: [] })}
            data-testid="flame-source"
          >
            {sources.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
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
            <button
              type="button"
              onClick={() => setFlame({ focus: exactPattern(flame.func as string), zoom: [] })}
            >
              Focus
            </button>
            <button
              type="button"
              onClick={() => setFlame({ ignore: exactPattern(flame.func as string), zoom: [] })}
            >
              Ignore
            </button>
            <button
              type="button"
              onClick={() => setFlame({ hide: exactPattern(flame.func as string), zoom: [] })}
            >
              Hide
            </button>
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
      {filterError && (
        <p className="file-error" role="alert">
          {filterError}
        </p>
      )}
      {source.note && <p className="panel-note">{source.note}</p>}
      {tree.hasNegative && (
        <p className="panel-note" data-testid="flame-negative">
          This profile holds negative values (made with <code>-diff_base</code>): blue frames grew,
          red frames shrank against the base; widths show the size of the change.
        </p>
      )}
      <div className="flame-body">
        {flame.mode === 'sandwich' && sw ? (
          <div className="sandwich">
            <h3>Callers of {shortName(flame.func ?? '')}</h3>
            <FlameCanvas
              testId="flame-callers"
              ariaLabel="Callers"
              tree={sw.callers}
              set={set}
              root={0}
              unit={unit}
              match={null}
              selectedFunc={funcIndex(sw.callers, flame.func)}
              onActivate={(n) => pick(nameOf(sw.callers, n))}
            />
            <h3>Callees of {shortName(flame.func ?? '')}</h3>
            <FlameCanvas
              testId="flame-callees"
              ariaLabel="Callees"
              tree={sw.callees}
              set={set}
              root={0}
              unit={unit}
              match={null}
              selectedFunc={funcIndex(sw.callees, flame.func)}
              onActivate={(n) => pick(nameOf(sw.callees, n))}
            />
          </div>
        ) : (
          <FlameCanvas
            testId="flame"
            ariaLabel={`Flame graph of ${source.label}`}
            tree={tree}
            set={set}
            root={root}
            unit={unit}
            match={search?.match ?? null}
            diff={signs}
            selectedFunc={selectedFunc}
            onActivate={(n) => setFlame({ zoom: pathOf(tree, n), func: nameOf(tree, n) })}
          />
        )}
        <TopTable
          table={table}
          unit={unit}
          sort={flame.sort}
          onSort={(sort) => setFlame({ sort })}
          selected={flame.func}
          onPick={pickFunc}
        />
      </div>
    </section>
  );
}

/**
 * For profiles with negative values (pprof -diff_base): each node's total as a share of the
 * largest magnitude, so gains and losses are coloured blue and red.
 */
const signedCache = new WeakMap<CallTree, Float64Array>();
function signedShares(tree: CallTree): Float64Array {
  let out = signedCache.get(tree);
  if (!out) {
    let max = 0;
    for (let i = 1; i < tree.length; i++) max = Math.max(max, Math.abs(tree.total[i] as number));
    out = new Float64Array(tree.length);
    for (let i = 1; i < tree.length; i++) out[i] = max > 0 ? (tree.total[i] as number) / max : 0;
    signedCache.set(tree, out);
  }
  return out;
}

function nameOf(tree: CallTree, n: number): string | null {
  const f = tree.func[n] as number;
  return f < 0 ? null : (tree.strings[f] ?? null);
}

function shortName(name: string): string {
  return name.length > 60 ? `…${name.slice(-59)}` : name;
}
