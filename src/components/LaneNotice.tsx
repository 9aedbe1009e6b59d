// Above the lanes, what hides or adds lanes (issue 20): the lanes a jump pinned because the lane
// settings hid them, each with a way back ("pinned: G67 ✕"), and, when no goroutine lane is left
// to draw, why (the filter, the list of goroutines) with a button to clear each.

import { memo } from 'react';
import type { RowLayout } from '../render/rowLayout';
import { MAX_PINNED, type SessionStore } from '../store/session';
import { useSession } from './session';

/** Pins goroutine g's lane (by its Go id) when a jump finds it hidden. */
export function pinLane(store: SessionStore, g: number): void {
  const s = store.getState();
  const d = s.files.find((f) => f.id === s.axis.traceId)?.decoded;
  if (d?.format !== 'go-trace') return;
  const id = d.model.goroutines.id[g];
  if (id !== undefined) pinIds(store, [id]);
}

/** Pins lanes by Go id (the last MAX_PINNED pins are kept; a lane shown anyway is not drawn twice). */
export function pinIds(store: SessionStore, ids: readonly number[]): void {
  const s = store.getState();
  const pinned = [...s.lanes.pinned.filter((x) => !ids.includes(x)), ...ids].slice(-MAX_PINNED);
  s.setLanes({ pinned });
}

export const LaneNotice = memo(function LaneNotice({ layout }: { layout: RowLayout }) {
  const lanes = useSession((s) => s.lanes);
  const setLanes = useSession((s) => s.setLanes);
  const pins = layout.rows.filter((r) => r.key.startsWith('t:pin:'));
  const hasLanes = layout.rows.some(
    (r) => r.kind === 'goroutine' || (r.kind === 'group' && r.goroutines.length > 0),
  );
  const hiding = lanes.filter.trim() !== '' || lanes.only !== null;
  const empty = layout.goroutineLanes > 0 && !hasLanes && hiding;
  if (pins.length === 0 && !empty) return null;
  const unpin = (label: string) =>
    setLanes({ pinned: lanes.pinned.filter((id) => `G${id}` !== label) });
  return (
    <div className="lane-notice" data-keyscope="" data-testid="lane-notice">
      {pins.length > 0 && (
        <>
          <span className="muted">Outside the lanes shown, pinned above them:</span>
          {pins.map((r) => (
            <span key={r.key} className="chip" data-testid="pinned-lane">
              pinned: {r.label}
              <button
                type="button"
                aria-label={`Unpin ${r.label}`}
                title={`Unpin ${r.label}`}
                onClick={() => unpin(r.label)}
              >
                ✕
              </button>
            </span>
          ))}
          {pins.length > 1 && (
            <button type="button" className="small" onClick={() => setLanes({ pinned: [] })}>
              Unpin all
            </button>
          )}
        </>
      )}
      {empty && (
        <span className="lane-empty" role="status" data-testid="lanes-empty">
          No goroutine lane to show:{' '}
          {lanes.filter.trim() !== '' && lanes.only !== null
            ? `the filter “${lanes.filter.trim()}” matches none of the ${lanes.only.size} goroutines the lanes are limited to.`
            : lanes.filter.trim() !== ''
              ? `the filter “${lanes.filter.trim()}” matches no goroutine.`
              : `none of the ${lanes.only?.size ?? 0} goroutines the lanes are limited to is in this trace.`}
          {lanes.filter.trim() !== '' && (
            <button type="button" className="small" onClick={() => setLanes({ filter: '' })}>
              Clear the filter
            </button>
          )}
          {lanes.only !== null && (
            <button
              type="button"
              className="small"
              onClick={() => setLanes({ only: null })}
              data-testid="lanes-show-all"
            >
              Show all goroutines
            </button>
          )}
        </span>
      )}
    </div>
  );
});
