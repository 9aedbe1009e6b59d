// The shared timeline: a time axis on top and the rows of render/rowLayout below (trace
// tracks, processor and goroutine lanes grouped by start function, dlv calls under their
// goroutine), virtualized and drawn on one canvas through the one TimeScale. Gestures follow
// Perfetto and the Chrome/Firefox profilers: Ctrl/Cmd+wheel zooms at the pointer, wheel and drag
// pan, Shift+drag (or a drag on the axis) selects a range; W/S/A/D, 0/Home, F and Esc on the keyboard.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RuntimeLanes } from '../analysis/runtimeLanes';
import type { HighlightView, UnblockArrow } from '../engine/timeline';
import { procRunAt, type SearchPaint } from '../render/runtimePainters';
import { hitDlv, type SpanMark } from '../render/dlvSpans';
import { markBuffer, type StateMarks } from '../render/goroutineLane';
import { rowAt, type Row, type RowLayout } from '../render/rowLayout';
import { AXIS_HEIGHT, LABEL_WIDTH, LANE_PAD, paintTimeline } from '../render/timeline';
import { TimeScale, clampRange, panRange, zoomRange, type AxisUnit } from '../render/timeScale';
import { DLV_ROW_HEIGHT } from '../render/dlvSpans';
import type { ChainPaint } from '../render/whyChain';
import { intervalAt } from '../render/goroutineLane';
import type { Selection, TimeRange } from '../store/session';
import { CanvasHost, type PointerInfo } from './CanvasHost';
import { describeLabel, describeRowAt, taskAt } from './describe';
import { TimelineOverlay } from './TimelineOverlay';
import { useTheme } from './useTheme';

export { LABEL_WIDTH, AXIS_HEIGHT };

export interface TimelineProps {
  unit: AxisUnit;
  limit: number;
  wallBaseNs: bigint | null;
  layout: RowLayout;
  view: TimeRange;
  setView(v: TimeRange): void;
  selection: TimeRange | null;
  setSelection(s: TimeRange | null): void;
  selected: Selection | null;
  hovered: Selection | null;
  select(ref: Selection | null): void;
  hover(ref: Selection | null): void;
  onToggleGroup?(key: string, collapsed: boolean): void;
  /** What a picked or previewed function lights up (the engine's answer), or null. */
  highlight?: HighlightView | null;
  arrows?: readonly UnblockArrow[];
  /** The chain of wakers behind the selected wait, drawn across its lanes. */
  chain?: ChainPaint | null;
  /** Who ran on each P and the GC work goroutines paid (the engine's `runtimeLanes`). */
  runtime?: RuntimeLanes | null;
  /** A search's results: lit on their lanes, everything else dimmed. */
  search?: SearchPaint | null;
  /** U: follow the selected wait's "unblocked by" chain one step back. */
  onFollowUnblock?(): void;
  /** When this row key changes, the row is scrolled to the top of the lanes. */
  scrollTo?: string | null;
  /**
   * A goroutine lane to bring into view (a jump's target; `seq` counts requests): scrolled to
   * when it has a lane, else `onRevealHidden` is called once per request (to pin it).
   */
  reveal?: { goroutine: number; seq: number } | null;
  onRevealHidden?(goroutine: number): void;
  /** The lanes' viewport (content px) whenever it changes. */
  onViewport?(scrollY: number, height: number): void;
  /** A click on a task of the tasks track (index into the trace's tasks). */
  onPickTask?(task: number): void;
  /** Dragging a file's row moves that file along the axis (manual alignment). */
  onShiftFile?(fileId: string, deltaNs: number, phase: 'start' | 'move' | 'end'): void;
  /** Receive keyboard shortcuts while nothing else has focus. */
  globalKeys: boolean;
  /** Esc is the page's (the session's order, SessionState.escape), not this timeline's. */
  sessionEscape?: boolean;
  onHelp?(): void;
  testId: string;
  ariaLabel: string;
}

export function Timeline(props: TimelineProps) {
  const theme = useTheme();
  const { layout, unit, limit, view, setView } = props;
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [scrollY, setScrollY] = useState(0);
  const [tip, setTip] = useState<{ x: number; y: number; lines: string[] } | null>(null);
  const [cursorNs, setCursorNs] = useState<number | null>(null);
  const marksRef = useRef(new Map<string, SpanMark[]>());
  const pictured = useRef(false);
  const laneMarks = useRef<StateMarks | null>(null);
  laneMarks.current ??= markBuffer();
  const pointerNs = useRef<number | null>(null);
  const dragRef = useRef<{
    view: TimeRange;
    scrollY: number;
    mode: 'pan' | 'select' | 'shift';
    fileId?: string;
    anchorNs: number;
  } | null>(null);

  const plotWidth = Math.max(1, size.width - LABEL_WIDTH);
  const viewportH = Math.max(0, size.height - AXIS_HEIGHT);
  const maxScroll = Math.max(0, layout.height - viewportH);
  const sy = Math.min(scrollY, maxScroll);
  const scale = useMemo(
    () => new TimeScale(view.startNs, view.endNs, LABEL_WIDTH, plotWidth),
    [view, plotWidth],
  );

  const sel = props.selected;
  const hov = props.hovered;
  // The picture: redrawn when what it shows changes, not when the selection or the cursor moves.
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, width: number, height: number) => {
      marksRef.current = paintTimeline(ctx, width, height, {
        theme,
        scale,
        layout,
        scrollY: sy,
        unit,
        wallBaseNs: props.wallBaseNs,
        selection: null,
        selectedSpan: sel?.kind === 'dlv' ? sel : null,
        hoveredSpan: hov?.kind === 'dlv' ? hov : null,
        selectedInterval: sel?.kind === 'interval' ? sel.interval : -1,
        cursorNs: null,
        highlight: props.highlight ?? null,
        arrows: props.arrows ?? [],
        chain: props.chain ?? null,
        marks: laneMarks.current ?? undefined,
        runtime: props.runtime ?? null,
        search: props.search ?? null,
      });
      // The first picture of a trace's lanes (benchmarks time it: scripts/lib/browserLoad.ts).
      if (!pictured.current && layout.rows.some((r) => r.kind === 'goroutine')) {
        pictured.current = true;
        performance.mark('goroscope:picture');
      }
    },
    [
      props.arrows,
      props.chain,
      theme,
      scale,
      layout,
      sy,
      unit,
      props.wallBaseNs,
      sel,
      hov,
      props.highlight,
      props.runtime,
      props.search,
    ],
  );
  // Over it, the selection and the cursor: a few elements, moved as often as they move.
  const overlay = useMemo(
    () => ({ theme, scale, unit, selection: props.selection, cursorNs }),
    [theme, scale, unit, props.selection, cursorNs],
  );

  useEffect(() => {
    if (!props.scrollTo) return;
    const row = layout.rows.find((r) => r.key === props.scrollTo);
    if (row) setScrollY(Math.max(0, row.y - 44));
    // Only when asked for another row, not whenever the layout changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.scrollTo]);

  // A jump's target: scroll its lane into view, again when its row changes (a pinned lane that
  // arrives with the next layout); ask for a pin once when no lane shows it.
  const revealDone = useRef<{ seq: number; key: string | null; asked: boolean }>({
    seq: -1,
    key: null,
    asked: false,
  });
  const reveal = props.reveal;
  useEffect(() => {
    if (!reveal || viewportH <= 0) return;
    const done = revealDone.current;
    if (done.seq !== reveal.seq) {
      done.seq = reveal.seq;
      done.key = null;
      done.asked = false;
    }
    const row = layout.rows.find((r) => r.kind === 'goroutine' && r.g === reveal.goroutine);
    if (!row) {
      if (!done.asked) {
        done.asked = true;
        props.onRevealHidden?.(reveal.goroutine);
      }
      return;
    }
    if (done.key === row.key) return;
    done.key = row.key;
    setScrollY((cur) => {
      const top = Math.min(cur, maxScroll);
      // Already inside the viewport: stay.
      if (row.y >= top && row.y + row.h <= top + viewportH) return cur;
      return Math.max(0, Math.min(maxScroll, row.y - Math.min(88, viewportH / 3)));
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reveal, layout, maxScroll, viewportH]);

  const onViewport = props.onViewport;
  useEffect(() => {
    if (size.height > 0) onViewport?.(sy, viewportH);
  }, [onViewport, sy, viewportH, size.height]);

  const rowAtY = (y: number): Row | undefined => {
    const i = rowAt(layout, y - AXIS_HEIGHT + sy);
    return i < 0 ? undefined : layout.rows[i];
  };

  /** What is under the pointer: a selectable item, and the row. */
  const pick = (p: PointerInfo): { row: Row | undefined; sel: Selection | null } => {
    if (p.y < AXIS_HEIGHT) return { row: undefined, sel: null };
    const row = rowAtY(p.y);
    if (!row || p.x < LABEL_WIDTH) return { row, sel: null };
    if (row.kind === 'dlv') {
      const depth = Math.floor((p.y - AXIS_HEIGHT + sy - row.y - LANE_PAD) / DLV_ROW_HEIGHT);
      const span = hitDlv(marksRef.current.get(row.key) ?? [], p.x, depth);
      return { row, sel: span >= 0 ? { kind: 'dlv', fileId: row.fileId, span } : null };
    }
    if (row.kind === 'goroutine') {
      const iv = intervalAt(row.trace, row.g, scale.toNs(p.x));
      const fileId = traceFileId(layout);
      return { row, sel: iv >= 0 && fileId ? { kind: 'interval', fileId, interval: iv } : null };
    }
    if (row.kind === 'proc' && props.runtime) {
      // A goroutine's run on the P: hover and click as its interval on its own lane.
      const k = procRunAt(props.runtime.procs, row.p, scale.toNs(p.x));
      const fileId = traceFileId(layout);
      return {
        row,
        sel:
          k >= 0 && fileId
            ? { kind: 'interval', fileId, interval: props.runtime.procs.interval[k]! }
            : null,
      };
    }
    return { row, sel: null };
  };

  const zoomAt = useCallback(
    (factor: number, anchorNs?: number) => {
      const a = anchorNs ?? pointerNs.current ?? (view.startNs + view.endNs) / 2;
      setView(zoomRange(view, factor, a, limit, unit === 'seq' ? 4 : 10));
    },
    [view, limit, unit, setView],
  );

  const onKey = useCallback(
    (e: KeyboardEvent | React.KeyboardEvent): boolean => {
      if (e.ctrlKey || e.metaKey || e.altKey) return false;
      const span = view.endNs - view.startNs;
      switch (e.key) {
        case 'w':
        case 'W':
          zoomAt(0.8);
          return true;
        case 's':
        case 'S':
          zoomAt(1.25);
          return true;
        case 'a':
        case 'A':
          setView(panRange(view, -span * 0.2, limit));
          return true;
        case 'd':
        case 'D':
          setView(panRange(view, span * 0.2, limit));
          return true;
        case '0':
        case 'Home':
          setView({ startNs: 0, endNs: limit });
          return true;
        case 'f':
        case 'F': {
          const s = props.selection;
          if (s) setView(clampRange(s.startNs, Math.max(s.endNs, s.startNs + 10), limit));
          return true;
        }
        case 'Escape':
          // The session's timeline leaves Esc to the page (one order for every panel:
          // SessionState.escape); a timeline with a view of its own clears its own.
          if (props.sessionEscape) return false;
          if (props.selection) props.setSelection(null);
          else props.select(null);
          return true;
        case '?':
          props.onHelp?.();
          return true;
        case 'u':
        case 'U':
          props.onFollowUnblock?.();
          return true;
        default:
          return false;
      }
    },
    [view, limit, setView, zoomAt, props],
  );

  useEffect(() => {
    if (!props.globalKeys) return;
    const handler = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (
        t &&
        (t.closest('input, textarea, select, button, [contenteditable=true]') ||
          t.closest('[data-timeline], [data-keyscope]'))
      )
        return;
      if (onKey(e)) e.preventDefault();
    };
    window.addEventListener('keydown', handler);
    return () => window.removeEventListener('keydown', handler);
  }, [props.globalKeys, onKey]);

  const onHover = (p: PointerInfo | null) => {
    if (!p) {
      pointerNs.current = null;
      setCursorNs(null);
      props.hover(null);
      setTip(null);
      return;
    }
    pointerNs.current = p.x >= LABEL_WIDTH ? scale.toNs(p.x) : null;
    setCursorNs(pointerNs.current);
    const { row, sel } = pick(p);
    props.hover(sel);
    const lines = !row
      ? null
      : p.x >= LABEL_WIDTH
        ? describeRowAt(
            row,
            sel,
            scale.toNs(p.x),
            p.y - AXIS_HEIGHT + sy - row.y,
            unit,
            props.runtime ?? null,
            4 / scale.k,
          )
        : describeLabel(row);
    setTip(lines && lines.length > 0 ? { x: p.x, y: p.y, lines } : null);
  };

  return (
    <div
      className="timeline"
      data-testid={props.testId}
      data-timeline=""
      tabIndex={0}
      aria-label={props.ariaLabel}
      onKeyDown={(e) => {
        if (onKey(e)) e.preventDefault();
      }}
    >
      <CanvasHost
        ariaLabel={props.ariaLabel}
        testId={`${props.testId}-canvas`}
        urgent
        drawKey={draw}
        draw={draw}
        onSize={(width, height) => setSize({ width, height })}
        onHover={onHover}
        onClick={(p) => {
          if (p.y < AXIS_HEIGHT) return;
          const { row, sel } = pick(p);
          if (row?.kind === 'group' && (p.x < LABEL_WIDTH || row.collapsed)) {
            props.onToggleGroup?.(row.groupKey, !row.collapsed);
            return;
          }
          if (row?.kind === 'tasks' && p.x >= LABEL_WIDTH && props.onPickTask) {
            const task = taskAt(row, scale.toNs(p.x), p.y - AXIS_HEIGHT + sy - row.y);
            if (task >= 0) {
              props.onPickTask(task);
              return;
            }
          }
          props.select(sel);
        }}
        onWheel={(e, p) => {
          const dx = e.deltaMode === 1 ? e.deltaX * 16 : e.deltaX;
          const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
          if (e.ctrlKey || e.metaKey) {
            zoomAt(Math.exp(dy * 0.002), p.x >= LABEL_WIDTH ? scale.toNs(p.x) : undefined);
          } else if (e.shiftKey || Math.abs(dx) > Math.abs(dy)) {
            setView(panRange(view, (e.shiftKey ? dy || dx : dx) / scale.k, limit));
          } else if (maxScroll > 0) {
            setScrollY(Math.max(0, Math.min(maxScroll, sy + dy)));
          } else {
            setView(panRange(view, dy / scale.k, limit));
          }
        }}
        onDrag={(phase, start, dx, dy) => {
          if (phase === 'start') {
            const select = start.shift || start.y < AXIS_HEIGHT;
            const row = select || start.x < LABEL_WIDTH ? undefined : rowAtY(start.y);
            const fileId =
              row && (row.kind === 'file' || row.kind === 'profile') && props.onShiftFile
                ? row.fileId
                : undefined;
            dragRef.current = {
              view,
              scrollY: sy,
              mode: select ? 'select' : fileId ? 'shift' : 'pan',
              anchorNs: scale.toNs(Math.max(start.x, LABEL_WIDTH)),
              fileId,
            };
            setTip(null);
          }
          const d = dragRef.current;
          if (!d) return;
          if (d.mode === 'shift' && d.fileId) {
            // The file's track follows the pointer: its offset changes by the dragged time.
            const k = plotWidth / (d.view.endNs - d.view.startNs);
            props.onShiftFile?.(d.fileId, dx / k, phase);
          } else if (d.mode === 'pan') {
            const k = plotWidth / (d.view.endNs - d.view.startNs);
            setView(panRange(d.view, -dx / k, limit));
            setScrollY(Math.max(0, Math.min(maxScroll, d.scrollY - dy)));
          } else {
            const ns = Math.max(
              0,
              Math.min(limit, scale.toNs(Math.max(start.x + dx, LABEL_WIDTH))),
            );
            const a = Math.max(0, Math.min(limit, d.anchorNs));
            props.setSelection({ startNs: Math.min(a, ns), endNs: Math.max(a, ns) });
          }
          if (phase === 'end') dragRef.current = null;
        }}
      />
      <TimelineOverlay
        testId={`${props.testId}-overlay`}
        width={size.width}
        height={size.height}
        paint={overlay}
      />
      {tip && (
        <div
          className="tooltip"
          role="tooltip"
          style={{ left: Math.min(tip.x + 14, Math.max(0, size.width - 380)), top: tip.y + 16 }}
        >
          {tip.lines.map((l, i) => (
            <div key={i} className={i === 0 ? 'tooltip-title' : undefined}>
              {l}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** The file id of the trace whose rows are in the layout (goroutine rows carry the model only). */
function traceFileId(layout: RowLayout): string | null {
  return layout.traceFileId;
}
