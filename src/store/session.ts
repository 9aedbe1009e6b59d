// The session store (zustand): files and their load status, the view range, the time selection
// and the selected/hovered item. Actions start and cancel decode workers through worker/client;
// nothing here touches the DOM.

import { createStore } from 'zustand/vanilla';
import type { DecodedFile, FormatId } from '../model/file';
import type { FileSummary } from '../model/summary';
import { decodeInWorker, type DecodeJob } from '../worker/client';
import { sessionAxis, type SessionAxis } from '../analysis/session';

export type LoadStatus = 'loading' | 'ready' | 'error';

export interface SessionFileState {
  id: string;
  name: string;
  size: number;
  status: LoadStatus;
  stage: string;
  progress: number;
  format: FormatId | null;
  error: string | null;
  /** Shown beside the file but not fatal (e.g. a name that promises another format). */
  notices: string[];
  decoded: DecodedFile | null;
  summary: FileSummary | null;
}

export interface TimeRange {
  startNs: number;
  endNs: number;
}

/** A dlv span picked by click: which file, which span index. */
export interface SpanRef {
  fileId: string;
  span: number;
}

export type PageState = 'empty' | 'loading' | 'ready' | 'error';

export interface SessionState {
  files: SessionFileState[];
  axis: SessionAxis;
  /** Visible range on the session axis; null until there is an axis. */
  view: TimeRange | null;
  selection: TimeRange | null;
  selected: SpanRef | null;
  hovered: SpanRef | null;
  /** A problem with the session itself (e.g. the example could not be fetched). */
  sessionError: string | null;

  addFiles(files: ReadonlyArray<File | { name: string; blob: Blob }>): void;
  removeFile(id: string): void;
  clear(): void;
  setView(view: TimeRange): void;
  setSelection(sel: TimeRange | null): void;
  select(ref: SpanRef | null): void;
  hover(ref: SpanRef | null): void;
  setSessionError(message: string | null): void;
}

/** The page state shown in `data-state`: loading wins, then error when nothing loaded. */
export function pageState(s: Pick<SessionState, 'files' | 'sessionError'>): PageState {
  if (s.files.some((f) => f.status === 'loading')) return 'loading';
  if (s.files.length === 0) return s.sessionError ? 'error' : 'empty';
  if (s.files.some((f) => f.status === 'ready')) return 'ready';
  return 'error';
}

let nextId = 1;

export function createSessionStore(decode = decodeInWorker) {
  const jobs = new Map<string, DecodeJob>();

  return createStore<SessionState>()((set, get) => {
    const patchFile = (id: string, patch: Partial<SessionFileState>): void => {
      set((s) => ({ files: s.files.map((f) => (f.id === id ? { ...f, ...patch } : f)) }));
    };
    /** Recomputes the axis after files change; keeps the view when the axis did not change. */
    const refreshAxis = (): void => {
      const s = get();
      const axis = sessionAxis(s.files.map((f) => ({ id: f.id, decoded: f.decoded })));
      const changed = axis.durationNs !== s.axis.durationNs;
      set({
        axis,
        view:
          changed || !s.view
            ? axis.durationNs > 0
              ? { startNs: 0, endNs: axis.durationNs }
              : null
            : s.view,
        selection: changed ? null : s.selection,
      });
    };

    return {
      files: [],
      axis: sessionAxis([]),
      view: null,
      selection: null,
      selected: null,
      hovered: null,
      sessionError: null,

      addFiles(inputs) {
        const added: SessionFileState[] = [];
        for (const input of inputs) {
          const blob = input instanceof Blob ? input : input.blob;
          const id = `f${nextId++}`;
          const entry: SessionFileState = {
            id,
            name: input.name,
            size: blob.size,
            status: 'loading',
            stage: 'queued',
            progress: 0,
            format: null,
            error: null,
            notices: [],
            decoded: null,
            summary: null,
          };
          added.push(entry);
          const job = decode(input.name, blob, (stage, fraction) =>
            patchFile(id, { stage, progress: fraction }),
          );
          jobs.set(id, job);
          job.result.then(
            (r) => {
              jobs.delete(id);
              if (!get().files.some((f) => f.id === id)) return;
              if (r.ok) {
                const notices = [
                  ...(r.file.nameMismatch ? [r.file.nameMismatch] : []),
                  ...r.file.warnings,
                ];
                patchFile(id, {
                  status: 'ready',
                  progress: 1,
                  format: r.file.format,
                  decoded: r.file,
                  summary: r.summary,
                  notices,
                });
                refreshAxis();
              } else {
                patchFile(id, {
                  status: 'error',
                  format: r.format,
                  error: r.error.message,
                  summary: r.summary,
                });
              }
            },
            () => jobs.delete(id), // cancelled: the file is already gone
          );
        }
        set((s) => ({ files: [...s.files, ...added], sessionError: null }));
      },

      removeFile(id) {
        jobs.get(id)?.cancel();
        jobs.delete(id);
        set((s) => ({
          files: s.files.filter((f) => f.id !== id),
          selected: s.selected?.fileId === id ? null : s.selected,
          hovered: s.hovered?.fileId === id ? null : s.hovered,
        }));
        refreshAxis();
      },

      clear() {
        for (const job of jobs.values()) job.cancel();
        jobs.clear();
        set({ files: [], selected: null, hovered: null, selection: null, sessionError: null });
        refreshAxis();
      },

      setView(view) {
        set({ view });
      },
      setSelection(selection) {
        set({ selection });
      },
      select(selected) {
        set({ selected });
      },
      hover(hovered) {
        if (get().hovered?.span !== hovered?.span || get().hovered?.fileId !== hovered?.fileId)
          set({ hovered });
      },
      setSessionError(sessionError) {
        set({ sessionError });
      },
    };
  });
}

export type SessionStore = ReturnType<typeof createSessionStore>;
