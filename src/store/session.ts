// The session store (zustand): files and their load status, the view range, the time selection
// and the selected/hovered item. Actions start and cancel decode workers through worker/client and
// ask the engine (engine/api.ts) for the session's axis; nothing here touches the DOM.

import { createStore } from 'zustand/vanilla';
import type { DecodedFile, FormatId } from '../model/file';
import { sameInterval } from '../model/lookup';
import { isAbort } from '../base/errors';
import { decodeInWorker, type DecodeJob, type DecodeSource } from '../worker/client';

export type { DecodeFn } from './budgetedDecode';
import type { EngineApi } from '../engine/api';
import type { SessionAxis } from '../analysis/session';
import { InflateBudget } from '../base/budget';
import { describeError } from '../base/errors';
import { decodeWithBudget, type DecodeFn } from './budgetedDecode';
import { clampRange, decodeViewState, encodeViewState, pickOf, type ViewState } from './viewState';
import type { FlameState, LaneSettings, SearchState, Selection, TimeRange } from './types';

export type { FlameState, LaneSettings, SearchState, Selection, TimeRange } from './types';

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
  /**
   * Shown beside the file but not fatal: `alert` for problems (a damaged file read partly, a name
   * that promises another format), `status` for remarks (why a log shows no calls).
   */
  notices: Array<{ text: string; level: 'alert' | 'status' }>;
  decoded: DecodedFile | null;
  /** Where the bytes came from: a URL can be shared in a link, a local file cannot. */
  url: string | null;
  /** The local file itself (a reference, not a copy), for session bundles. */
  blob: Blob | null;
  /** A small bundle entry's bytes (LAZY_BLOB_BYTES), for session bundles; else null. */
  bytes: Uint8Array | null;
  /**
   * Which model `decoded` is: 0 for the only one; for a large trace shown while it decodes, the
   * previews count from 1 and the final model follows the last (worker/client.ts Preview).
   */
  rev: number;
}

export type FileInput =
  | File
  | { name: string; blob: Blob }
  /** A bundle's entry: made a Blob only once the session takes it (see LAZY_BLOB_BYTES). */
  | { name: string; bytes: Uint8Array }
  | { name: string; url: string }
  /** A file that could not even be asked for (a malformed link): listed with its message. */
  | { name: string; error: string };

export function sameSelection(a: Selection | null, b: Selection | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind !== b.kind || a.fileId !== b.fileId) return false;
  return a.kind === 'dlv'
    ? a.span === (b as typeof a).span
    : a.interval === (b as typeof a).interval;
}

export type PageState = 'empty' | 'loading' | 'ready' | 'error';

export const DEFAULT_LANES: LaneSettings = {
  sort: 'id',
  filter: '',
  collapsed: {},
  only: null,
  pinned: [],
};

/** Pinned lanes kept at most (the oldest goes first): a walk along a chain pins each step. */
export const MAX_PINNED = 8;

/** The axis of a session with no timed file. */
export const EMPTY_AXIS: SessionAxis = {
  durationNs: 0,
  wallBaseNs: null,
  traceId: null,
  clockCandidates: [],
  dlv: [],
  profiles: [],
  sequential: [],
};

export const INITIAL_FLAME: FlameState = {
  source: null,
  types: {},
  search: '',
  focus: '',
  ignore: '',
  hide: '',
  mergeBy: 'function',
  mode: 'flame',
  zoom: [],
  func: null,
  sort: { by: 'flat', desc: true },
  labels: [],
  split: 'reason',
  scope: 'all',
  scopeIds: [],
  scopeLabel: '',
  compare: null,
};

export const INITIAL_SEARCH: SearchState = {
  query: '',
  inSelection: false,
  onlyLanes: false,
  sort: { by: 'start', desc: false },
  cursor: -1,
};

export interface SessionState {
  files: SessionFileState[];
  /** The shared time axis, from the engine (the `axis` query) once the files changed. */
  axis: SessionAxis;
  /** The engine is computing a new axis (the page counts as loading meanwhile). */
  axisPending: boolean;
  /** Visible range on the session axis; null until there is an axis. */
  view: TimeRange | null;
  selection: TimeRange | null;
  selected: Selection | null;
  hovered: Selection | null;
  /**
   * A goroutine lane to bring into view (index in the trace), asked by a jump; `seq` counts the
   * requests so that asking again for the same lane scrolls again. The main timeline pins the
   * lane when the lane settings hide it, then scrolls to it (issue 20).
   */
  reveal: { goroutine: number; seq: number } | null;
  /** A task picked on the tasks track (index into the clock trace's tasks): its "why slow". */
  pickedTask: number | null;
  /** The main timeline's lanes viewport (content px), for the automation snapshot. */
  laneViewport: { scrollY: number; height: number } | null;
  /** Manual alignment: offset (ns) chosen by the user per file id. */
  offsets: Record<string, number>;
  /** The trace picked as the session's clock (a file id), or null for the first usable one. */
  clockTrace: string | null;
  /** Goroutine lane grouping, sorting, filter and collapsed groups. */
  lanes: LaneSettings;
  /** A function previewed by hovering a flame frame or a dlv call (the timeline lights it up). */
  preview: string | null;
  /** A problem with the session itself (e.g. the example could not be fetched). */
  sessionError: string | null;
  /**
   * View state from a link or bundle, applied once every file has loaded; `base` is the position
   * of the link's or bundle's first file in the session (picks count from there).
   */
  pendingView: { state: string; base: number } | null;
  flame: FlameState;
  search: SearchState;

  addFiles(files: ReadonlyArray<FileInput>): void;
  /** Restores a view state string (link hash, bundle) once loading is over. */
  restoreView(state: string): void;
  /** The current view state as a link hash / bundle string. */
  viewStateString(): string;
  removeFile(id: string): void;
  clear(): void;
  setView(view: TimeRange): void;
  setSelection(sel: TimeRange | null): void;
  select(ref: Selection | null): void;
  /**
   * Selects an interval of a goroutine and brings it into view (a cause, "unblocked by", the
   * creator, U): its lane is revealed (pinned when hidden) and the view pans to it if it is off.
   */
  jump(ref: Selection): void;
  setLaneViewport(scrollY: number, height: number): void;
  /** Shows a task's "Why was this slow?" in the details (null: none); selecting an item clears it. */
  pickTask(task: number | null): void;
  hover(ref: Selection | null): void;
  setSessionError(message: string | null): void;
  setFlame(patch: Partial<FlameState>): void;
  setLanes(patch: Partial<LaneSettings>): void;
  /** Changes the search; a new query, range or order starts stepping from the first result. */
  setSearch(patch: Partial<SearchState>): void;
  setPreview(func: string | null): void;
  /** Sets (or with null clears) a file's manual offset on the session axis. */
  setOffset(fileId: string, offsetNs: number | null): void;
  /** Picks the trace that is the session's clock (null: the first that can be). */
  setClockTrace(fileId: string | null): void;
  /**
   * Esc: clears one thing per press, always in the same order whichever panel has the focus
   * (ESCAPE_ORDER): the flame search, the highlight (picked function, sandwich), the selected
   * item, the time selection, then one level of flame zoom. Returns what it cleared, or null.
   */
  escape(): EscapeStep | null;
}

/** What Esc clears, first to last (ShortcutsHelp lists it in these words). */
export const ESCAPE_ORDER = ['query', 'search', 'highlight', 'item', 'selection', 'zoom'] as const;
export type EscapeStep = (typeof ESCAPE_ORDER)[number];

/** The page state shown in `data-state`: loading wins, then error when nothing loaded. */
export function pageState(
  s: Pick<SessionState, 'files' | 'sessionError'> & { axisPending?: boolean },
): PageState {
  if (s.files.some((f) => f.status === 'loading') || s.axisPending) return 'loading';
  if (s.files.length === 0) return s.sessionError ? 'error' : 'empty';
  if (s.files.some((f) => f.status === 'ready')) return 'ready';
  return 'error';
}

let nextId = 1;

function failedInput(id: string, name: string, error: string): SessionFileState {
  return {
    id,
    name,
    size: 0,
    status: 'error',
    stage: '',
    progress: 0,
    format: null,
    error,
    notices: [],
    decoded: null,
    url: null,
    blob: null,
    bytes: null,
    rev: 0,
  };
}

/**
 * A bundle entry smaller than this waits as bytes and becomes a Blob when a worker takes it:
 * making a Blob costs the page about 0.7 ms whatever its size, which hundreds of small entries
 * turn into a second of a frozen page. A larger entry becomes a Blob at once, so that the page
 * does not hold its bytes beside the Blob's copy for the whole session.
 */
const LAZY_BLOB_BYTES = 64 << 10;

function sourceOf(input: Exclude<FileInput, { error: string }>): DecodeSource {
  if (input instanceof Blob) return input;
  if ('bytes' in input) {
    return input.bytes.byteLength < LAZY_BLOB_BYTES
      ? { bytes: input.bytes }
      : new Blob([input.bytes as Uint8Array<ArrayBuffer>]);
  }
  return 'url' in input ? { url: input.url } : input.blob;
}

/** Bytes a file brings to the session (0 for a URL: not known until fetched). */
function sizeOf(input: Exclude<FileInput, { error: string }>): number {
  if (input instanceof Blob) return input.size;
  if ('bytes' in input) return input.bytes.byteLength;
  return 'url' in input ? 0 : input.blob.size;
}

/**
 * What one session (one page) opens at most (issue 21): every file costs a decode and a model in
 * memory, and a link or a bundle can name thousands. Files past either limit are left out, and
 * the session says which.
 */
export const SESSION_LIMITS = { files: 256, bytes: 4 * 2 ** 30 };

export interface SessionDeps {
  /** The engine that holds the decoded models: asked for the axis, told when a file goes away. */
  engine: EngineApi;
  /**
   * Starts decoding a file; the decoded model must reach the engine too (the page's decode
   * workers post it there themselves). Default: a decode worker per file, without the engine.
   */
  decode?: DecodeFn;
  /** What the session opens at most (default SESSION_LIMITS). */
  limits?: { files: number; bytes: number };
}

export function createSessionStore(deps: SessionDeps) {
  const decode: DecodeFn =
    deps.decode ??
    ((name, source, onProgress, inflate) => decodeInWorker(name, source, onProgress, inflate));
  const engine = deps.engine;
  const limits = deps.limits ?? SESSION_LIMITS;
  const jobs = new Map<string, DecodeJob>();
  /** Decompressed bytes the session's files hold, shared by all of them (base/budget.ts). */
  const budget = new InflateBudget();
  /** The latest axis request: answers to older ones are dropped. */
  let axisRequest = 0;
  /** A restored view, selection and pick waiting for the axis its offsets make. */
  let restoreAfterAxis: {
    view: TimeRange | undefined;
    selection: TimeRange | undefined;
    selected: Selection | null;
  } | null = null;

  return createStore<SessionState>()((set, get) => {
    /**
     * Progress waiting to reach the store: every report of one task (the pool re-tells every
     * waiting file where it stands each time a file finishes) becomes one store update, at the end
     * of that task, instead of one per file: with hundreds of files, one update per report made a
     * click wait seconds (issue 21).
     */
    const progress = new Map<string, Partial<SessionFileState>>();
    const applyPatches = (patches: ReadonlyMap<string, Partial<SessionFileState>>): void => {
      // Nothing for a file already gone (a cancelled decode still reports), nor when nothing
      // changes.
      const changed = get().files.some((f) => {
        const patch = patches.get(f.id);
        if (!patch) return false;
        const keys = Object.keys(patch) as Array<keyof SessionFileState>;
        return !keys.every((k) => Object.is(f[k], patch[k]));
      });
      if (!changed) return;
      set((s) => ({
        files: s.files.map((x) => {
          const patch = patches.get(x.id);
          return patch ? { ...x, ...patch } : x;
        }),
      }));
    };
    const flushProgress = (): void => {
      if (progress.size === 0) return;
      const patches = new Map(progress);
      progress.clear();
      applyPatches(patches);
    };
    const reportProgress = (id: string, stage: string, fraction: number): void => {
      if (progress.size === 0) queueMicrotask(flushProgress);
      progress.set(id, { stage, progress: fraction });
    };
    /** A change of a file's status: at once, after any progress reported before it. */
    const patchFile = (id: string, patch: Partial<SessionFileState>): void => {
      flushProgress();
      applyPatches(new Map([[id, patch]]));
    };
    /**
     * Shows model `rev` of a file: a preview of it while it decodes, or its final model after
     * previews. The engine is told (queries then wait for that model, and views ask again); the
     * selected interval moves to the same interval of the new model, which keeps each goroutine's
     * intervals so far in the same order (model/traceBuilder.ts snapshot).
     */
    const showRevision = (
      id: string,
      file: DecodedFile,
      rev: number,
      patch: Partial<SessionFileState>,
    ): void => {
      const s = get();
      const before = s.files.find((f) => f.id === id)?.decoded;
      let selected = s.selected;
      if (selected?.fileId === id && selected.kind === 'interval') {
        const moved =
          before?.format === 'go-trace' && file.format === 'go-trace'
            ? sameInterval(before.model, file.model, selected.interval)
            : null;
        selected = moved === null ? null : { ...selected, interval: moved };
      }
      engine.revise?.(id, rev);
      set({ selected, hovered: s.hovered?.fileId === id ? null : s.hovered });
      patchFile(id, { ...patch, decoded: file, format: file.format, rev });
    };
    /**
     * Asks the engine for the axis after files or offsets change; keeps the view when the axis did
     * not change. The page is loading until the answer arrives.
     */
    const refreshAxis = (): void => {
      const s = get();
      const request = ++axisRequest;
      set({ axisPending: true });
      engine
        .query(
          'axis',
          {
            files: s.files.filter((f) => f.decoded).map((f) => f.id),
            offsets: s.offsets,
            clock: s.clockTrace,
          },
          { channel: 'axis' },
        )
        .then(
          (axis) => {
            if (request !== axisRequest) return;
            const cur = get();
            const changed =
              axis.durationNs !== cur.axis.durationNs || axis.traceId !== cur.axis.traceId;
            // The same trace, longer: a newer preview of it, or its whole model. A zoom and a
            // selection stay; a view of everything grows with it.
            const grown =
              changed &&
              axis.traceId !== null &&
              axis.traceId === cur.axis.traceId &&
              axis.durationNs > cur.axis.durationNs &&
              cur.view !== null &&
              !(cur.view.startNs <= 0 && cur.view.endNs >= cur.axis.durationNs);
            set({
              axis,
              axisPending: false,
              view:
                grown
                  ? cur.view
                  : changed || !cur.view
                    ? axis.durationNs > 0
                      ? { startNs: 0, endNs: axis.durationNs }
                      : null
                    : cur.view,
              selection: changed && !grown ? null : cur.selection,
            });
            const r = restoreAfterAxis;
            restoreAfterAxis = null;
            if (r) restore(r.view, r.selection, r.selected);
            applyPending();
          },
          (e: unknown) => {
            if (isAbort(e) || request !== axisRequest) return;
            // A file went away while the axis was computed: the refresh that follows settles it.
            set({
              axisPending: false,
              sessionError: `The time axis could not be computed: ${describeError(e)}`,
            });
          },
        );
    };
    /** Sets a restored view, selection and pick, fitted to the axis. */
    const restore = (
      v: TimeRange | undefined,
      sel: TimeRange | undefined,
      selected: Selection | null,
    ): void => {
      const limit = get().axis.durationNs;
      const view = clampRange(v, limit);
      set({ view: view ?? get().view, selection: clampRange(sel, limit), selected });
    };
    /** Applies a link's or bundle's view state once nothing is loading any more. */
    const applyPending = (): void => {
      const s = get();
      if (s.pendingView === null || s.files.some((f) => f.status === 'loading') || s.axisPending)
        return;
      const v: ViewState = decodeViewState(s.pendingView.state);
      const file = v.pick ? s.files[s.pendingView.base + v.pick.file] : undefined;
      const d = file?.decoded;
      let selected = s.selected;
      if (file && d && v.pick) {
        if (v.pick.kind === 'd' && d.format === 'dlv-trace' && v.pick.index < d.model.spanCount) {
          selected = { kind: 'dlv', fileId: file.id, span: v.pick.index };
        } else if (
          v.pick.kind === 'i' &&
          d.format === 'go-trace' &&
          v.pick.index < d.model.intervals.length
        ) {
          selected = { kind: 'interval', fileId: file.id, interval: v.pick.index };
        }
      }
      const base = s.pendingView.base;
      const at = (i: number) => s.files[base + i];
      const offsets = { ...s.offsets };
      for (const [i, ns] of Object.entries(v.offsets ?? {})) {
        const f = at(Number(i));
        if (f) offsets[f.id] = ns;
      }
      const flame = { ...s.flame, ...(v.flame ?? {}) };
      if (v.flame?.compare) flame.compare = clampRange(v.flame.compare, s.axis.durationNs);
      if (v.source) {
        const f = 'file' in v.source ? at(v.source.file) : undefined;
        flame.source = 'trace' in v.source ? v.source.trace : f ? `pprof:${f.id}` : flame.source;
      }
      const types = { ...flame.types };
      for (const [i, t] of Object.entries(v.types ?? {})) {
        const f = at(Number(i));
        if (f) types[`pprof:${f.id}`] = t;
      }
      flame.types = types;
      const { only, ...laneState } = v.lanes ?? {};
      const lanes = {
        ...s.lanes,
        ...laneState,
        ...(only !== undefined ? { only: new Set(only) } : {}),
      };
      const search = { ...s.search, ...(v.search ?? {}), cursor: -1 };
      set({ pendingView: null, offsets, flame, lanes, search });
      if (Object.keys(v.offsets ?? {}).length > 0) {
        // Manual offsets move files on the axis: the view goes on the axis they make.
        restoreAfterAxis = { view: v.view, selection: v.selection, selected };
        refreshAxis();
      } else restore(v.view, v.selection, selected);
    };

    return {
      files: [],
      axis: EMPTY_AXIS,
      axisPending: false,
      view: null,
      selection: null,
      selected: null,
      hovered: null,
      reveal: null,
      pickedTask: null,
      laneViewport: null,
      offsets: {},
      clockTrace: null,
      lanes: DEFAULT_LANES,
      preview: null,
      sessionError: null,
      pendingView: null,
      flame: INITIAL_FLAME,
      search: INITIAL_SEARCH,

      addFiles(inputs) {
        const added: SessionFileState[] = [];
        const leftOut: string[] = [];
        let count = get().files.length;
        let bytes = get().files.reduce((n, f) => n + f.size, 0);
        for (const input of inputs) {
          if ('error' in input) {
            added.push(failedInput(`f${nextId++}`, input.name, input.error));
            continue;
          }
          const size = sizeOf(input);
          if (count + 1 > limits.files || bytes + size > limits.bytes) {
            leftOut.push(input.name);
            continue;
          }
          const source = sourceOf(input);
          count++;
          bytes += size;
          const id = `f${nextId++}`;
          const entry: SessionFileState = {
            id,
            name: input.name,
            size,
            status: 'loading',
            stage: 'queued',
            progress: 0,
            format: null,
            error: null,
            notices: [],
            decoded: null,
            url: source instanceof Blob || !('url' in source) ? null : source.url,
            blob: source instanceof Blob ? source : null,
            // (Blob has a bytes() method: tell it apart first.)
            bytes: source instanceof Blob || !('bytes' in source) ? null : source.bytes,
            rev: 0,
          };
          added.push(entry);
          const job = decodeWithBudget(
            budget,
            decode,
            id,
            input.name,
            source,
            (stage, fraction, preview) => {
              if (!preview) {
                reportProgress(id, stage, fraction);
                return;
              }
              // What is decoded so far of a large trace: drawn while the rest decodes.
              if (get().files.find((f) => f.id === id)?.status !== 'loading') return;
              showRevision(id, preview.file, preview.rev, { stage, progress: fraction });
              refreshAxis();
            },
          );
          jobs.set(id, job);
          job.result.then(
            (r) => {
              jobs.delete(id);
              if (!get().files.some((f) => f.id === id)) return;
              if (r.ok === 'bundle') {
                engine.forget(id);
                // A session bundle stands for its files: replace it by them, then restore its view.
                const rest = get().files.filter((f) => f.id !== id);
                set({ files: rest, pendingView: { state: r.state, base: rest.length } });
                get().addFiles(
                  r.files.map((f) =>
                    f.error !== undefined
                      ? { name: f.name, error: f.error }
                      : { name: f.name, bytes: f.bytes },
                  ),
                );
                applyPending(); // nothing may be left loading (an empty bundle)
                return;
              }
              if (r.ok) {
                const notices: SessionFileState['notices'] = [
                  ...(r.file.partialError
                    ? [{ text: `Opened partly. ${r.file.partialError}`, level: 'alert' as const }]
                    : []),
                  ...(r.file.nameMismatch
                    ? [{ text: r.file.nameMismatch, level: 'alert' as const }]
                    : []),
                  ...r.file.warnings.map((text) => ({ text, level: 'status' as const })),
                ];
                const done = { status: 'ready' as const, progress: 1, notices };
                if (r.rev) showRevision(id, r.file, r.rev, done);
                else patchFile(id, { ...done, format: r.file.format, decoded: r.file });
                refreshAxis();
              } else {
                engine.forget(id);
                patchFile(id, {
                  status: 'error',
                  format: r.format,
                  error: r.error.message,
                  decoded: null,
                });
                // A preview may have been drawn.
                if (get().files.find((f) => f.id === id)?.rev) refreshAxis();
                applyPending();
              }
            },
            (e: unknown) => {
              jobs.delete(id);
              engine.forget(id);
              // Cancelled: the file is already gone. Anything else (the file could not be read,
              // no worker could start) must not leave it "queued" forever: say what happened.
              if (!get().files.some((f) => f.id === id)) return;
              patchFile(id, {
                status: 'error',
                error: `${input.name}: ${describeError(e)}`,
                decoded: null,
              });
              applyPending();
            },
          );
        }
        set((s) => ({
          files: [...s.files, ...added],
          sessionError: leftOut.length > 0 ? leftOutMessage(leftOut, limits) : null,
        }));
      },

      removeFile(id) {
        jobs.get(id)?.cancel();
        jobs.delete(id);
        budget.release(id);
        engine.forget(id);
        set((s) => ({
          files: s.files.filter((f) => f.id !== id),
          selected: s.selected?.fileId === id ? null : s.selected,
          hovered: s.hovered?.fileId === id ? null : s.hovered,
        }));
        refreshAxis();
      },

      clear() {
        const gone = get().files;
        const cancelled = [...jobs.values()];
        jobs.clear();
        for (const f of gone) {
          budget.release(f.id);
          engine.forget(f.id);
        }
        // The files go first: what the cancelled decodes still report then finds no file.
        set({
          files: [],
          selected: null,
          pickedTask: null,
          hovered: null,
          selection: null,
          sessionError: null,
          flame: INITIAL_FLAME,
          search: INITIAL_SEARCH,
        });
        for (const job of cancelled) job.cancel();
        refreshAxis();
      },

      setView(view) {
        set({ view });
      },
      setSelection(selection) {
        set({ selection });
      },
      select(selected) {
        set({ selected, pickedTask: null });
      },
      pickTask(pickedTask) {
        set({ pickedTask, selected: null });
      },
      jump(ref) {
        const s = get();
        const f = s.files.find((x) => x.id === ref.fileId);
        const d = f?.decoded;
        if (ref.kind !== 'interval' || d?.format !== 'go-trace') {
          set({ selected: ref });
          return;
        }
        const m = d.model;
        const i = ref.interval;
        if (i < 0 || i >= m.intervals.length) return;
        // The goroutine of the interval: the last g whose first interval is at or before i.
        const starts = m.goroutines.intervalStart;
        let lo = 0;
        let hi = m.goroutines.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (starts[mid + 1]! <= i) lo = mid + 1;
          else hi = mid;
        }
        const g = lo;
        const t0 = m.intervals.start[i]!;
        const t1 = i + 1 < starts[g + 1]! ? m.intervals.start[i + 1]! : m.durationNs;
        let view = s.view;
        if (view && (t1 < view.startNs || t0 > view.endNs)) {
          // Off the view: keep the zoom, centre the interval (or its start when it is longer).
          const span = view.endNs - view.startNs;
          const mid = t1 - t0 < span ? (t0 + t1) / 2 : t0 + span / 2;
          const startNs = Math.max(0, Math.min(s.axis.durationNs - span, mid - span / 2));
          view = { startNs, endNs: startNs + span };
        }
        set({
          selected: ref,
          pickedTask: null,
          view,
          reveal: { goroutine: g, seq: (s.reveal?.seq ?? 0) + 1 },
        });
      },
      setLaneViewport(scrollY, height) {
        const v = get().laneViewport;
        if (v?.scrollY === scrollY && v.height === height) return;
        set({ laneViewport: { scrollY, height } });
      },
      hover(hovered) {
        if (!sameSelection(get().hovered, hovered)) set({ hovered });
      },
      setSessionError(sessionError) {
        set({ sessionError });
      },
      setPreview(preview) {
        if (get().preview !== preview) set({ preview });
      },
      setLanes(patch) {
        // A new filter or list starts without pins (they were there because the old one hid them).
        const reset = ('only' in patch || 'filter' in patch) && !('pinned' in patch);
        set((s) => ({ lanes: { ...s.lanes, ...patch, ...(reset ? { pinned: [] } : {}) } }));
      },
      setSearch(patch) {
        set((s) => {
          const next = { ...s.search, ...patch };
          const moved =
            next.query !== s.search.query ||
            next.inSelection !== s.search.inSelection ||
            next.sort.by !== s.search.sort.by ||
            next.sort.desc !== s.search.sort.desc;
          if (moved && patch.cursor === undefined) next.cursor = -1;
          return { search: next };
        });
      },
      setOffset(fileId, offsetNs) {
        set((s) => {
          const offsets = { ...s.offsets };
          if (offsetNs === null) delete offsets[fileId];
          else offsets[fileId] = offsetNs;
          return { offsets };
        });
        refreshAxis();
      },
      setClockTrace(clockTrace) {
        set({ clockTrace });
        refreshAxis();
      },
      setFlame(patch) {
        set((s) => ({ flame: { ...s.flame, ...patch } }));
      },
      escape() {
        const s = get();
        if (s.search.query) {
          s.setSearch({ query: '', cursor: -1 });
          return 'query';
        }
        const f = s.flame;
        if (f.search !== '') {
          set({ flame: { ...f, search: '' } });
          return 'search';
        }
        if (f.func !== null || f.mode === 'sandwich' || s.preview !== null) {
          set({ flame: { ...f, func: null, mode: 'flame' }, preview: null });
          return 'highlight';
        }
        if (s.selected !== null) {
          set({ selected: null });
          return 'item';
        }
        if (s.selection !== null) {
          set({ selection: null });
          return 'selection';
        }
        if (f.zoom.length > 0) {
          set({ flame: { ...f, zoom: f.zoom.slice(0, -1) } });
          return 'zoom';
        }
        return null;
      },
      restoreView(state) {
        set({ pendingView: { state, base: 0 } });
        applyPending();
      },
      viewStateString() {
        const s = get();
        const pos = (id: string) => s.files.findIndex((f) => f.id === id);
        const f = s.flame;
        const src = f.source ?? undefined;
        const source: { trace: string } | { file: number } | undefined = !src
          ? undefined
          : src.startsWith('trace:')
            ? { trace: src }
            : { file: pos(src.slice(6)) };
        const types: Record<number, number> = {};
        for (const [key, t] of Object.entries(f.types))
          if (key.startsWith('pprof:')) types[pos(key.slice(6))] = t;
        const offsets: Record<number, number> = {};
        for (const [id, ns] of Object.entries(s.offsets)) if (pos(id) >= 0) offsets[pos(id)] = ns;
        return encodeViewState({
          view: s.view ?? undefined,
          selection: s.selection ?? undefined,
          pick: pickOf(s.files, s.selected),
          source: source && 'file' in source && source.file < 0 ? undefined : source,
          types,
          flame: {
            search: f.search,
            focus: f.focus,
            ignore: f.ignore,
            hide: f.hide,
            func: f.func,
            zoom: f.zoom,
            split: f.split,
            mode: f.mode,
            compare: f.compare,
            ...(f.scope !== 'all' ? { scope: f.scope } : {}),
            ...(f.scopeIds.length > 0 ? { scopeIds: f.scopeIds, scopeLabel: f.scopeLabel } : {}),
          },
          lanes: {
            filter: s.lanes.filter,
            sort: s.lanes.sort,
            collapsed: s.lanes.collapsed,
            ...(s.lanes.only ? { only: [...s.lanes.only] } : {}),
          },
          offsets,
          search: {
            query: s.search.query,
            inSelection: s.search.inSelection,
            onlyLanes: s.search.onlyLanes,
          },
        });
      },
    };
  });
}

export type SessionStore = ReturnType<typeof createSessionStore>;

/** What a session says of the files it left out. */
export function leftOutMessage(names: string[], limits: { files: number; bytes: number }): string {
  const shown = names.slice(0, 3).join(', ');
  const more = names.length > 3 ? ` and ${names.length - 3} more` : '';
  return (
    `${names.length} file${names.length === 1 ? ' was' : 's were'} left out (${shown}${more}): ` +
    `a session opens at most ${limits.files} files and ${(limits.bytes / 2 ** 30).toFixed(0)} GiB ` +
    'in all. Close some files to open others.'
  );
}
