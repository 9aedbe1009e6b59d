// The shapes of the session's state that more than one module of store/ names (session.ts keeps
// the store, viewState.ts encodes its view as a link): here so that neither imports the other.

import type { FlameSettings } from '../analysis/flameView';
import type { LaneSort } from '../analysis/timelineRows';

export interface TimeRange {
  startNs: number;
  endNs: number;
}

/** What a click picked on the timeline: a dlv call, or a goroutine state interval of a trace. */
export type Selection =
  | { kind: 'dlv'; fileId: string; span: number }
  | { kind: 'interval'; fileId: string; interval: number };

/** Goroutine lane grouping, sorting, filter and collapsed groups. */
export interface LaneSettings {
  sort: LaneSort;
  /** Case-insensitive substring (or /regex/) on start function names and goroutine ids. */
  filter: string;
  /** Group keys the user collapsed (true) or expanded (false); others follow the default. */
  collapsed: Record<string, boolean>;
  /** Restrict goroutine lanes to these goroutine ids (from a highlight), or null. */
  only: ReadonlySet<number> | null;
  /**
   * Goroutine ids a jump brought into view while the filter, the list or a collapsed group hid
   * their lanes: drawn above the others, each with a way back (issue 20). A new filter or list
   * drops them.
   */
  pinned: readonly number[];
}

/** The flame graph's settings: which source, sample type, filters, zoom and selected function. */
export interface FlameState extends FlameSettings {
  zoom: string[];
  labels: Array<{ key: string; value: string; exclude: boolean }>;
  mode: 'flame' | 'sandwich';
  /** Function picked in the graph or the table (sandwich view, highlight). */
  func: string | null;
  sort: { by: 'flat' | 'cum' | 'name'; desc: boolean };
  /**
   * Which goroutines range-following sources read: all, the selected one, the lane filter's, or
   * an explicit list (`scopeIds`, e.g. the goroutines of a blocking spike).
   */
  scope: 'all' | 'selected' | 'lanes' | 'list';
  /** Goroutine ids for scope 'list', and what they are ("the spike's"). */
  scopeIds: number[];
  scopeLabel: string;
  /** A baseline range for a differential graph (before/after), or null. */
  compare: TimeRange | null;
}

/** The search box: its query and how its results are used (analysis/query, engine `search`). */
export interface SearchState {
  query: string;
  /** Keep only results overlapping the time selection. */
  inSelection: boolean;
  /** Show only the goroutine lanes with results (a lane filter). */
  onlyLanes: boolean;
  /** The result list's order. */
  sort: { by: 'start' | 'duration'; desc: boolean };
  /** The result stepped to (n / N, a click in the list): a position in the list's order, or -1. */
  cursor: number;
}
