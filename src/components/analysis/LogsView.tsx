// User logs (runtime/trace Log, Logf), in time order, with their task and goroutine: filtered by
// an RE2 pattern over category and message (base/pattern.ts, in the engine), or by task. A click
// zooms to the log on its goroutine's lane (where it has a mark). Log text is the program's: it is
// shown as text.

import { useState } from 'react';
import { DEFAULT_LOG_QUERY } from '../../base/analysisParams';
import { formatDuration } from '../../base/units';
import type { TraceModel } from '../../model/trace';
import { clampRange } from '../../render/timeScale';
import { useEngineQuery } from '../engine';
import { useSession } from '../session';
import { focusGoroutines } from './actions';

export function LogsView({ traceId, trace }: { traceId: string; trace: TraceModel }) {
  const [pattern, setPattern] = useState('');
  const [taskId, setTaskId] = useState<number | null>(null);
  const [limit, setLimit] = useState<number>(DEFAULT_LOG_QUERY.limit);
  const setView = useSession((s) => s.setView);
  const setSelection = useSession((s) => s.setSelection);
  const setLanes = useSession((s) => s.setLanes);
  const setFlame = useSession((s) => s.setFlame);
  const { data, pending } = useEngineQuery('userLogs', {
    trace: traceId,
    ...DEFAULT_LOG_QUERY,
    taskId,
    pattern,
    limit,
  });
  const open = (t: number, gid: number) => {
    const len = Math.max(trace.durationNs / 200, 10_000);
    setView(clampRange(t - len / 2, t + len / 2, trace.durationNs));
    setSelection(null);
    if (gid >= 0) focusGoroutines({ setView, setSelection, setLanes, setFlame }, [gid], `G${gid}`);
  };
  return (
    <div className="analysis-view logs-view" data-testid="logs-view">
      <div className="analysis-toolbar">
        <input
          type="search"
          placeholder="Filter logs (RE2, ignoring case)"
          value={pattern}
          onChange={(e) => setPattern(e.currentTarget.value)}
          aria-label="Filter logs"
          data-testid="logs-filter"
        />
        {taskId !== null && (
          <button type="button" className="button small" onClick={() => setTaskId(null)}>
            Task {taskId} ×
          </button>
        )}
        {data && (
          <span className="muted">
            {data.total} log{data.total === 1 ? '' : 's'}
            {data.total > data.logs.length ? `, first ${data.logs.length} shown` : ''}
          </span>
        )}
        {pending && <span className="muted">…</span>}
      </div>
      {data?.patternError && (
        <p className="file-error" role="alert">
          {data.patternError}
        </p>
      )}
      <div className="analysis-scroll">
        {data && data.total === 0 && !data.patternError && (
          <p className="analysis-empty muted">
            {pattern || taskId !== null
              ? 'No log matches.'
              : 'This trace has no user logs (runtime/trace Log, Logf).'}
          </p>
        )}
        {data && data.logs.length > 0 && (
          <table className="analysis-table" data-testid="log-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Goroutine</th>
                <th scope="col">Task</th>
                <th scope="col">Category</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {data.logs.map((l) => (
                <tr key={l.log} data-testid="log-row">
                  <td className="num">
                    <button
                      type="button"
                      className="link"
                      onClick={() => open(l.timeNs, l.goroutineId)}
                    >
                      {formatDuration(l.timeNs)}
                    </button>
                  </td>
                  <td>{l.goroutineId >= 0 ? `G${l.goroutineId}` : ''}</td>
                  <td>
                    {l.taskId > 0 && (
                      <button
                        type="button"
                        className="link"
                        title="Only this task's logs"
                        onClick={() => setTaskId(l.taskId)}
                      >
                        {l.taskId}
                      </button>
                    )}
                  </td>
                  <td>{l.category}</td>
                  <td className="message">{l.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {data && data.total > data.logs.length && (
          <button type="button" className="button small" onClick={() => setLimit((x) => x + 2000)}>
            Show more
          </button>
        )}
      </div>
    </div>
  );
}
