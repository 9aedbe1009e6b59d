// "Share": a link that reopens the same files at the same view, or, when the files came from
// this computer, a session bundle to send instead (a teammate's browser cannot fetch local files).

import { useState } from 'react';
import { packBundle } from '../formats/bundle';
import { describeError } from '../base/errors';
import type { SessionStore } from '../store/session';
import { shareLink } from './urlSync';
import { Modal } from '../components/Modal';

export function ShareDialog({ store, onClose }: { store: SessionStore; onClose(): void }) {
  const files = store.getState().files;
  const local = files.filter((f) => f.url === null);
  const link = shareLink(store);
  const [status, setStatus] = useState<string | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setStatus('Link copied.');
    } catch {
      setStatus('The browser refused the clipboard: select the link and copy it.');
    }
  };

  const download = async () => {
    try {
      setStatus('Packing…');
      // Blobs of Blobs: no file is read into the page's memory to pack it.
      const entries = await Promise.all(
        files.map(async (f) => {
          if (f.bytes) return { name: f.name, bytes: f.bytes };
          const blob = f.blob ?? (f.url ? await (await fetch(f.url)).blob() : null);
          if (!blob) throw new Error(`${f.name} is no longer available`);
          return { name: f.name, blob };
        }),
      );
      const bundle = packBundle(store.getState().viewStateString(), entries);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(bundle);
      a.download = 'session.goroscope';
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      setStatus(
        `Downloaded session.goroscope (${(bundle.size / 2 ** 20).toFixed(1)} MiB): drop it on goroscope to reopen this view.`,
      );
    } catch (e) {
      setStatus(`The bundle could not be made: ${describeError(e)}`);
    }
  };

  return (
    <Modal label="Share this view" onClose={onClose} className="share">
      <h2>Share this view</h2>
      {local.length > 0 ? (
        <p className="file-notice" role="status" data-testid="share-local-warning">
          {local.length === files.length ? 'All files' : `${local.length} of ${files.length} files`}{' '}
          were opened from this computer ({local.map((f) => f.name).join(', ')}). A link cannot
          carry them: host the files (same site, or a host that allows cross-origin requests) and
          open goroscope with <code>?url=</code>, or send a session bundle.
        </p>
      ) : (
        <p>This link reopens the same files at the same view. Nothing is uploaded anywhere.</p>
      )}
      <input
        className="share-link"
        readOnly
        value={link}
        aria-label="Link to this view"
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="modal-actions">
        <button
          type="button"
          className="button primary"
          onClick={() => void copy()}
          data-testid="copy-link"
        >
          Copy link
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void download()}
          data-testid="download-bundle"
        >
          Download session bundle
        </button>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      {status && <p role="status">{status}</p>}
    </Modal>
  );
}
