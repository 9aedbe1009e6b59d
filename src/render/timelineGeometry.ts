// The timeline's geometry and what its painters are given: the label column, the axis, the
// state of the view (scale, scroll, selection, highlight) in one object.

import type { RuntimeLanes } from '../analysis/runtimeLanes';
import type { HighlightView, UnblockArrow } from '../engine/timeline';
import type { WhyChain } from '../analysis/whyChain';
import type { StateMarks } from './goroutineLane';
import type { RowLayout } from './rowLayout';
import type { SearchPaint } from './runtimePainters';
import type { SpanMarks } from './spanMarks';
import type { Theme } from './theme';
import type { AxisUnit, TimeScale } from './timeScale';

export const LABEL_WIDTH = 220;
export const AXIS_HEIGHT = 34;
export const LANE_PAD = 2;

export interface TimelinePaint {
  theme: Theme;
  scale: TimeScale;
  layout: RowLayout;
  scrollY: number;
  unit: AxisUnit;
  wallBaseNs: bigint | null;
  /** The time selection (drawn by the overlay; the picture ignores it). */
  selection: { startNs: number; endNs: number } | null;
  /** Selected/hovered dlv span and interval. */
  selectedSpan: { fileId: string; span: number } | null;
  hoveredSpan: { fileId: string; span: number } | null;
  selectedInterval: number;
  /** Where the pointer is on the axis (drawn by the overlay). */
  cursorNs: number | null;
  /** What a picked or previewed function lights up (the engine's `highlight`), or null. */
  highlight: HighlightView | null;
  arrows: readonly UnblockArrow[];
  /** The chain of wakers behind the selected wait (render/whyChain.ts), or null. */
  chain?: Pick<WhyChain, 'segments' | 'arrows'> | null;
  /** Scratch for goroutine lane marks (render/goroutineLane.ts), reused across lanes and frames. */
  marks?: StateMarks;
  /** Who ran on each P and the GC work goroutines paid (the engine's `runtimeLanes`), or null. */
  runtime?: RuntimeLanes | null;
  /** A search's results: lit on their lanes, the rest dimmed; null when no query ran. */
  search?: SearchPaint | null;
  /** Scratch for span marks (render/spanMarks.ts). */
  spans?: SpanMarks;
  /**
   * Colours by what they are named after ('region.NAME', 'task.NAME'), memoised for one paint
   * (render/theme.ts funcColours): the lanes' regions and the tasks track share it.
   */
  colours?: (name: string) => string;
}
