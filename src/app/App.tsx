// The shell: drop zone when empty; otherwise the file list and details beside the timeline and
// the flame graph. Files can be dropped anywhere on the page at any time; all join one session.

import { useCallback, useEffect, useMemo, useState } from 'react';
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
import { pageState, type SessionStore, type TimeRange } from '../store/session';
import { ErrorBoundary } from './ErrorBoundary';
import { fetchExample } from './example';
import { sessionRows } from './rows';
import { ShareDialog } from './ShareDialog';

export function App({ store }: { store: SessionStore }) {
  const s = useStore(store);
  const state = pageState(s);
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

  const rows = sessionRows(s);
  const flameSources = useMemo(() => sourcesOf(s.files), [s.files]);
  const trace = s.axis.traceId ? s.files.find((f) => f.id === s.axis.traceId) : undefined;
  const traceModel = trace?.decoded?.format === 'go-trace' ? trace.decoded.model : null;
  const hasMain = rows.main.rows.length > 0 && s.view !== null;
  const hasTimeline = hasMain || rows.apart.length > 0 || rows.sequential.length > 0;

  return (
    <StoreContext.Provider value={store}>
      <div className="app" data-testid="app" data-state={state}>
        {s.files.length === 0 ? (
          <>
            <DropZone onFiles={(f) => s.addFiles(f)} onExample={() => void loadExample()} />
            {s.sessionError && (
              <p className="session-error" role="alert">
                {s.sessionError}
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
                <FileList />
                <DetailsPanel />
              </aside>
              <main className="main">
                <ErrorBoundary>
                  {hasMain && s.view && (
                    <section className="panel grow" aria-label="Timeline">
                      {traceModel && (
                        <>
                          <Overview
                            trace={traceModel}
                            view={s.view}
                            setView={s.setView}
                            selection={s.selection}
                          />
                          <LaneToolbar lanes={s.lanes} setLanes={s.setLanes} layout={rows.main} />
                        </>
                      )}
                      <Timeline
                        testId="timeline"
                        ariaLabel="Timeline: goroutine lanes, trace tracks and dlv calls on the shared time axis"
                        unit="ns"
                        limit={s.axis.durationNs}
                        wallBaseNs={s.axis.wallBaseNs}
                        layout={rows.main}
                        view={s.view}
                        setView={s.setView}
                        selection={s.selection}
                        setSelection={s.setSelection}
                        selected={s.selected}
                        hovered={s.hovered}
                        select={s.select}
                        hover={s.hover}
                        onToggleGroup={(key, collapsed) =>
                          s.setLanes({ collapsed: { ...s.lanes.collapsed, [key]: collapsed } })
                        }
                        globalKeys
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
                      <FlamePanel />
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

/** A file with a time axis of its own (not on the trace's clock, or in line order). */
function StandalonePanel(props: {
  store: SessionStore;
  layout: RowLayout;
  limit: number;
  unit: 'ns' | 'seq';
  primary: boolean;
  note: string;
  onHelp(): void;
}) {
  const s = useStore(props.store);
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
        selected={s.selected}
        hovered={s.hovered}
        select={s.select}
        hover={s.hover}
        globalKeys={props.primary}
        onHelp={props.onHelp}
      />
    </section>
  );
}
