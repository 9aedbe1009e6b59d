// The shell: drop zone when empty; otherwise the file list and details beside the timeline(s).
// Files can be dropped anywhere on the page at any time; all of them join one session.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { describeError } from '../base/errors';
import { DetailsPanel } from '../components/DetailsPanel';
import { DropZone } from '../components/DropZone';
import { FlamePanel, sourcesOf } from '../components/flame/FlamePanel';
import { FileList } from '../components/FileList';
import { ShortcutsHelp } from '../components/ShortcutsHelp';
import { Timeline, type TimelineTrack } from '../components/Timeline';
import { StoreContext } from '../components/session';
import { pageState, type SessionStore, type TimeRange } from '../store/session';
import { ErrorBoundary } from './ErrorBoundary';
import { fetchExample } from './example';
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

  const timedTracks = useMemo<TimelineTrack[]>(
    () =>
      s.axis.timed.flatMap((t) => {
        const f = s.files.find((x) => x.id === t.fileId);
        return f?.decoded?.format === 'dlv-trace'
          ? [{ fileId: f.id, name: f.name, model: f.decoded.model, offset: t.offsetNs }]
          : [];
      }),
    [s.axis, s.files],
  );
  const flameSources = useMemo(() => sourcesOf(s.files), [s.files]);
  const seqTracks = useMemo<TimelineTrack[]>(
    () =>
      s.axis.sequential.flatMap((id) => {
        const f = s.files.find((x) => x.id === id);
        return f?.decoded?.format === 'dlv-trace'
          ? [{ fileId: f.id, name: f.name, model: f.decoded.model, offset: 0 }]
          : [];
      }),
    [s.axis, s.files],
  );

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
                  {timedTracks.length > 0 && s.view && (
                    <section className="panel grow" aria-label="Timeline">
                      <Timeline
                        testId="timeline"
                        ariaLabel="Timeline: dlv calls per goroutine on the shared time axis"
                        unit="ns"
                        limit={s.axis.durationNs}
                        wallBaseNs={s.axis.wallBaseNs}
                        tracks={timedTracks}
                        view={s.view}
                        setView={s.setView}
                        selection={s.selection}
                        setSelection={s.setSelection}
                        selected={s.selected}
                        hovered={s.hovered}
                        select={s.select}
                        hover={s.hover}
                        globalKeys
                        onHelp={() => setHelp(true)}
                      />
                    </section>
                  )}
                  {seqTracks.map((t) => (
                    <SequencePanel
                      key={t.fileId}
                      track={t}
                      store={store}
                      primary={timedTracks.length === 0}
                      onHelp={() => setHelp(true)}
                    />
                  ))}
                  {flameSources.length > 0 && (
                    <section
                      className={`panel flame ${timedTracks.length + seqTracks.length > 0 ? 'split' : 'grow'}`}
                      aria-label="Flame graph"
                    >
                      <FlamePanel />
                    </section>
                  )}
                  {timedTracks.length === 0 &&
                    seqTracks.length === 0 &&
                    flameSources.length === 0 &&
                    state !== 'loading' && (
                      <div className="nothing" data-testid="nothing">
                        <h2>Nothing to draw</h2>
                        <p>
                          None of the files in this session holds calls to show; the file list says
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

/** A dlv log without timestamps: its calls in line order, on their own sequence axis. */
function SequencePanel({
  track,
  store,
  primary,
  onHelp,
}: {
  track: TimelineTrack;
  store: SessionStore;
  primary: boolean;
  onHelp(): void;
}) {
  const s = useStore(store);
  const limit = Math.max(1, track.model.lineCount);
  const [view, setView] = useState<TimeRange>({ startNs: 0, endNs: limit });
  const [selection, setSelection] = useState<TimeRange | null>(null);
  return (
    <section
      className={`panel ${primary ? 'grow' : 'seq'}`}
      aria-label={`Sequence view of ${track.name}`}
    >
      <p className="panel-note">
        {track.name} has no timestamps (record with <code>dlv trace --timestamp</code> to place
        calls in time): calls are shown in the order Delve printed them.
      </p>
      <Timeline
        testId={primary ? 'timeline' : `sequence-${track.fileId}`}
        ariaLabel={`Sequence view of ${track.name}`}
        unit="seq"
        limit={limit}
        wallBaseNs={null}
        tracks={[track]}
        view={view}
        setView={setView}
        selection={selection}
        setSelection={setSelection}
        selected={s.selected}
        hovered={s.hovered}
        select={s.select}
        hover={s.hover}
        globalKeys={primary}
        onHelp={onHelp}
      />
    </section>
  );
}
