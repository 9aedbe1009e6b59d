// What a click in an analysis table does to the rest of the page, through the store's existing
// mechanisms: zoom the timeline to a span and select it, filter the lanes to some goroutines and
// make them the flame graph's goroutine set.

import { clampRange } from '../../render/timeScale';
import type { SessionState } from '../../store/session';

type Actions = Pick<SessionState, 'setView' | 'setSelection' | 'setLanes' | 'setFlame'>;

/** Zooms to [startNs, endNs] with some room either side, and selects it as the time range. */
export function zoomTo(s: Actions, startNs: number, endNs: number, durationNs: number): void {
  const len = Math.max(endNs - startNs, 1000);
  s.setView(clampRange(startNs - len * 0.25, endNs + len * 0.25, durationNs));
  s.setSelection({ startNs, endNs: Math.max(endNs, startNs + 1) });
}

/** Filters the lanes to these goroutines (Go ids) and makes them the flame graph's set. */
export function focusGoroutines(s: Actions, ids: readonly number[], label: string): void {
  s.setLanes({ only: new Set(ids), collapsed: {} });
  s.setFlame({ scope: 'list', scopeIds: [...ids], scopeLabel: label, zoom: [] });
}

/** Undoes focusGoroutines. */
export function clearFocus(s: Actions): void {
  s.setLanes({ only: null });
  s.setFlame({ scope: 'all', scopeIds: [], scopeLabel: '' });
}
