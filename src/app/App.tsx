// The shell: drop zone when empty; otherwise the file list and details beside the timeline and
// the flame graph. Files can be dropped anywhere on the page at any time; all join one session.

import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { describeError } from '../base/errors';
import { DetailsPanel } from '../components/DetailsPanel';
import { DropZone } from '../components/DropZone';
import { FileList } from '../components/FileList';
import { LaneToolbar } from '../components/LaneToolbar';
import { Overview } from '../components/Overview';
import { ShortcutsHelp } from '../components/ShortcutsHelp';
import { Timeline } from '../components/Timeline';
import { FlamePanel, sourcesOf } from '../components/flame/FlamePanel';
import { StoreContext } from '../components/session';
import type { RowLayout } from '../analysis/timelineRows';
import type { TraceModel } from '../model/trace';
import { pageState, type SessionStore, type TimeRange } from '../store/session';
import { ErrorBoundary } from './ErrorBoundary';
import { fetchExample } from './example';
import { sessionRows } from './rows';
import { ShareDialog } from './ShareDialog';

export function App({ store }: { store: SessionStore }) {
  // Subscribe to what the shell shows, not to the view: panning must not re-render the whole page.
  const files = useStore(store, (x) => x.files);
  const axis = useStore(store, (x) => x.axis);
  const lanes = useStore(store, (x) => x.lanes);
  const sessionError = useStore(store, (x) => x.sessionError);
  const hasView = useStore(store, (x) => x.view !== null);
  const s = store.getState();
  const state = pageState({ files, sessionError });
  const [help, setHelp] = useState(false);
  const [share, setShare] = useState(false);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    document.documentElement.dataset.state = state;
  }, [state]);

  const loadExample = useCallback(async () => {
    try {
      s.addFiles(await fetchExample());
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

  const rows = sessionRows({ files, axis, lanes });
  const flameSources = useMemo(() => sourcesOf(files), [files]);
  const trace = axis.traceId ? files.find((f) => f.id === axis.traceId) : undefined;
  const traceModel = trace?.decoded?.format === 'go-trace' ? trace.decoded.model : null;
  const hasMain = rows.main.rows.length > 0 && hasView;
  const hasTimeline = hasMain || rows.apart.length > 0 || rows.sequential.length > 0;

  return (
    <StoreContext.Provider value={store}>
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
              <aside className="sidebar">
                <MemoFileList />
                <MemoDetailsPanel />
              </aside>
              <main className="main">
                <ErrorBoundary>
                  {hasMain && (
                    <section className="panel grow" aria-label="Timeline">
                      <MainTimeline
                        store={store}
                        layout={rows.main}
                        trace={traceModel}
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
                  {flameSources.length > 0 && (
                    <section
                      className={`panel flame ${hasTimeline ? 'split' : 'grow'}`}
                      aria-label="Flame graph"
                    >
                      <MemoFlamePanel />
                    </section>
                  )}
                  {!hasTimeline && flameSources.length === 0 && state !== 'loading' && (
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
      </div>
    </StoreContext.Provider>
  );
}

const MemoFlamePanel = memo(FlamePanel);
const MemoFileList = memo(FileList);
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
  const s = store.getState();
  if (!view) return null;
  return (
    <>
      {props.trace && (
        <>
          <Overview trace={props.trace} view={view} setView={s.setView} selection={selection} />
          <LaneToolbar lanes={lanes} setLanes={s.setLanes} layout={props.layout} />
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
        select={s.select}
        hover={s.hover}
        onToggleGroup={(key, collapsed) =>
          s.setLanes({ collapsed: { ...store.getState().lanes.collapsed, [key]: collapsed } })
        }
        globalKeys
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
