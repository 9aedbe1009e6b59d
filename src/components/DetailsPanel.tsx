// Details of the selected item: a dlv call (function, goroutine, times, arguments, return values,
// stack) or a goroutine state interval of the trace (state, reason, times, stack, the goroutine
// that unblocked it with a jump, creation), with previous/next and "Copy as text". All file data
// is rendered as text.

import { useMemo } from 'react';
import { formatDuration } from '../base/units';
import { formatRfc3339 } from '../base/rfc3339';
import type { DlvModel } from '../model/dlv';
import { GOROUTINE_STATE_NAMES, GS_WAITING, type TraceModel, wakerOf } from '../model/trace';
import { goroutineOfInterval, unblockedBy } from '../model/lookup';
import { intervalAt } from '../render/goroutineLane';
import type { Selection } from '../store/session';
import { stackText } from './describe';
import { useSession } from './session';
import { TaskWhy, WhyDetails } from './WhyDetails';

type Field = [string, string, 'pre' | 'text'];

export function DetailsPanel() {
  const selected = useSession((s) => s.selected);
  const files = useSession((s) => s.files);
  const axis = useSession((s) => s.axis);
  const select = useSession((s) => s.select);
  const jump = useSession((s) => s.jump);
  const file = selected ? files.find((f) => f.id === selected.fileId) : undefined;
  const d = file?.decoded;

  const content = useMemo(() => {
    if (!selected || !d) return null;
    if (selected.kind === 'dlv' && d.format === 'dlv-trace')
      return dlvDetails(d.model, selected.span, selected.fileId);
    if (selected.kind === 'interval' && d.format === 'go-trace')
      return intervalDetails(d.model, selected.interval, selected.fileId, axis.wallBaseNs);
    return null;
  }, [selected, d, axis.wallBaseNs]);

  const pickedTask = useSession((s) => s.pickedTask);
  const trace = axis.traceId ? files.find((f) => f.id === axis.traceId)?.decoded : undefined;
  if (!content && pickedTask !== null && axis.traceId && trace?.format === 'go-trace') {
    const m = trace.model;
    const name = m.strings[m.tasks.name[pickedTask] ?? 0] ?? '';
    return (
      <aside className="details" aria-label="Details" data-testid="details">
        <div className="details-head">
          <h2>
            task {name} (id {m.tasks.id[pickedTask]})
          </h2>
        </div>
        <TaskWhy trace={axis.traceId} task={pickedTask} name={name} />
      </aside>
    );
  }
  if (!content) {
    return (
      <aside className="details" aria-label="Details">
        <p className="muted">
          Click a goroutine interval or a dlv call to see its details: state, stack, arguments, what
          unblocked it.
        </p>
      </aside>
    );
  }
  const text = [content.title, ...content.fields.map(([k, v]) => `${k}: ${v}`)].join('\n');
  return (
    <aside className="details" aria-label="Details" data-testid="details">
      <div className="details-head">
        <h2>{content.title}</h2>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(text)}>
          Copy as text
        </button>
      </div>
      <dl>
        {content.fields.map(([k, v, kind]) => (
          <div key={k} className="field">
            <dt>{k}</dt>
            <dd>{kind === 'pre' ? <pre>{v}</pre> : v}</dd>
          </div>
        ))}
      </dl>
      <div className="details-nav">
        {content.links.map((l) => (
          <button
            key={l.label}
            type="button"
            disabled={!l.target}
            // Jumps to another goroutine bring its lane into view (pinned when hidden).
            onClick={() => l.target && (l.jump ? jump(l.target) : select(l.target))}
            data-testid={l.testId}
          >
            {l.label}
          </button>
        ))}
      </div>
      {selected?.kind === 'interval' && d?.format === 'go-trace' && (
        <WhyDetails trace={selected.fileId} interval={selected.interval} />
      )}
    </aside>
  );
}

interface Details {
  title: string;
  fields: Field[];
  links: Array<{ label: string; target: Selection | null; testId?: string; jump?: boolean }>;
}

function dlvDetails(m: DlvModel, i: number, fileId: string): Details {
  const s = m.spans;
  const str = (k: number) => (k >= 0 ? (m.strings[k] ?? '') : '');
  const fields: Field[] = [
    ['goroutine', String(s.goroutine[i]), 'text'],
    ['depth', String(s.depth[i]), 'text'],
  ];
  const start = s.startNs[i]!;
  const end = s.endNs[i]!;
  if (!Number.isNaN(start) && m.wallBaseNs !== null) {
    fields.push(['start', formatRfc3339(m.wallBaseNs + BigInt(Math.round(start))), 'text']);
    fields.push([
      'duration',
      Number.isNaN(end)
        ? 'never returned'
        : `${formatDuration(end - start)} (includes Delve's stops)`,
      'text',
    ]);
  } else {
    fields.push([
      'trace lines',
      `#${s.startSeq[i]} – ${s.endSeq[i]! >= 0 ? `#${s.endSeq[i]}` : 'never returned'}`,
      'text',
    ]);
  }
  if (s.tracepoint[i]! >= 0) fields.push(['tracepoint', str(s.tracepoint[i]!), 'text']);
  if (s.frame[i]! >= 0) fields.push(['frame', String(s.frame[i]), 'text']);
  fields.push(['arguments', str(s.args[i]!) || '(none)', 'pre']);
  if (s.returns[i]! >= 0) fields.push(['returned', str(s.returns[i]!) || '()', 'pre']);
  if (s.stack[i]! >= 0) fields.push(['stack', str(s.stack[i]!), 'pre']);
  const g = s.goroutine[i];
  let prev = -1;
  let next = -1;
  for (let j = i - 1; j >= 0; j--)
    if (s.goroutine[j] === g) {
      prev = j;
      break;
    }
  for (let j = i + 1; j < m.spanCount; j++)
    if (s.goroutine[j] === g) {
      next = j;
      break;
    }
  return {
    title: str(s.func[i]!),
    fields,
    links: [
      {
        label: `← previous call on G${g}`,
        target: prev >= 0 ? { kind: 'dlv', fileId, span: prev } : null,
      },
      { label: 'next call →', target: next >= 0 ? { kind: 'dlv', fileId, span: next } : null },
    ],
  };
}

export function intervalDetails(
  m: TraceModel,
  i: number,
  fileId: string,
  wallBase: bigint | null,
): Details {
  const g = goroutineOfInterval(m, i);
  const a = m.goroutines.intervalStart[g]!;
  const b = m.goroutines.intervalStart[g + 1]!;
  const start = m.intervals.start[i]!;
  const end = i + 1 < b ? m.intervals.start[i + 1]! : m.durationNs;
  const state = m.intervals.state[i]!;
  const reason = m.reasons[m.intervals.reason[i]!] ?? '';
  const id = m.goroutines.id[g]!;
  const sf = m.goroutines.startFunc[g]!;
  const fields: Field[] = [
    ['state', `${GOROUTINE_STATE_NAMES[state] ?? '?'}${reason ? ` (${reason})` : ''}`, 'text'],
    ['duration', formatDuration(end - start), 'text'],
    [
      'from',
      `${formatDuration(start)}${wallBase !== null ? ` · ${formatRfc3339(wallBase + BigInt(Math.round(start))).slice(11)}` : ''}`,
      'text',
    ],
    ['to', formatDuration(end), 'text'],
  ];
  const links: Details['links'] = [];
  // What ended a wait (the goroutine that sent, unlocked or closed, or the runtime), as the why
  // chain and U see it; for an interval an unblock began, who unblocked it.
  const u = state === GS_WAITING ? unblockedBy(m, i, g) : null;
  const wakeIv = u ? u.wakeInterval : i;
  const waker = u ? u.waker : wakerOf(m.intervals, g, i);
  if (waker >= 0) {
    const t = m.intervals.start[wakeIv]!;
    const wid = m.goroutines.id[waker]!;
    fields.push(['unblocked by', `G${wid} at ${formatDuration(t)}`, 'text']);
    const target = intervalAt(m, waker, t);
    links.push({
      label: `jump to G${wid} (unblocker)`,
      target: target >= 0 ? { kind: 'interval', fileId, interval: target } : null,
      testId: 'jump-unblocker',
      jump: true,
    });
    const wstack = m.intervals.stack[wakeIv]!;
    if (wstack >= 0) fields.push(['unblocker stack', stackText(m, wstack), 'pre']);
  } else if (u?.kind === 'runtime') {
    fields.push(['unblocked by', 'the runtime (timer, network poller or scheduler)', 'text']);
  }
  const stack = m.intervals.stack[i]!;
  if (stack >= 0) fields.push(['stack', stackText(m, stack), 'pre']);
  const parent = m.goroutines.parent[g]!;
  if (parent >= 0) {
    fields.push(['created by', `G${m.goroutines.id[parent]}`, 'text']);
    // The creator where it made this goroutine: at its first interval's start.
    const born = intervalAt(m, parent, m.intervals.start[a]!);
    links.push({
      label: `jump to G${m.goroutines.id[parent]} (creator)`,
      target: born >= 0 ? { kind: 'interval', fileId, interval: born } : null,
      testId: 'jump-creator',
      jump: true,
    });
    const cs = m.goroutines.createStack[g]!;
    if (cs >= 0) fields.push(['creation stack', stackText(m, cs), 'pre']);
  }
  // Previous/next intervals of this goroutine, skipping "not exist" marks.
  const prev = i - 1 >= a ? i - 1 : -1;
  const next = i + 1 < b ? i + 1 : -1;
  links.unshift(
    {
      label: '← previous interval',
      target: prev >= 0 ? { kind: 'interval', fileId, interval: prev } : null,
    },
    {
      label: 'next interval →',
      target: next >= 0 ? { kind: 'interval', fileId, interval: next } : null,
    },
  );
  return { title: `G${id} ${sf >= 0 ? (m.strings[sf] ?? '') : ''}`.trim(), fields, links };
}
