// The shared timeline: a time axis on top, lanes below (one per goroutine of each dlv log, calls
// nested by depth), virtualized and drawn on one canvas through the one TimeScale. Gestures follow
// Perfetto and the Chrome/Firefox profilers: Ctrl/Cmd+wheel zooms at the pointer, wheel and drag
// pan, Shift+drag (or a drag on the axis) selects a range; W/S/A/D, 0/Home, F and Esc on the keyboard.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { formatDuration } from '../base/units';
import { formatRfc3339 } from '../base/rfc3339';
import { getDlvLayout, type DlvLane } from '../analysis/dlvLanes';
import type { DlvModel } from '../model/dlv';
import { TimeScale, clampRange, panRange, zoomRange, type AxisUnit } from '../render/timeScale';
import {
  DLV_ROW_HEIGHT,
  dlvDrawList,
  hitDlv,
  paintDlvMarks,
  type SpanMark,
} from '../render/dlvSpans';
import type { Theme } from '../render/theme';
import type { SpanRef, TimeRange } from '../store/session';
import { CanvasHost, type PointerInfo } from './CanvasHost';
import { useTheme } from './useTheme';

export const LABEL_WIDTH = 200;
export const AXIS_HEIGHT = 34;
const HEADER_HEIGHT = 22;
const LANE_PAD = 4;

export interface TimelineTrack {
  fileId: string;
  name: string;
  model: DlvModel;
  /** Session axis position of the track's own zero. */
  offset: number;
}

export interface TimelineProps {
  unit: AxisUnit;
  limit: number;
  wallBaseNs: bigint | null;
  tracks: TimelineTrack[];
  view: TimeRange;
  setView(v: TimeRange): void;
  selection: TimeRange | null;
  setSelection(s: TimeRange | null): void;
  selected: SpanRef | null;
  hovered: SpanRef | null;
  select(ref: SpanRef | null): void;
  hover(ref: SpanRef | null): void;
  /** Receive keyboard shortcuts while nothing else has focus. */
  globalKeys: boolean;
  onHelp?(): void;
  testId: string;
  ariaLabel: string;
}

interface Row {
  key: string;
  kind: 'header' | 'dlv';
  y: number;
  h: number;
  label: string;
  sub: string;
  track: TimelineTrack;
  lane?: DlvLane;
}

export function Timeline(props: TimelineProps) {
  const theme = useTheme();
  const { tracks, unit, limit, view, setView } = props;
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [scrollY, setScrollY] = useState(0);
  const [tip, setTip] = useState<{ x: number; y: number; lines: string[] } | null>(null);
  const marksRef = useRef(new Map<string, SpanMark[]>());
  const pointerNs = useRef<number | null>(null);
  const [cursorNs, setCursorNs] = useState<number | null>(null);
  const dragRef = useRef<{
    view: TimeRange;
    scrollY: number;
    mode: 'pan' | 'select';
    anchorNs: number;
  } | null>(null);

  const rows = useMemo(() => {
    const out: Row[] = [];
    let y = 0;
    for (const track of tracks) {
      const layout = getDlvLayout(track.model, unit === 'seq' ? 'seq' : 'time');
      out.push({
        key: `${track.fileId}:h`,
        kind: 'header',
        y,
        h: HEADER_HEIGHT,
        label: track.name,
        sub: `${layout.lanes.length} goroutines · ${track.model.spanCount} calls`,
        track,
      });
      y += HEADER_HEIGHT;
      for (const lane of layout.lanes) {
        const h = (lane.maxDepth + 1) * DLV_ROW_HEIGHT + LANE_PAD * 2;
        out.push({
          key: `${track.fileId}:g${lane.goroutine}`,
          kind: 'dlv',
          y,
          h,
          label: `G${lane.goroutine}`,
          sub: firstFunc(track.model, lane),
          track,
          lane,
        });
        y += h;
      }
    }
    return { rows: out, height: y };
  }, [tracks, unit]);

  const plotWidth = Math.max(1, size.width - LABEL_WIDTH);
  const viewportH = Math.max(0, size.height - AXIS_HEIGHT);
  const maxScroll = Math.max(0, rows.height - viewportH);
  const sy = Math.min(scrollY, maxScroll);
  const scale = useMemo(
    () => new TimeScale(view.startNs, view.endNs, LABEL_WIDTH, plotWidth),
    [view, plotWidth],
  );

  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, width: number, height: number) => {
      marksRef.current = drawTimeline(ctx, width, height, {
        theme,
        scale,
        rows: rows.rows,
        scrollY: sy,
        unit,
        wallBaseNs: props.wallBaseNs,
        selection: props.selection,
        selected: props.selected,
        hovered: props.hovered,
        cursorNs,
      });
    },
    [
      theme,
      scale,
      rows,
      sy,
      unit,
      props.wallBaseNs,
      props.selection,
      props.selected,
      props.hovered,
      cursorNs,
    ],
  );

  const rowAt = (y: number): Row | undefined => {
    const cy = y - AXIS_HEIGHT + sy;
    return rows.rows.find((r) => cy >= r.y && cy < r.y + r.h);
  };
  const spanAt = (p: PointerInfo): SpanRef | null => {
    if (p.x < LABEL_WIDTH || p.y < AXIS_HEIGHT) return null;
    const row = rowAt(p.y);
    if (!row || row.kind !== 'dlv') return null;
    const depth = Math.floor((p.y - AXIS_HEIGHT + sy - row.y - LANE_PAD) / DLV_ROW_HEIGHT);
    const span = hitDlv(marksRef.current.get(row.key) ?? [], p.x, depth);
    return span >= 0 ? { fileId: row.track.fileId, span } : null;
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
          const sel = props.selection;
          if (sel) setView(clampRange(sel.startNs, Math.max(sel.endNs, sel.startNs + 10), limit));
          return true;
        }
        case 'Escape':
          if (props.selection) props.setSelection(null);
          else props.select(null);
          return true;
        case '?':
          props.onHelp?.();
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
    const ref = spanAt(p);
    props.hover(ref);
    setTip(ref ? { x: p.x, y: p.y, lines: describeSpan(tracks, ref, unit) } : null);
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
        drawKey={draw}
        draw={draw}
        onSize={(width, height) => setSize({ width, height })}
        onHover={onHover}
        onClick={(p) => {
          if (p.y < AXIS_HEIGHT) return;
          props.select(spanAt(p));
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
            dragRef.current = {
              view,
              scrollY: sy,
              mode: select ? 'select' : 'pan',
              anchorNs: scale.toNs(Math.max(start.x, LABEL_WIDTH)),
            };
            setTip(null);
          }
          const d = dragRef.current;
          if (!d) return;
          if (d.mode === 'pan') {
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
      {tip && (
        <div
          className="tooltip"
          role="tooltip"
          style={{ left: Math.min(tip.x + 14, size.width - 260), top: tip.y + 16 }}
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

function firstFunc(m: DlvModel, lane: DlvLane): string {
  const i = lane.spans[0];
  return i === undefined ? '' : (m.strings[m.spans.func[i] as number] ?? '');
}

/** Tooltip text for a span (rendered as text nodes, never HTML). */
export function describeSpan(
  tracks: readonly TimelineTrack[],
  ref: SpanRef,
  unit: AxisUnit,
): string[] {
  const t = tracks.find((x) => x.fileId === ref.fileId);
  if (!t) return [];
  const m = t.model;
  const s = m.spans;
  const i = ref.span;
  const lines = [
    `${m.strings[s.func[i] as number] ?? ''}`,
    `goroutine ${s.goroutine[i]} · depth ${s.depth[i]}`,
  ];
  if (unit === 'seq') {
    lines.push(
      `lines #${s.startSeq[i]}–${(s.endSeq[i] as number) >= 0 ? `#${s.endSeq[i]}` : 'never returned'}`,
    );
  } else {
    const dur = (s.endNs[i] as number) - (s.startNs[i] as number);
    lines.push(Number.isNaN(dur) ? 'never returned' : `duration ${formatDuration(dur)}`);
  }
  const args = m.strings[s.args[i] as number] ?? '';
  if (args) lines.push(`args: ${args.length > 160 ? `${args.slice(0, 160)}…` : args}`);
  return lines;
}

interface DrawState {
  theme: Theme;
  scale: TimeScale;
  rows: Row[];
  scrollY: number;
  unit: AxisUnit;
  wallBaseNs: bigint | null;
  selection: TimeRange | null;
  selected: SpanRef | null;
  hovered: SpanRef | null;
  cursorNs: number | null;
}

function drawTimeline(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  st: DrawState,
): Map<string, SpanMark[]> {
  const { theme, scale, rows } = st;
  const marks = new Map<string, SpanMark[]>();
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, width, height);
  const ticks = scale.ticks(st.unit);

  // Lanes: only the rows inside the viewport are drawn (virtualized).
  const top = AXIS_HEIGHT;
  const visible0 = st.scrollY;
  const visible1 = st.scrollY + (height - top);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, top, width, height - top);
  ctx.clip();
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  for (const t of ticks) {
    ctx.beginPath();
    ctx.moveTo(Math.round(t.px) + 0.5, top);
    ctx.lineTo(Math.round(t.px) + 0.5, height);
    ctx.stroke();
  }
  let alt = false;
  for (const row of rows) {
    if (row.y + row.h < visible0 || row.y > visible1) {
      alt = row.kind === 'dlv' ? !alt : false;
      continue;
    }
    const y = top + row.y - st.scrollY;
    if (row.kind === 'header') {
      ctx.fillStyle = theme.axisBg;
      ctx.fillRect(0, y, width, row.h);
      ctx.fillStyle = theme.text;
      ctx.font = '600 12px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      ctx.fillText(clipLabel(row.label, 60), 8, y + row.h / 2);
      ctx.fillStyle = theme.muted;
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillText(
        row.sub,
        Math.min(LABEL_WIDTH + 8, 8 + 7 * Math.min(60, row.label.length) + 12),
        y + row.h / 2,
      );
      alt = false;
      continue;
    }
    if (alt) {
      ctx.fillStyle = theme.laneAlt;
      ctx.fillRect(0, y, width, row.h);
    }
    alt = !alt;
    const lane = row.lane as DlvLane;
    const list = dlvDrawList(row.track.model, lane, scale, row.track.offset);
    marks.set(row.key, list);
    ctx.save();
    ctx.beginPath();
    ctx.rect(LABEL_WIDTH, y, width - LABEL_WIDTH, row.h);
    ctx.clip();
    paintDlvMarks(ctx, row.track.model, list, y + LANE_PAD, { x0: LABEL_WIDTH, x1: width }, theme, {
      selected: st.selected?.fileId === row.track.fileId ? st.selected.span : -1,
      hovered: st.hovered?.fileId === row.track.fileId ? st.hovered.span : -1,
    });
    ctx.restore();
    // Label gutter.
    ctx.fillStyle = theme.panel;
    ctx.fillRect(0, y, LABEL_WIDTH, row.h);
    ctx.fillStyle = theme.text;
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    ctx.fillText(row.label, 8, y + 4);
    ctx.fillStyle = theme.muted;
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(clipLabel(row.sub, 24), 8 + 7 * row.label.length + 6, y + 4);
  }
  ctx.restore();

  // Gutter edge.
  ctx.fillStyle = theme.grid;
  ctx.fillRect(LABEL_WIDTH - 1, 0, 1, height);

  // Selection band with its duration.
  if (st.selection) {
    const x1 = Math.max(LABEL_WIDTH, scale.toPx(st.selection.startNs));
    const x2 = Math.min(width, scale.toPx(st.selection.endNs));
    if (x2 >= LABEL_WIDTH && x1 <= width) {
      ctx.fillStyle = theme.selection;
      ctx.fillRect(x1, top, Math.max(1, x2 - x1), height - top);
      ctx.fillStyle = theme.selectionEdge;
      ctx.fillRect(x1, 0, 1, height);
      ctx.fillRect(Math.max(x1, x2 - 1), 0, 1, height);
    }
  }

  // Axis.
  ctx.fillStyle = theme.axisBg;
  ctx.fillRect(0, 0, width, AXIS_HEIGHT);
  ctx.fillStyle = theme.grid;
  ctx.fillRect(0, AXIS_HEIGHT - 1, width, 1);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  for (const t of ticks) {
    if (t.px < LABEL_WIDTH) continue;
    ctx.fillStyle = theme.grid;
    ctx.fillRect(Math.round(t.px), AXIS_HEIGHT - 8, 1, 8);
    ctx.fillStyle = theme.text;
    ctx.fillText(t.label, t.px + 3, 4);
  }
  ctx.fillStyle = theme.muted;
  ctx.fillText(st.unit === 'seq' ? 'trace line #' : 'since start', 8, 4);
  if (st.wallBaseNs !== null && st.unit === 'ns') {
    const wall = formatRfc3339(st.wallBaseNs + BigInt(Math.round(scale.startNs)));
    ctx.fillText(`${wall.slice(11, 23)} UTC`, 8, 18);
  }
  if (st.selection) {
    const x1 = Math.max(LABEL_WIDTH, scale.toPx(st.selection.startNs));
    const x2 = Math.min(width, scale.toPx(st.selection.endNs));
    const d = st.selection.endNs - st.selection.startNs;
    const label = st.unit === 'seq' ? `${Math.round(d)} lines` : formatDuration(d);
    ctx.font = '600 11px system-ui, sans-serif';
    const w = ctx.measureText(label).width + 10;
    const cx = Math.max(LABEL_WIDTH, Math.min(width - w, (x1 + x2) / 2 - w / 2));
    ctx.fillStyle = theme.selectionEdge;
    ctx.fillRect(cx, 18, w, 15);
    ctx.fillStyle = '#fff';
    ctx.fillText(label, cx + 5, 20);
  }
  if (st.cursorNs !== null) {
    const x = Math.round(scale.toPx(st.cursorNs)) + 0.5;
    ctx.strokeStyle = theme.muted;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(x, AXIS_HEIGHT);
    ctx.lineTo(x, height);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  return marks;
}

function clipLabel(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
