// The empty page: a drop zone, a file picker and the bundled example.

interface Props {
  onFiles(files: File[]): void;
  onExample(): void;
}

export function DropZone({ onFiles, onExample }: Props) {
  return (
    <section className="dropzone" data-testid="dropzone" aria-label="Open files">
      <h1>goroscope</h1>
      <p className="lead">
        One timeline for a Go program's execution trace, pprof profiles and dlv trace logs.
      </p>
      <div className="drop-target">
        <p>
          Drop <code>trace.out</code>, <code>*.pprof</code> and <code>dlv trace</code> logs here, in
          any order.
        </p>
        <label className="button primary">
          Choose files…
          <input
            type="file"
            multiple
            data-testid="file-input"
            onChange={(e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = '';
              if (files.length) onFiles(files);
            }}
          />
        </label>
        <button type="button" className="button" onClick={onExample} data-testid="load-example">
          Load example
        </button>
      </div>
      <p className="muted">
        Files are read in your browser only; nothing is uploaded. The example is one run of a small
        Go HTTP service recorded three ways: its execution trace, its pprof profiles and a{' '}
        <code>dlv trace --timestamp</code> log.
      </p>
    </section>
  );
}
