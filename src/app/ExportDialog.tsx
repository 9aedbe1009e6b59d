// "Export": the flame graph as pprof, the timeline as PNG, the intervals in scope as CSV.

import { useState } from 'react';
import { describeError } from '../base/errors';
import type { EngineApi } from '../engine/api';
import type { SessionStore } from '../store/session';
import { download, flameAsPprof, intervalsAsCsv, timelinePng } from './exports';
import { Modal } from '../components/Modal';

export function ExportDialog({
  store,
  engine,
  onClose,
}: {
  store: SessionStore;
  engine: EngineApi;
  onClose(): void;
}) {
  const [status, setStatus] = useState<string | null>(null);
  const s = store.getState();
  const hasTrace = s.axis.traceId !== null;
  const run = (f: () => Promise<string> | string) => async () => {
    try {
      setStatus(await f());
    } catch (e) {
      setStatus(`Export failed: ${describeError(e)}`);
    }
  };
  return (
    <Modal label="Export" onClose={onClose} className="share">
      <h2>Export</h2>
      <div className="export-list">
        <button
          type="button"
          className="button"
          data-testid="export-pprof"
          onClick={run(async () => {
            const r = await flameAsPprof(store.getState(), engine);
            if (!r) return 'There is no flame graph to export.';
            download(
              new Blob([r.bytes as Uint8Array<ArrayBuffer>], { type: 'application/gzip' }),
              r.name,
            );
            return `Downloaded ${r.name}: ${r.samples} stacks; open it with go tool pprof.`;
          })}
        >
          Flame graph as pprof (.pb.gz)
        </button>
        <p className="muted small">
          The flame graph's stacks as they are now: its source, range, goroutines and labels.
        </p>
        <button
          type="button"
          className="button"
          data-testid="export-png"
          onClick={run(async () => {
            const png = await timelinePng(store.getState());
            if (!png) return 'There is no timeline to export.';
            download(png, 'timeline.png');
            return 'Downloaded timeline.png.';
          })}
        >
          Timeline as PNG
        </button>
        <p className="muted small">
          The timeline as shown: file names, visible range, overview, colour legend, lanes and time
          axis.
        </p>
        <button
          type="button"
          className="button"
          disabled={!hasTrace}
          data-testid="export-csv"
          onClick={run(async () => {
            const r = await intervalsAsCsv(store.getState(), engine);
            if (!r) return 'There is no execution trace to export.';
            download(new Blob([r.text], { type: 'text/csv' }), 'intervals.csv');
            return `Downloaded intervals.csv: ${r.rows} intervals${r.cut ? ' (cut at 1,000,000 rows)' : ''}.`;
          })}
        >
          Goroutine intervals as CSV
        </button>
        <p className="muted small">
          Every state interval of the lanes the filter keeps, within the selection (or the view).
        </p>
      </div>
      {status && <p role="status">{status}</p>}
      <div className="modal-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
