// The files of the session, one line each: name, format, how the file sits on the trace's clock
// (a badge; its words on hover), the offset editor on demand, progress, errors (role=alert) and
// notices. Errors and notices stay visible: they are what the user must read. Past the first 40
// files (ROWS_SHOWN) one line counts the rest by status, errors included, until "Show all".

import { memo, useCallback, useState } from 'react';
import type { AlignMethod } from '../analysis/alignment';
import { splitDetail } from '../base/errors';
import { FORMAT_LABEL } from '../model/file';
import type { PlacedFile } from '../analysis/session';
import type { SessionFileState } from '../store/session';
import { useSession } from './session';

export function FileList() {
  const files = useSession((s) => s.files);
  const removeFile = useSession((s) => s.removeFile);
  const axis = useSession((s) => s.axis);
  const placed = new Map<string, PlacedFile>(
    [...axis.dlv, ...axis.profiles].map((p) => [p.fileId, p]),
  );
  // The file whose offset editor is open (one at a time).
  const [editing, setEditing] = useState<string | null>(null);
  const toggle = useCallback((id: string) => setEditing((e) => (e === id ? null : id)), []);
  // "Show all" holds for this session's files: Close all, and the next bundle is summed up again.
  const [all, setAll] = useState(false);
  if (files.length === 0) {
    if (all) setAll(false);
    return null;
  }
  const shown = all || files.length <= ROWS_SHOWN ? files : files.slice(0, ROWS_SHOWN);
  return (
    <ul className="file-list" aria-label="Files in this session">
      {shown.map((f) => (
        <FileRow
          key={f.id}
          f={f}
          placed={placed.get(f.id) ?? null}
          editing={editing === f.id}
          onToggle={toggle}
          onRemove={removeFile}
        />
      ))}
      {shown.length < files.length && (
        <MoreFiles rest={files.slice(shown.length)} onShow={() => setAll(true)} />
      )}
    </ul>
  );
}

/**
 * Rows drawn before the rest is summed up in one line: a bundle or a link can bring hundreds of
 * files, and drawing a row for each kept the page from answering a click (issue 21).
 */
export const ROWS_SHOWN = 40;

/** The files past ROWS_SHOWN in one line, counted by status, and a button that shows them. */
function MoreFiles({ rest, onShow }: { rest: SessionFileState[]; onShow(): void }) {
  const count = (status: SessionFileState['status']) =>
    rest.filter((f) => f.status === status).length;
  const parts = [
    [count('loading'), 'loading'],
    [count('ready'), 'open'],
    [count('error'), 'could not be opened'],
  ] as const;
  return (
    <li className="file file-more" data-testid="more-files">
      <span>
        {rest.length} more file{rest.length === 1 ? '' : 's'}:{' '}
        {parts
          .filter(([n]) => n > 0)
          .map(([n, what]) => `${n} ${what}`)
          .join(', ')}
      </span>
      <button type="button" className="link" onClick={onShow}>
        Show all
      </button>
    </li>
  );
}

/**
 * One file's row. Memoized: a session of hundreds of files changes one file at a time, and
 * re-rendering every row on each change kept the page from answering a click for seconds.
 */
const FileRow = memo(function FileRow({
  f,
  placed,
  editing,
  onToggle,
  onRemove,
}: {
  f: SessionFileState;
  placed: PlacedFile | null;
  editing: boolean;
  onToggle(id: string): void;
  onRemove(id: string): void;
}) {
  return (
    <li
      className={`file file-${f.status}`}
      data-testid="file"
      data-format={f.format ?? ''}
      data-status={f.status}
    >
      <div className="file-row">
        <span className="file-name" title={f.name}>
          {f.name}
        </span>
        <span className="file-format">
          {f.format ? FORMAT_LABEL[f.format] : f.status === 'loading' ? '…' : 'unknown'}
        </span>
        {placed?.alignment && (
          <AlignmentBadge
            method={placed.alignment.method}
            quality={placed.alignment.quality}
            open={editing}
            onToggle={() => onToggle(f.id)}
          />
        )}
        <button
          type="button"
          className="icon-button"
          aria-label={`Remove ${f.name}`}
          title="Remove from session"
          onClick={() => onRemove(f.id)}
        >
          ×
        </button>
      </div>
      {f.status === 'loading' && (
        <div className="progress">
          <progress max={1} value={f.progress} aria-label={`${f.name}: ${f.stage}`} />
          <span className="progress-stage">
            {f.stage} {Math.round(f.progress * 100)}%
          </span>
        </div>
      )}
      {f.error && (
        <div className="file-error" role="alert">
          <Explained message={f.error} />
        </div>
      )}
      {editing && placed?.alignment && (
        <AlignmentRow file={f.id} placed={placed} dlv={f.format === 'dlv-trace'} />
      )}
      {f.notices.map((n, i) => (
        <div key={i} className={n.level === 'alert' ? 'file-error' : 'file-notice'} role={n.level}>
          <Explained message={n.text} />
        </div>
      ))}
    </li>
  );
});

/** A message in plain words, its technical detail (when it has one) on demand. */
function Explained({ message }: { message: string }) {
  const { text, detail } = splitDetail(message);
  return (
    <>
      {text}
      {detail !== null && (
        <details className="tech-detail">
          <summary>Technical detail</summary>
          <code>{detail}</code>
        </details>
      )}
    </>
  );
}

const BADGE: Record<AlignMethod, string> = {
  'clock-snapshot': 'clock',
  auto: 'inferred',
  manual: 'manual',
  none: 'not aligned',
};

/** How the file sits on the clock in one word; a click opens the offset editor. */
function AlignmentBadge(p: {
  method: AlignMethod;
  quality: string;
  open: boolean;
  onToggle(): void;
}) {
  return (
    <button
      type="button"
      className={`align-badge align-${p.method}`}
      title={`${p.quality}. Click to ${p.open ? 'close' : 'open'} the offset editor.`}
      aria-expanded={p.open}
      aria-label={`Alignment: ${p.quality}. ${p.open ? 'Close' : 'Open'} the offset editor`}
      onClick={p.onToggle}
      data-testid="alignment-badge"
      data-method={p.method}
    >
      {BADGE[p.method]}
    </button>
  );
}

/**
 * How a file sits on the trace's clock (method and quality), with a manual offset to type, and
 * for dlv logs the reminder that ptrace-based tracing stretches call durations.
 */
function AlignmentRow({ file, placed, dlv }: { file: string; placed: PlacedFile; dlv: boolean }) {
  const setOffset = useSession((s) => s.setOffset);
  const manual = useSession((s) => s.offsets[file]);
  const a = placed.alignment;
  const [text, setText] = useState('');
  if (!a) return null;
  const apply = () => {
    const ms = Number(text.replace(',', '.'));
    if (text.trim() !== '' && Number.isFinite(ms)) setOffset(file, ms * 1e6);
  };
  return (
    <div className="alignment" data-testid="alignment" data-method={a.method}>
      <p className={a.method === 'none' ? 'file-error' : 'file-notice'} role="status">
        {a.quality}
      </p>
      <div className="alignment-edit">
        <label>
          offset (ms){' '}
          <input
            type="text"
            inputMode="decimal"
            placeholder={placed.offsetNs !== null ? (placed.offsetNs / 1e6).toFixed(3) : 'none'}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') apply();
            }}
            aria-label="Offset of this file on the trace's axis, in milliseconds"
            data-testid="offset-input"
          />
        </label>
        <button type="button" className="small" onClick={apply}>
          Set
        </button>
        {manual !== undefined && (
          <button type="button" className="small" onClick={() => setOffset(file, null)}>
            Automatic
          </button>
        )}
      </div>
      {dlv && a.method !== 'none' && (
        <p className="muted small">
          dlv trace stops the program at every traced call and return (ptrace): call durations
          include a few ms per stop.
        </p>
      )}
    </div>
  );
}
