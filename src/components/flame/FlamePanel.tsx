// The flame graph view: a source (a dropped profile, or the trace's stacks), its sample type,
// search with the matching share, pprof-style focus/ignore/hide, click-to-zoom with breadcrumbs
// (Esc backs out), the sandwich of the picked function, and the top table beside it.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  exactPattern,
  sandwich,
  topTable,
  type CallTree,
  type DiffTree,
} from '../../analysis/flame';
import { flameSources, type FlameSource } from '../../analysis/flameSources';
import { flameView, funcIndex, nodeByPath, pathOf } from '../../analysis/flameView';
import { intervalFunctions } from '../../analysis/highlight';
import { reasonLabel } from '../../analysis/reasons';
import { formatPercent, formatValue } from '../../base/format';
import { useSession, useSessionStore } from '../session';
import { filteredGoroutines } from '../../analysis/timelineRows';
import { formatDuration } from '../../base/units';
import type { TraceModel } from '../../model/trace';
import { goroutineOfInterval } from '../../render/goroutineLane';
import type { FlameRange } from '../../analysis/flameView';
import type { FlameState, SessionFileState, SessionState, TimeRange } from '../../store/session';
import { FlameCanvas } from './FlameCanvas';
import { TopTable } from './TopTable';
import { legacyIndexes } from '../legacyIndexes';

/** The flame graph sources of the session's files. */
export function sourcesOf(files: readonly SessionFileState[]): FlameSource[] {
  return flameSources(
    files.map((f) => ({
      id: f.id,
      name: f.name,
      profile: f.decoded?.format === 'pprof' ? f.decoded.model : null,
      trace: f.decoded?.format === 'go-trace' ? f.decoded.model : null,
      rangeStacks: f.decoded?.format === 'go-trace' ? legacyIndexes(f.decoded.model).rs : null,
    })),
  );
}

/**
 * What range-following sources read, from the session: the selection (or the given view), the
 * goroutines in scope, and the baseline range of a comparison.
 */
export function flameRange(
  s: SessionState,
  view: TimeRange | null,
): FlameRange & { label: string } {
  const range = s.selection ?? view;
  const trace = s.axis.traceId ? s.files.find((f) => f.id === s.axis.traceId) : undefined;
  const m = trace?.decoded?.format === 'go-trace' ? trace.decoded.model : null;
  let goroutines: Int32Array | null = null;
  let scope = 'all goroutines';
  if (m && s.flame.scope === 'selected') {
    const g = selectedGoroutine(s, m);
    if (g >= 0) {
      goroutines = Int32Array.of(g);
      scope = `G${m.goroutines.id[g]}`;
    }
  } else if (m && s.flame.scope === 'lanes') {
    goroutines = filteredGoroutines(m, s.lanes);
    if (goroutines) scope = `${goroutines.length} filtered goroutines`;
  } else if (m && s.flame.scope === 'list') {
    goroutines = goroutinesById(m, s.flame.scopeIds);
    scope = `${goroutines.length} goroutines ${s.flame.scopeLabel}`.trim();
  }
  const label = range
    ? `${s.selection ? 'selection' : 'view'} ${formatDuration(range.endNs - range.startNs)} · ${scope}`
    : scope;
  return { range, goroutines, compare: s.flame.compare, label };
}

const idIndex = new WeakMap<TraceModel, Map<number, number>>();
/** Goroutine indexes of goroutine ids (memoized per list identity by the caller's state). */
const listCache = new WeakMap<readonly number[], Int32Array>();
function goroutinesById(m: TraceModel, ids: readonly number[]): Int32Array {
  const hit = listCache.get(ids);
  if (hit) return hit;
  let byId = idIndex.get(m);
  if (!byId) {
    byId = new Map();
    for (let g = 0; g < m.goroutines.length; g++) byId.set(m.goroutines.id[g]!, g);
    idIndex.set(m, byId);
  }
  const out: number[] = [];
  for (const id of ids) {
    const g = byId.get(id);
    if (g !== undefined) out.push(g);
  }
  const r = Int32Array.from(out);
  listCache.set(ids, r);
  return r;
}

/** Goroutine index (in the trace) of the selected interval or dlv call, or -1. */
function selectedGoroutine(s: SessionState, m: TraceModel): number {
  const sel = s.selected;
  if (!sel) return -1;
  if (sel.kind === 'interval') return goroutineOfInterval(m, sel.interval);
  const f = s.files.find((x) => x.id === sel.fileId);
  if (f?.decoded?.format !== 'dlv-trace') return -1;
  const id = f.decoded.model.spans.goroutine[sel.span]!;
  for (let g = 0; g < m.goroutines.length; g++) if (m.goroutines.id[g] === id) return g;
  return -1;
}

/** The view, settled: range-following graphs recompute after panning pauses, not every frame. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/**
 * `value`, passed on at most once every `ms`: the first change at once, later ones at the end of
 * the interval (so the last value always arrives).
 */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - performance.now();
    const t = setTimeout(
      () => {
        last.current = performance.now();
        setShown(value);
      },
      Math.max(0, wait),
    );
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}

function useFlameSources(): FlameSource[] {
  const files = useSession((s) => s.files);
  return useMemo(() => sourcesOf(files), [files]);
}

export function FlamePanel() {
  const flame = useSession((s) => s.flame);
  const setFlame = useSession((s) => s.setFlame);
  const sources = useFlameSources();
  const selection = useSession((s) => s.selection);
  const selected = useSession((s) => s.selected);
  const lanes = useSession((s) => s.lanes);
  const settledView = useSettled(
    useSession((s) => s.view),
    150,
  );
  const store = useSessionStore();
  const range = useMemo(
    () => flameRange(store.getState(), settledView),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, settledView, selection, selected, lanes, flame.scope, flame.compare, sources],
  );
  const view = useMemo(() => flameView(sources, flame, range), [sources, flame, range]);
  const set = view?.set ?? null;
  const sw = useMemo(
    () =>
      set && view && flame.mode === 'sandwich' && flame.func
        ? sandwich(set, flame.func, view.options)
        : null,
    [set, view, flame.mode, flame.func],
  );
  const table = useMemo(() => (view ? topTable(view.tree) : null), [view]);
  // The table is hundreds of DOM rows, whose layout and paint cost more than the graph (one
  // canvas): while a selection is dragged the graph follows every step, the table a few times a
  // second and once more when the drag stops.
  // A new source or sample type shows at once (its unit must match the rows).
  const tableKey = view ? `${view.source.key} ${view.typeIndex}` : '';
  const current = useMemo(
    () => ({ table, unit: view?.unit ?? '', key: tableKey }),
    [table, view, tableKey],
  );
  const throttled = useThrottled(current, 250);
  const shown = throttled.key === tableKey && throttled.table ? throttled : current;
  const sortTable = useCallback(
    (sort: { by: 'flat' | 'cum' | 'name'; desc: boolean }) => setFlame({ sort }),
    [setFlame],
  );
  const pickFunc = useCallback((name: string) => setFlame({ func: name }), [setFlame]);
  const preview = useSession((s) => s.preview);
  const setPreview = useSession((s) => s.setPreview);
  const path = useMemo(
    () =>
      view
        ? stackPath(store.getState(), view.tree, flame.split === 'reason' && view.source.splittable)
        : null,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [view, selected, flame.split, store],
  );

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
  const signs = view.diff ? diffShares(view.diff) : tree.hasNegative ? signedShares(tree) : null;
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
      <div className="flame-tabs" role="tablist" aria-label="Flame graph source">
        {sources.map((x) => (
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
      {source.ranged && (
        <div className="flame-toolbar secondary" data-testid="flame-range">
          <span className="range-label">{range.label}</span>
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
              disabled={!range.range}
              title="Keep this range as the baseline; then select another range to see what changed"
              onClick={() => range.range && setFlame({ compare: { ...range.range }, zoom: [] })}
              data-testid="flame-set-baseline"
            >
              Compare with another range…
            </button>
          )}
        </div>
      )}
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
            path={path}
            previewFunc={preview ? funcIndex(tree, preview) : -1}
            onActivate={(n) => setFlame({ zoom: pathOf(tree, n), func: nameOf(tree, n) })}
            onHoverNode={(n) => setPreview(n > 0 ? nameOf(tree, n) : null)}
          />
        )}
        <TopTable
          table={shown.table ?? table}
          unit={shown.unit}
          sort={flame.sort}
          onSort={sortTable}
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

/**
 * The flame graph nodes on the selected interval's stack (outermost frame down), so selecting a
 * goroutine interval shows where it sits in the graph. With reasons split, the path starts at
 * the interval's reason.
 */
function stackPath(s: SessionState, tree: CallTree, split: boolean): ReadonlySet<number> | null {
  const sel = s.selected;
  if (sel?.kind !== 'interval') return null;
  const f = s.files.find((x) => x.id === sel.fileId);
  if (f?.decoded?.format !== 'go-trace') return null;
  const m = f.decoded.model;
  const names = intervalFunctions(m, sel.interval).names;
  if (names.length === 0) return null;
  const reason = m.reasons[m.intervals.reason[sel.interval]!] ?? '';
  const full = split ? [reasonLabel(reason), ...names] : names;
  const node = nodeByPath(tree, full);
  if (node <= 0) return null;
  const out = new Set<number>();
  for (let n = node; n > 0; n = tree.parent[n]!) out.add(n);
  return out;
}

/** Differential graphs: each node's change (B - A) as a share of the largest change. */
const diffCache = new WeakMap<DiffTree, Float64Array>();
function diffShares(tree: DiffTree): Float64Array {
  let out = diffCache.get(tree);
  if (!out) {
    let max = 0;
    for (let i = 1; i < tree.length; i++)
      max = Math.max(max, Math.abs(tree.totalB[i]! - tree.totalA[i]!));
    out = new Float64Array(tree.length);
    for (let i = 1; i < tree.length; i++)
      out[i] = max > 0 ? (tree.totalB[i]! - tree.totalA[i]!) / max : 0;
    diffCache.set(tree, out);
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
