// Above the lanes: filter goroutines by start function or id, sort them, collapse or expand
// every group, and the state colour legend.

import { memo } from 'react';
import type { LaneSort } from '../analysis/timelineRows';
import type { HighlightView } from '../engine/timeline';
import { STATE_CLASS_LABEL, stateColour } from '../render/goroutineLane';
import type { RowLayout } from '../render/rowLayout';
import type { LaneSettings } from '../store/session';
import { useTheme } from './useTheme';

export const LaneToolbar = memo(function LaneToolbar(props: {
  lanes: LaneSettings;
  setLanes(p: Partial<LaneSettings>): void;
  layout: RowLayout;
  /** What the picked or previewed function lights up (the engine's answer). */
  highlight?: HighlightView | null;
}) {
  const theme = useTheme();
  const { lanes, setLanes, layout } = props;
  const groups = layout.rows.filter((r) => r.kind === 'group');
  return (
    <div className="lane-toolbar" data-keyscope="">
      <input
        type="search"
        placeholder="Filter goroutines (name, id or /regex/)"
        aria-label="Filter goroutines by start function or id"
        value={lanes.filter}
        onChange={(e) => setLanes({ filter: e.currentTarget.value })}
        data-testid="lane-filter"
      />
      <label>
        Sort{' '}
        <select
          value={lanes.sort}
          onChange={(e) => setLanes({ sort: e.currentTarget.value as LaneSort })}
          data-testid="lane-sort"
        >
          <option value="id">by id</option>
          <option value="start">by start time</option>
          <option value="running">by total running</option>
          <option value="blocked">by total blocked</option>
        </select>
      </label>
      <button
        type="button"
        className="small"
        onClick={() =>
          setLanes({
            collapsed: Object.fromEntries(
              groups.map((g) => [g.kind === 'group' ? g.groupKey : '', false]),
            ),
          })
        }
      >
        Expand all
      </button>
      <button
        type="button"
        className="small"
        onClick={() =>
          setLanes({
            collapsed: Object.fromEntries(
              groups.map((g) => [g.kind === 'group' ? g.groupKey : '', true]),
            ),
          })
        }
      >
        Collapse all
      </button>
      {props.highlight && props.highlight.goroutineIds.length > 0 && (
        <button
          type="button"
          className="small"
          data-testid="lane-only-highlight"
          onClick={() =>
            setLanes({ only: new Set(props.highlight?.goroutineIds ?? []), collapsed: {} })
          }
        >
          Only the {props.highlight.goroutineIds.length} lanes with {props.highlight.func}
        </button>
      )}
      {lanes.only && (
        <button
          type="button"
          className="small"
          onClick={() => setLanes({ only: null })}
          data-testid="lane-only"
        >
          Showing {lanes.only.size} highlighted goroutines · show all
        </button>
      )}
      <span className="spacer" />
      <span className="legend" aria-label="State colours">
        {STATE_CLASS_LABEL.map((label, c) =>
          c === 0 ? null : (
            <span key={c} className="legend-item">
              <span className="swatch" style={{ background: stateColour(c, theme) }} />
              {label.replace('waiting: ', '')}
            </span>
          ),
        )}
      </span>
    </div>
  );
});
