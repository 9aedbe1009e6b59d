// "Why" in the details panel (issue 15), for a selected goroutine interval: "Why was this
// blocked?" (the chain of wakers behind its wait, the engine's `whyChain`, with times; each
// goroutine a link that jumps to its lane, pinned when hidden) and "Why was this slow?" for the
// regions and tasks around it (the engine's `whySlow`: the duration by state, and on whom).

import { useState } from 'react';
import { formatDuration } from '../base/units';
import type { WhyChain } from '../analysis/whyChain';
import type { CauseRow, SlowTargetRow } from '../engine/why';
import type { Selection } from '../store/session';
import { useEngineQuery } from './engine';
import { MAX_PINNED } from '../store/session';
import { pinIds } from './LaneNotice';
import { useSession, useSessionStore } from './session';

/** The chain behind the selected wait, as the timeline draws it (null: no wait selected). */
export function useWhyChain(params: { trace: string; interval: number } | null): WhyChain | null {
  const q = useEngineQuery('whyChain', params);
  // Only the answer for the selection asked (not the previous one while the next is computed).
  return params && q.current ? q.data : null;
}

const pct = (x: number, total: number) => (total > 0 ? `${Math.round((100 * x) / total)}%` : '');

export function WhyDetails({ trace, interval }: { trace: string; interval: number }) {
  const params = { trace, interval };
  const chain = useWhyChain(params);
  const targets = useEngineQuery('slowTargets', params);
  return (
    <>
      {chain && <WhyBlocked key={`chain:${chain.interval}`} trace={trace} chain={chain} />}
      {targets.data && targets.data.length > 0 && (
        <WhySlowList key={`slow:${interval}`} trace={trace} targets={targets.data} />
      )}
    </>
  );
}

/** Lines of a chain listed before "Show all" (a handoff chain of a hundred waiters has hundreds). */
const LINES_SHOWN = 30;

function WhyBlocked({ trace, chain }: { trace: string; chain: WhyChain }) {
  const jump = useSession((s) => s.jump);
  const [all, setAll] = useState(false);
  const go = (seg: number): void => {
    const s = chain.segments[seg];
    if (s && s.interval >= 0) jump({ kind: 'interval', fileId: trace, interval: s.interval });
  };
  // What the wait is charged to, added up by goroutine and state.
  const total = chain.endNs - chain.startNs;
  const charged = new Map<string, { seg: number; ns: number; text: string }>();
  chain.segments.forEach((s, k) => {
    if (!s.charged) return;
    const key = `G${s.goId} ${s.state}`;
    const e = charged.get(key);
    if (e) e.ns += s.endNs - s.startNs;
    else charged.set(key, { seg: k, ns: s.endNs - s.startNs, text: key });
  });
  const top = [...charged.values()].sort((a, b) => b.ns - a.ns).slice(0, 4);
  // The chain's other goroutines, the ones charged most first: the lanes to pin when the lane
  // settings hide them (a spike's lanes are the goroutines that piled up, not their culprits).
  const others: number[] = [];
  for (const c of [...charged.values()].sort((a, b) => b.ns - a.ns)) {
    const id = chain.segments[c.seg]!.goId;
    if (!others.includes(id)) others.push(id);
  }
  for (const s of chain.segments) if (s.depth > 0 && !others.includes(s.goId)) others.push(s.goId);
  const waiter = chain.segments[0]?.goId;
  const toPin = others.filter((id) => id !== waiter).slice(0, MAX_PINNED);
  const store = useSessionStore();
  return (
    <section className="why" aria-label="Why was this blocked?" data-testid="why-chain">
      <h3>Why was this blocked?</h3>
      {top.length > 0 && chain.ended === 'goroutine' && (
        <p className="why-summary">
          Charged to{' '}
          {top.map((c, i) => (
            <span key={c.text}>
              {i > 0 && ', '}
              <button type="button" className="link" onClick={() => go(c.seg)}>
                {c.text}
              </button>{' '}
              {formatDuration(c.ns)} ({pct(c.ns, total)})
            </span>
          ))}
        </p>
      )}
      {toPin.length > 0 && (
        <button
          type="button"
          className="small"
          onClick={() => pinIds(store, toPin)}
          data-testid="why-chain-pin"
          title="Pins the lanes of the chain that the lane filter or a collapsed group hides, above the others"
        >
          Show the chain's lanes ({toPin.map((id) => `G${id}`).join(', ')})
        </button>
      )}
      <ol className="why-lines">
        {(all ? chain.lines : chain.lines.slice(0, LINES_SHOWN)).map((l, i) => {
          const seg = chain.segments[l.segment];
          const who = seg ? `G${seg.goId}` : '';
          const rest = who && l.text.startsWith(who) ? l.text.slice(who.length) : l.text;
          return (
            <li
              key={i}
              style={{ paddingLeft: `${Math.min(l.depth, 12) * 10}px` }}
              className={seg?.charged && l.depth > 0 ? 'charged' : undefined}
            >
              {who && l.text.startsWith(who) ? (
                <button
                  type="button"
                  className="link"
                  onClick={() => go(l.segment)}
                  data-testid="why-chain-goroutine"
                >
                  {who}
                </button>
              ) : null}
              {rest}
            </li>
          );
        })}
      </ol>
      {!all && chain.lines.length > LINES_SHOWN && (
        <button type="button" className="small" onClick={() => setAll(true)}>
          Show all {chain.lines.length} lines
        </button>
      )}
      {chain.truncated && (
        <p className="muted small">
          The chain is longer: only its first {chain.segments.length} pieces are listed.
        </p>
      )}
    </section>
  );
}

function WhySlowList({ trace, targets }: { trace: string; targets: SlowTargetRow[] }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <section className="why" aria-label="Why was this slow?" data-testid="why-slow-list">
      <h3>Why was this slow?</h3>
      <ul className="why-targets">
        {targets.map((t, i) => (
          <li key={i}>
            <button
              type="button"
              className="small"
              aria-expanded={open === i}
              onClick={() => setOpen(open === i ? null : i)}
              data-testid="why-slow"
            >
              {t.label} ({formatDuration(t.endNs - t.startNs)})
            </button>
            {open === i && <WhySlowView trace={trace} target={t} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A task picked on the tasks track: its "Why was this slow?" (the details panel shows it). */
export function TaskWhy({ trace, task, name }: { trace: string; task: number; name: string }) {
  return (
    <section className="why" aria-label="Why was this slow?" data-testid="why-task">
      <h3>Why was task {name} slow?</h3>
      <WhySlowView
        key={task}
        trace={trace}
        target={{ target: { kind: 'task', task }, label: `task ${name}`, startNs: 0, endNs: 0 }}
      />
    </section>
  );
}

function WhySlowView({ trace, target }: { trace: string; target: SlowTargetRow }) {
  const q = useEngineQuery('whySlow', { trace, target: target.target });
  const jump = useSession((s) => s.jump);
  const v = q.data;
  if (!v) return <p className="muted small">Computing…</p>;
  const t = v.total;
  const d = t.runningNs + t.runnableNs + t.syscallNs + t.blockedNs + t.otherNs;
  const parts: Array<[string, number]> = [
    ['running', t.runningNs],
    ['runnable (waiting for a P)', t.runnableNs],
    ['in system calls', t.syscallNs],
    ...t.blockedByReason.map((r): [string, number] => [`blocked (${r.reason})`, r.ns]),
    ['not seen', t.otherNs],
  ];
  const link = (c: CauseRow): Selection | null =>
    c.interval >= 0 ? { kind: 'interval', fileId: trace, interval: c.interval } : null;
  return (
    <div className="why-slow" data-testid="why-slow-view">
      <p className="small">
        {formatDuration(v.durationNs)}
        {v.spans.length > 1 ? ` on ${v.spans.length} goroutines (${formatDuration(d)} in all)` : ''}
        :
      </p>
      <ul>
        {parts
          .filter(([, ns]) => ns > 0)
          .map(([label, ns]) => (
            <li key={label}>
              {label} {formatDuration(ns)} ({pct(ns, d)})
            </li>
          ))}
      </ul>
      {v.causes.length > 0 && (
        <>
          <p className="small">Its blocked time was held up by:</p>
          <ul>
            {v.causes.map((c) => {
              const to = link(c);
              return (
                <li key={`${c.goId} ${c.state}`}>
                  <button
                    type="button"
                    className="link"
                    disabled={!to}
                    onClick={() => to && jump(to)}
                  >
                    {c.text}
                  </button>{' '}
                  {formatDuration(c.ns)}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}
