// Which execution trace is the session's clock (issue 21: the user sees it and can pick another).
// Shown only when more than one trace could be the clock; a trace that failed to decode is never
// a candidate (analysis/session.ts canBeClock).

import { useSession } from './session';

export function ClockPicker() {
  const axis = useSession((s) => s.axis);
  const files = useSession((s) => s.files);
  const setClockTrace = useSession((s) => s.setClockTrace);
  if (axis.clockCandidates.length < 2) return null;
  const name = (id: string) => files.find((f) => f.id === id)?.name ?? id;
  return (
    <label className="clock-picker" data-testid="clock-picker">
      <span>Clock</span>
      <select
        value={axis.traceId ?? ''}
        title="The execution trace whose clock is the time axis; the other files are placed on it"
        onChange={(e) => setClockTrace(e.currentTarget.value || null)}
      >
        {axis.clockCandidates.map((id) => (
          <option key={id} value={id}>
            {name(id)}
          </option>
        ))}
      </select>
    </label>
  );
}
