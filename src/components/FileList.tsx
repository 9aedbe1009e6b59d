// The files of the session: name, format, progress, errors (role=alert) and notices.

import { FORMAT_LABEL } from '../model/file';
import { useSession } from './session';

export function FileList() {
  const files = useSession((s) => s.files);
  const removeFile = useSession((s) => s.removeFile);
  if (files.length === 0) return null;
  return (
    <ul className="file-list" aria-label="Files in this session">
      {files.map((f) => (
        <li
          key={f.id}
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
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove ${f.name}`}
              title="Remove from session"
              onClick={() => removeFile(f.id)}
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
            <p className="file-error" role="alert">
              {f.error}
            </p>
          )}
          {f.notices.map((n, i) => (
            <p
              key={i}
              className={n.level === 'alert' ? 'file-error' : 'file-notice'}
              role={n.level}
            >
              {n.text}
            </p>
          ))}
        </li>
      ))}
    </ul>
  );
}
