// The shell: drop zone when empty; otherwise the file list and details beside the timeline and
// the flame graph. Files can be dropped anywhere on the page at any time; all join one session.

import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { describeError } from '../base/errors';
import { DetailsPanel } from '../components/DetailsPanel';
import { DropZone } from '../components/DropZone';
import { ClockPicker } from '../components/ClockPicker';
import { FileList } from '../components/FileList';
import { LaneToolbar } from '../components/LaneToolbar';
import { Overview } from '../components/Overview';
import { ShortcutsHelp } from '../components/ShortcutsHelp';
import { Splitter } from '../components/Splitter';
import { readPref, usePersisted, writePref } from '../components/hooks';
import { SearchPanel } from '../components/SearchPanel';
import { SpikeList } from '../components/SpikeList';
import { LaneNotice, pinLane } from '../components/LaneNotice';
import { useWhyChain } from '../components/WhyDetails';
import { Timeline } from '../components/Timeline';
import { FlamePanel } from '../components/flame/FlamePanel';
import { AnalysisPanel } from '../components/analysis/AnalysisPanel';
import { StoreContext } from '../components/session';
import { EngineContext, useEngine, useEngineQuery } from '../components/engine';
import type { EngineApi } from '../engine/api';
import type { TraceModel } from '../model/trace';
import { TRACKS_KEY, type RowLayout } from '../render/rowLayout';
import type { SearchPaint } from '../render/runtimePainters';
import {
  hasFlameSources,
  highlightParams,
  searchParams,
  traceModel,
  unblockParams,
} from '../store/selectors';
import { pageState, type Selection, type SessionStore, type TimeRange } from '../store/session';
import { ErrorBoundary } from './ErrorBoundary';
import { exampleFiles } from './example';
import { drawnTrace, onHeldModel, useSessionRows } from './rows';
import { ShareDialog } from './ShareDialog';
import { ExportDialog } from './ExportDialog';

export function App({ store, engine }: { store: SessionStore; engine: EngineApi }) {
  return (
    <EngineContext.Provider value={engine}>
      <StoreContext.Provider value={store}>
        <Shell store={store} engine={engine} />
      </StoreContext.Provider>
    </EngineContext.Provider>
  );
}

function Shell({ store, engine }: { store: SessionStore; engine: EngineApi }) {
  // Subscribe to what the shell shows, not to the view: panning must not re-render the whole page.
  const files = useStore(store, (x) => x.files);
  const axis = useStore(store, (x) => x.axis);
  const axisPending = useStore(store, (x) => x.axisPending);
  const sessionError = useStore(store, (x) => x.sessionError);
  const hasView = useStore(store, (x) => x.view !== null);
  const s = store.getState();
  const rows = useSessionRows(store);
  // Ready once the engine has answered what the first picture needs (the axis, the lanes).
  const loaded = pageState({ files, sessionError, axisPending });
  const state = loaded === 'ready' && rows.pending ? 'loading' : loaded;
  const [help, setHelp] = useState(false);
  const [share, setShare] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [dragging, setDragging] = useState(false);
  // The layout the user chose, remembered across reloads (components/hooks.ts usePersisted):
  // the flame graph's share of the main column, the sidebar's width and whether it is shown,
  // and the details panel's width.
  const [flameShare, setFlameShare] = usePersisted<number>(
    'flameShare',
    // A short window leaves the lanes more of its height on the first visit.
    window.innerHeight < 800 ? 0.34 : 0.4,
    (v) => v >= 0.1 && v <= 0.85,
  );
  const [sidebarOpen, setSidebarOpen] = usePersisted<boolean>('sidebarOpen', true);
  const [sidebarWidth, setSidebarWidth] = usePersisted<number>(
    'sidebarWidth',
    defaultSidebarWidth(),
    (v) => v >= SIDEBAR.min && v <= SIDEBAR.max,
  );
  const [detailsWidth, setDetailsWidth] = usePersisted<number>(
    'detailsWidth',
    defaultDetailsWidth(),
    (v) => v >= DETAILS.min && v <= DETAILS.max,
  );
  // The details panel is open while an item or a task ("Why was this slow?") is picked.
  const hasSelected = useStore(store, (x) => x.selected !== null || x.pickedTask !== null);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    document.documentElement.dataset.state = state;
  }, [state]);

  // The trace's tracks stay folded when the user folded them last time (a link's lc= still wins:
  // it is applied after this).
  useEffect(() => {
    if (!readPref<boolean>('tracksCollapsed', false)) return;
    const st = store.getState();
    if (st.lanes.collapsed[TRACKS_KEY] === undefined)
      st.setLanes({ collapsed: { ...st.lanes.collapsed, [TRACKS_KEY]: true } });
  }, [store]);

  // Esc, wherever the focus is (but not while typing, nor in a dialog, which closes itself):
  // one step of the session's fixed order (SessionState.escape, listed in the help dialog).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const t = e.target as HTMLElement | null;
      if (t?.closest?.('input, textarea, select, [contenteditable=true], [role=dialog]')) return;
      if (store.getState().escape() !== null) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  const loadExample = useCallback(async () => {
    try {
      s.addFiles(await exampleFiles());
    } catch (e) {
      s.setSessionError(`The example could not be loaded: ${describeError(e)}`);
    }
  }, [s]);

  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      depth++;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length) store.getState().addFiles(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [store]);

  const hasFlame = hasFlameSources({ files });
  const trace = traceModel({ files, axis });
  const hasMain = rows.main !== null && rows.main.rows.length > 0 && hasView;
  const hasTimeline = hasMain || rows.apart.length > 0 || rows.sequential.length > 0;

  return (
    <>
      <div className="app" data-testid="app" data-state={state}>
        {files.length === 0 ? (
          <>
            <DropZone onFiles={(f) => s.addFiles(f)} onExample={() => void loadExample()} />
            {sessionError && (
              <p className="session-error" role="alert">
                {sessionError}
              </p>
            )}
          </>
        ) : (
          <>
            <header className="topbar">
              <button
                type="button"
                className="button small"
                aria-label={sidebarOpen ? 'Hide the sidebar' : 'Show the sidebar'}
                aria-expanded={sidebarOpen}
                aria-controls="sidebar"
                title={
                  sidebarOpen
                    ? 'Hide the sidebar (spikes, files)'
                    : 'Show the sidebar (spikes, files)'
                }
                onClick={() => setSidebarOpen(!sidebarOpen)}
                data-testid="sidebar-toggle"
              >
                {sidebarOpen ? '⇤' : '⇥'}
              </button>
              <span className="brand">goroscope</span>
              <label className="button small">
                Add files…
                <input
                  type="file"
                  multiple
                  data-testid="file-input"
                  onChange={(e) => {
                    const files = Array.from(e.currentTarget.files ?? []);
                    e.currentTarget.value = '';
                    if (files.length) s.addFiles(files);
                  }}
                />
              </label>
              <button type="button" className="button small" onClick={() => s.clear()}>
                Close all
              </button>
              <span className="spacer" />
              <button
                type="button"
                className="button small"
                onClick={() => setExporting(true)}
                data-testid="export"
              >
                Export…
              </button>
              <button
                type="button"
                className="button small"
                onClick={() => setShare(true)}
                data-testid="share"
              >
                Share…
              </button>
              <button
                type="button"
                className="button small"
                aria-label="Keyboard and mouse controls"
                onClick={() => setHelp(true)}
              >
                ?
              </button>
            </header>
            <div className="workspace">
              {sidebarOpen && (
                <>
                  <aside
                    className="sidebar"
                    id="sidebar"
                    data-testid="sidebar"
                    style={{ width: sidebarWidth }}
                  >
                    {/* Files left out by the session's limits: said here too, not only on the empty page. */}
                    {sessionError && (
                      <p className="session-error" role="alert">
                        {sessionError}
                      </p>
                    )}
                    {trace && axis.traceId && (
                      <SpikeList key={axis.traceId} trace={trace} traceId={axis.traceId} />
                    )}
                    <MemoFileList />
                    <ClockPicker />
                  </aside>
                  <Splitter
                    axis="col"
                    value={sidebarWidth}
                    min={SIDEBAR.min}
                    max={SIDEBAR.max}
                    step={20}
                    direction={1}
                    perPixel={() => 1}
                    onChange={setSidebarWidth}
                    label="Resize the sidebar"
                    testId="sidebar-splitter"
                  />
                </>
              )}
              <main className="main" ref={mainRef}>
                <ErrorBoundary>
                  {hasMain && rows.main && (
                    <section className="panel grow" aria-label="Timeline">
                      <MainTimeline
                        store={store}
                        layout={rows.main}
                        trace={trace}
                        onHelp={() => setHelp(true)}
                      />
                    </section>
                  )}
                  {rows.apart.map((a) => (
                    <StandalonePanel
                      key={a.fileId}
                      store={store}
                      layout={a.layout}
                      limit={a.limit}
                      unit="ns"
                      primary={!hasMain}
                      note={`${a.name} is not on the trace's clock: ${a.quality}. Shown on its own time axis.`}
                      onHelp={() => setHelp(true)}
                    />
                  ))}
                  {rows.sequential.map((q) => (
                    <StandalonePanel
                      key={q.fileId}
                      store={store}
                      layout={q.layout}
                      limit={q.limit}
                      unit="seq"
                      primary={!hasMain && rows.apart.length === 0}
                      note={`${q.name} has no timestamps (record with dlv trace --timestamp to place calls in time): calls are shown in the order Delve printed them.`}
                      onHelp={() => setHelp(true)}
                    />
                  ))}
                  {hasFlame && hasTimeline && (
                    <Splitter
                      axis="row"
                      value={flameShare}
                      min={0.15}
                      max={0.8}
                      step={0.05}
                      direction={-1}
                      perPixel={() => 1 / Math.max(1, mainRef.current?.clientHeight ?? 1)}
                      onChange={setFlameShare}
                      label="Resize the flame graph"
                      testId="splitter"
                      ariaScale={100}
                    />
                  )}
                  {hasFlame && (
                    <section
                      className={`panel flame ${hasTimeline ? 'split' : 'grow'}`}
                      aria-label="Flame graph"
                      style={
                        hasTimeline ? { height: `${Math.round(flameShare * 100)}%` } : undefined
                      }
                    >
                      <AnalysisPanel flame={<MemoFlamePanel />} />
                    </section>
                  )}
                  {!hasTimeline && !hasFlame && state === 'loading' && (
                    <div className="nothing" data-testid="opening" role="status">
                      <h2>Opening files…</h2>
                      <p>{openingWords(files)}</p>
                    </div>
                  )}
                  {!hasTimeline && !hasFlame && state !== 'loading' && (
                    <div className="nothing" data-testid="nothing">
                      <h2>Nothing to draw</h2>
                      <p>
                        None of the files in this session holds anything to show; the file list says
                        why for each.
                      </p>
                    </div>
                  )}
                </ErrorBoundary>
              </main>
              {hasSelected && (
                <>
                  <Splitter
                    axis="col"
                    value={detailsWidth}
                    min={DETAILS.min}
                    max={DETAILS.max}
                    step={20}
                    direction={-1}
                    perPixel={() => 1}
                    onChange={setDetailsWidth}
                    label="Resize the details panel"
                    testId="details-splitter"
                  />
                  <div
                    className="details-dock"
                    style={{ width: detailsWidth }}
                    data-testid="details-dock"
                  >
                    <div className="details-dock-head">
                      <span>Details</span>
                      <button
                        type="button"
                        className="icon-button"
                        aria-label="Close the details (clears the selected item)"
                        title="Close (clears the selected item)"
                        onClick={() => {
                          s.select(null);
                          s.pickTask(null);
                        }}
                      >
                        ×
                      </button>
                    </div>
                    <MemoDetailsPanel />
                  </div>
                </>
              )}
            </div>
          </>
        )}
        {dragging && (
          <div className="drop-overlay" aria-hidden="true">
            Drop to add to this session
          </div>
        )}
        {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
        {share && <ShareDialog store={store} onClose={() => setShare(false)} />}
        {exporting && (
          <ExportDialog store={store} engine={engine} onClose={() => setExporting(false)} />
        )}
      </div>
    </>
  );
}

const MemoFlamePanel = memo(FlamePanel);

/** Sidebar and details panel widths (CSS px) a drag or the arrow keys may choose. */
const SIDEBAR = { min: 200, max: 560 };
const DETAILS = { min: 240, max: 720 };
/** The first visit's widths: narrower on a small window so the timeline keeps its room. */
const defaultSidebarWidth = () => (window.innerWidth < 1200 ? 250 : 300);
const defaultDetailsWidth = () => (window.innerWidth < 1200 ? 280 : 360);

const MemoFileList = memo(FileList);
const NO_ARROWS: never[] = [];
const MemoDetailsPanel = memo(DetailsPanel);

/** The session's timeline, subscribed to the view so that only it re-renders while panning. */
function MainTimeline(props: {
  store: SessionStore;
  layout: RowLayout;
  trace: TraceModel | null;
  onHelp(): void;
}) {
  const { store } = props;
  const view = useStore(store, (x) => x.view);
  const selection = useStore(store, (x) => x.selection);
  const selected = useStore(store, (x) => x.selected);
  const hovered = useStore(store, (x) => x.hovered);
  const lanes = useStore(store, (x) => x.lanes);
  const axis = useStore(store, (x) => x.axis);
  const reveal = useStore(store, (x) => x.reveal);
  const s = store.getState();
  const engine = useEngine();
  // What the picked or previewed function lights up, and the selected wait's arrows: the
  // engine's answers (the previous ones stay while new ones are computed).
  const files = useStore(store, (x) => x.files);
  const func = useStore(store, (x) => x.preview ?? x.flame.func);
  // Params are new objects: derived from what they depend on, not selected from the store
  // (a selector returning a new object each time would re-render forever).
  const hlParams = useMemo(
    () => highlightParams(store.getState()),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, func, files, axis],
  );
  const hl = useEngineQuery('highlight', hlParams);
  const highlight = hlParams ? hl.data : null;
  const ubParams = useMemo(
    () => unblockParams(store.getState()),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, selected, files, axis],
  );
  const ub = useEngineQuery('unblock', ubParams);
  const arrows = ubParams && ub.data ? ub.data.arrows : NO_ARROWS;
  const chain = useWhyChain(ubParams);
  const traceView = useEngineQuery(
    'traceView',
    axis.traceId && props.trace ? { trace: axis.traceId } : null,
  );
  // The search: its results light up on the lanes and the overview (the box is SearchPanel).
  const search = useStore(store, (x) => x.search);
  const searchSel = search.inSelection ? selection : null;
  const sParams = useMemo(
    () => searchParams(store.getState()),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, search.query, search.inSelection, searchSel, files, axis],
  );
  const sr = useEngineQuery('search', sParams);
  const searchView = sParams ? sr.data : null;
  const sOrder = useEngineQuery(
    'searchOrder',
    sParams && search.cursor >= 0
      ? { ...sParams, by: search.sort.by, descending: search.sort.desc }
      : null,
  );
  const orderNow = sOrder.current ? sOrder.data : null;
  const searchPaint = useMemo<SearchPaint | null>(
    () =>
      searchView?.ok
        ? {
            results: searchView.results,
            dlv: searchView.dlv,
            current: search.cursor >= 0 ? (orderNow?.[search.cursor] ?? -1) : -1,
          }
        : null,
    [searchView, search.cursor, orderNow],
  );

  // Of the model the rows are drawn from (rows are held on an older preview until the engine
  // answers for a newer one: app/rows.ts), since runs name intervals.
  const drawn = drawnTrace(props.layout);
  const current = (drawn?.trace ?? props.trace) === props.trace;
  // The overview paints the same model and view as the rows.
  const overview =
    drawn ??
    (props.trace && traceView.data && traceView.fresh && traceView.params?.trace === axis.traceId
      ? { trace: props.trace, view: traceView.data }
      : null);
  // Asked once the rows are of the model the page holds: while they are held on a preview, the
  // engine answers the rows' questions first (this one costs seconds on a large trace).
  const rl = useEngineQuery(
    'runtimeLanes',
    axis.traceId && props.trace && current ? { trace: axis.traceId } : null,
  );
  const runtime = rl.params?.trace === axis.traceId && rl.fresh && current ? rl.data : null;
  const select = useCallback(
    (ref: Selection | null) => store.getState().select(onHeldModel(ref, props.layout, files)),
    [store, props.layout, files],
  );
  // The row of the search result stepped to (SearchPanel), scrolled to the top of the lanes.
  const [searchRow, setSearchRow] = useState<string | null>(null);
  // A new lane restriction scrolls to its first lane, not to the last search result's.
  useEffect(() => setSearchRow(null), [lanes.only]);
  const shiftBase = useRef(0);
  const hover = useCallback(
    (picked: Selection | null) => {
      const st = store.getState();
      const ref = onHeldModel(picked, props.layout, st.files);
      st.hover(ref);
      // Hovering a dlv call previews its function across the timeline and the flame graph.
      if (ref?.kind === 'dlv') {
        const f = st.files.find((x) => x.id === ref.fileId);
        const m = f?.decoded?.format === 'dlv-trace' ? f.decoded.model : null;
        st.setPreview(m ? (m.strings[m.spans.func[ref.span]!] ?? null) : null);
      } else if (st.preview !== null && st.hovered === null) st.setPreview(null);
    },
    [store, props.layout],
  );
  if (!view) return null;
  return (
    <>
      {props.trace && (
        <>
          {overview && (
            <Overview
              trace={overview.trace}
              traceView={overview.view}
              view={view}
              setView={s.setView}
              selection={selection}
              histogram={searchView?.ok ? searchView.histogram : (highlight?.histogram ?? null)}
            />
          )}
          <SearchPanel
            store={store}
            trace={props.trace}
            layout={props.layout}
            params={sParams}
            result={searchView}
            pending={sr.pending}
            onReveal={setSearchRow}
          />
          <LaneToolbar
            lanes={lanes}
            setLanes={s.setLanes}
            layout={props.layout}
            highlight={highlight}
          />
          <LaneNotice layout={props.layout} />
        </>
      )}
      <Timeline
        testId="timeline"
        ariaLabel="Timeline: goroutine lanes, trace tracks and dlv calls on the shared time axis"
        unit="ns"
        limit={axis.durationNs}
        wallBaseNs={axis.wallBaseNs}
        layout={props.layout}
        view={view}
        setView={s.setView}
        selection={selection}
        setSelection={s.setSelection}
        selected={selected}
        hovered={hovered}
        select={select}
        hover={hover}
        onToggleGroup={(key, collapsed) => {
          // Folding the trace's tracks is a layout preference: remembered for the next visit.
          if (key === TRACKS_KEY) writePref('tracksCollapsed', collapsed);
          s.setLanes({ collapsed: { ...store.getState().lanes.collapsed, [key]: collapsed } });
        }}
        highlight={highlight}
        arrows={chain ? NO_ARROWS : arrows}
        chain={chain}
        reveal={reveal}
        onRevealHidden={(g) => pinLane(store, g)}
        onViewport={s.setLaneViewport}
        onPickTask={s.pickTask}
        runtime={runtime}
        search={searchPaint}
        scrollTo={
          searchRow ??
          (lanes.only ? (props.layout.rows.find((r) => r.kind === 'goroutine')?.key ?? null) : null)
        }
        onFollowUnblock={() => {
          const p = unblockParams(store.getState());
          if (!p) return;
          void engine.query('unblock', p).then(({ follow }) => {
            const st = store.getState();
            // Only if the selection has not moved on meanwhile.
            const sel = st.selected;
            if (follow < 0 || sel?.kind !== 'interval' || sel.interval !== p.interval) return;
            st.jump({ kind: 'interval', fileId: p.trace, interval: follow });
          });
        }}
        onShiftFile={(fileId, deltaNs, phase) => {
          const st = store.getState();
          if (phase === 'start') {
            const p = [...st.axis.dlv, ...st.axis.profiles].find((x) => x.fileId === fileId);
            shiftBase.current = p?.offsetNs ?? 0;
          }
          st.setOffset(fileId, shiftBase.current + deltaNs);
        }}
        globalKeys
        sessionEscape
        onHelp={props.onHelp}
      />
    </>
  );
}

/** A file with a time axis of its own (not on the trace's clock, or in line order). */
const StandalonePanel = memo(function StandalonePanel(props: {
  store: SessionStore;
  layout: RowLayout;
  limit: number;
  unit: 'ns' | 'seq';
  primary: boolean;
  note: string;
  onHelp(): void;
}) {
  const selected = useStore(props.store, (x) => x.selected);
  const hovered = useStore(props.store, (x) => x.hovered);
  const s = props.store.getState();
  const [view, setView] = useState<TimeRange>({ startNs: 0, endNs: props.limit });
  const [selection, setSelection] = useState<TimeRange | null>(null);
  const id = props.layout.rows[0]?.key ?? 'x';
  return (
    <section className={`panel ${props.primary ? 'grow' : 'seq'}`} aria-label={props.note}>
      <p className="panel-note">{props.note}</p>
      <Timeline
        testId={props.primary ? 'timeline' : `standalone-${id}`}
        ariaLabel={props.note}
        unit={props.unit}
        limit={props.limit}
        wallBaseNs={null}
        layout={props.layout}
        view={view}
        setView={setView}
        selection={selection}
        setSelection={setSelection}
        selected={selected}
        hovered={hovered}
        select={s.select}
        hover={s.hover}
        globalKeys={props.primary}
        onHelp={props.onHelp}
      />
    </section>
  );
});

/** What the main area says while nothing can be drawn yet: how far the files are. */
function openingWords(files: ReadonlyArray<{ status: 'loading' | 'ready' | 'error' }>): string {
  const done = files.filter((f) => f.status !== 'loading').length;
  const failed = files.filter((f) => f.status === 'error').length;
  return (
    `${done} of ${files.length} file${files.length === 1 ? '' : 's'} done` +
    (failed > 0 ? `, ${failed} could not be opened (the file list says why)` : '') +
    '.'
  );
}
