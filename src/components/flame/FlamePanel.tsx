// The flame graph view: asks the engine for the graph of the current source, range and settings
// (engine/flame.ts, params from store/selectors.ts), the sandwich of the picked function, the top
// table and the selected interval's stack path, and draws what comes back; the previous answer
// stays on screen while a newer one is computed. The controls are in ./FlameToolbar.tsx.

import { useCallback, useMemo } from 'react';
import type { FlameTree } from '../../engine/flame';
import { nameIndex, nodeByNames, nodeFunc, pathNames } from '../../render/flameTree';
import {
  flameParams,
  flameRangeLabel,
  graphParams,
  previewProgress,
  treeParams,
} from '../../store/selectors';
import { useEngineQuery } from '../engine';
import { useSettled, useThrottled } from '../hooks';
import { useSession, useSessionStore } from '../session';
import { FlameCanvas } from './FlameCanvas';
import { FlameToolbar } from './FlameToolbar';
import { shortName } from './names';
import { TOP_ROWS, TopTable } from './TopTable';

export function FlamePanel() {
  const flame = useSession((s) => s.flame);
  const setFlame = useSession((s) => s.setFlame);
  const files = useSession((s) => s.files);
  const selection = useSession((s) => s.selection);
  const selected = useSession((s) => s.selected);
  const lanes = useSession((s) => s.lanes);
  const axis = useSession((s) => s.axis);
  const preview = useSession((s) => s.preview);
  const setPreview = useSession((s) => s.setPreview);
  // Range-following graphs read the view when nothing is selected: after panning pauses.
  const settledView = useSettled(
    useSession((s) => s.view),
    150,
  );
  const store = useSessionStore();
  // A trace drawn from a preview: the flame graph waits for the whole of it.
  const decoding = useSession(previewProgress);
  const params = useMemo(
    () => flameParams(store.getState(), settledView),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, settledView, selection, selected, lanes, flame, files, axis],
  );
  // The graph does not depend on the zoom: zooming is the page's (render/flameTree.ts), only the
  // search's share of the zoomed frame is asked again.
  const {
    data: view,
    pending: viewPending,
    error: viewError,
  } = useEngineQuery('flame', graphParams(params));
  const search = useEngineQuery('flameSearch', flame.search ? params : null);
  const zoomRoot = useMemo(
    () => (view ? nodeByNames(view.tree, flame.zoom) : 0),
    [view, flame.zoom],
  );
  // Stable between renders unless the params change (useThrottled compares identities).
  const tree = useMemo(() => treeParams(params), [params]);

  const sw = useEngineQuery(
    'sandwich',
    flame.mode === 'sandwich' && flame.func ? { ...tree, func: flame.func } : null,
  );
  // The table is hundreds of DOM rows, whose layout and paint cost more than the graph (one
  // canvas): while a selection is dragged the graph follows every step, the table a few times a
  // second and once more when the drag stops. A new source or sample type shows at once.
  const throttled = useThrottled(tree, 250);
  const sameSource =
    throttled.settings.source === tree.settings.source &&
    throttled.settings.types === tree.settings.types;
  const table = useEngineQuery('topTable', {
    ...(sameSource ? throttled : tree),
    sort: flame.sort,
    limit: TOP_ROWS,
  });
  const sel = selected?.kind === 'interval' && selected.fileId === axis.traceId ? selected : null;
  const path = useEngineQuery(
    'flamePath',
    sel ? { ...tree, trace: sel.fileId, interval: sel.interval } : null,
  );
  const pathSet = useMemo(
    () => (sel && path.data && path.data.length > 0 ? new Set(path.data) : null),
    [sel, path.data],
  );

  const sortTable = useCallback(
    (sort: { by: 'flat' | 'cum' | 'name'; desc: boolean }) => setFlame({ sort }),
    [setFlame],
  );
  const pickFunc = useCallback((name: string) => setFlame({ func: name }), [setFlame]);

  if (!view) {
    return (
      <section className="flame-panel empty" data-testid="flamegraph" data-keyscope="">
        <p className="muted" role="status">
          {viewPending && decoding !== null
            ? `The flame graph is drawn once the whole trace is decoded (${Math.round(decoding * 100)}% so far).`
            : viewPending
              ? // A large trace's samples take seconds, behind the timeline's first answers.
                'Computing the flame graph…'
            : viewError !== null
              ? `The flame graph could not be computed: ${viewError}`
              : 'Drop a pprof profile (cpu.pprof, mutex.pprof, heap.pprof …) to see its flame graph.'}
        </p>
      </section>
    );
  }
  const { source, unit } = view;
  const t = view.tree;
  const root = zoomRoot < t.length ? zoomRoot : 0;
  const pick = (name: string | null) => setFlame({ func: name });
  const nameOf = (tr: FlameTree, n: number) => (n > 0 ? nodeFunc(tr, n) : null);
  const rangeLabel = flameRangeLabel(store.getState(), settledView, view.scopeCount);

  return (
    <section className="flame-panel" data-testid="flamegraph" data-keyscope="" tabIndex={-1}>
      <FlameToolbar
        view={view}
        flame={flame}
        setFlame={setFlame}
        crumbs={pathNames(t, root)}
        search={flame.search && view.search ? search.data : null}
        rangeLabel={rangeLabel}
        range={params.range}
      />
      {view.patternError && (
        <p className="file-error" role="alert">
          {view.patternError}
        </p>
      )}
      {source.note && <p className="panel-note">{source.note}</p>}
      {t.hasNegative && (
        <p className="panel-note" data-testid="flame-negative">
          This profile holds negative values (made with <code>-diff_base</code>): blue frames grew,
          red frames shrank against the base; widths show the size of the change.
        </p>
      )}
      <div className="flame-body">
        {flame.mode === 'sandwich' && sw.data ? (
          <div className="sandwich">
            <h3>Callers of {shortName(flame.func ?? '')}</h3>
            <FlameCanvas
              testId="flame-callers"
              ariaLabel="Callers"
              tree={sw.data.callers}
              root={0}
              unit={unit}
              match={null}
              selectedFunc={nameIndex(sw.data.callers, flame.func)}
              onActivate={(n) => sw.data && pick(nameOf(sw.data.callers, n))}
            />
            <h3>Callees of {shortName(flame.func ?? '')}</h3>
            <FlameCanvas
              testId="flame-callees"
              ariaLabel="Callees"
              tree={sw.data.callees}
              root={0}
              unit={unit}
              match={null}
              selectedFunc={nameIndex(sw.data.callees, flame.func)}
              onActivate={(n) => sw.data && pick(nameOf(sw.data.callees, n))}
            />
          </div>
        ) : (
          <FlameCanvas
            testId="flame"
            ariaLabel={`Flame graph of ${source.label}`}
            tree={t}
            root={root}
            unit={unit}
            match={view.search?.match ?? null}
            diff={view.shares}
            selectedFunc={nameIndex(t, flame.func)}
            path={pathSet}
            previewFunc={nameIndex(t, preview)}
            onActivate={(n) => setFlame({ zoom: pathNames(t, n), func: nameOf(t, n) })}
            onHoverNode={(n) => setPreview(n > 0 ? nodeFunc(t, n) : null)}
          />
        )}
        {table.data && (
          <TopTable
            table={table.data}
            sort={flame.sort}
            onSort={sortTable}
            selected={flame.func}
            onPick={pickFunc}
          />
        )}
      </div>
    </section>
  );
}
