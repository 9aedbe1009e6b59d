// Details of the selected dlv call: function, goroutine, times, arguments, return values, stack;
// previous/next call of the same goroutine; copy as text. All file data is rendered as text.

import { useMemo } from 'react';
import { formatDuration } from '../base/units';
import { formatRfc3339 } from '../base/rfc3339';
import type { DlvModel } from '../model/dlv';
import { useSession } from './session';

export function DetailsPanel() {
  const selected = useSession((s) => s.selected);
  const files = useSession((s) => s.files);
  const select = useSession((s) => s.select);
  const file = selected ? files.find((f) => f.id === selected.fileId) : undefined;
  const model = file?.decoded?.format === 'dlv-trace' ? file.decoded.model : null;

  const neighbours = useMemo(() => {
    if (!model || !selected) return { prev: -1, next: -1 };
    return sameGoroutineNeighbours(model, selected.span);
  }, [model, selected]);

  if (!selected || !model || !file) {
    return (
      <aside className="details" aria-label="Details">
        <p className="muted">Click a call to see its arguments, return values and stack.</p>
      </aside>
    );
  }
  const text = spanText(model, selected.span);
  return (
    <aside className="details" aria-label="Details" data-testid="details">
      <div className="details-head">
        <h2>{text.title}</h2>
        <button
          type="button"
          onClick={() => void navigator.clipboard?.writeText(text.lines.join('\n'))}
        >
          Copy as text
        </button>
      </div>
      <dl>
        {text.fields.map(([k, v]) => (
          <div key={k} className="field">
            <dt>{k}</dt>
            <dd>{k === 'arguments' || k === 'returned' || k === 'stack' ? <pre>{v}</pre> : v}</dd>
          </div>
        ))}
      </dl>
      <div className="details-nav">
        <button
          type="button"
          disabled={neighbours.prev < 0}
          onClick={() => select({ fileId: file.id, span: neighbours.prev })}
        >
          ← previous call on G{model.spans.goroutine[selected.span]}
        </button>
        <button
          type="button"
          disabled={neighbours.next < 0}
          onClick={() => select({ fileId: file.id, span: neighbours.next })}
        >
          next call →
        </button>
      </div>
    </aside>
  );
}

export function spanText(
  m: DlvModel,
  i: number,
): { title: string; fields: Array<[string, string]>; lines: string[] } {
  const s = m.spans;
  const str = (k: number) => (k >= 0 ? (m.strings[k] ?? '') : '');
  const title = str(s.func[i] as number);
  const fields: Array<[string, string]> = [
    ['goroutine', String(s.goroutine[i])],
    ['depth', String(s.depth[i])],
  ];
  const start = s.startNs[i] as number;
  const end = s.endNs[i] as number;
  if (!Number.isNaN(start) && m.wallBaseNs !== null) {
    fields.push(['start', formatRfc3339(m.wallBaseNs + BigInt(Math.round(start)))]);
    fields.push(['duration', Number.isNaN(end) ? 'never returned' : formatDuration(end - start)]);
  } else {
    fields.push([
      'trace lines',
      `#${s.startSeq[i]} – ${(s.endSeq[i] as number) >= 0 ? `#${s.endSeq[i]}` : 'never returned'}`,
    ]);
  }
  const tp = s.tracepoint[i] as number;
  if (tp >= 0) fields.push(['tracepoint', str(tp)]);
  if ((s.frame[i] as number) >= 0) fields.push(['frame', String(s.frame[i])]);
  fields.push(['arguments', str(s.args[i] as number) || '(none)']);
  if ((s.returns[i] as number) >= 0) fields.push(['returned', str(s.returns[i] as number) || '()']);
  if ((s.stack[i] as number) >= 0) fields.push(['stack', str(s.stack[i] as number)]);
  const lines = [title, ...fields.map(([k, v]) => `${k}: ${v}`)];
  return { title, fields, lines };
}

function sameGoroutineNeighbours(m: DlvModel, i: number): { prev: number; next: number } {
  const g = m.spans.goroutine[i];
  let prev = -1;
  let next = -1;
  for (let j = i - 1; j >= 0; j--)
    if (m.spans.goroutine[j] === g) {
      prev = j;
      break;
    }
  for (let j = i + 1; j < m.spanCount; j++)
    if (m.spans.goroutine[j] === g) {
      next = j;
      break;
    }
  return { prev, next };
}
