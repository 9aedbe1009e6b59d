// The search box above the lanes: a query over the trace's goroutine intervals, regions, tasks,
// logs and the dlv calls on its clock (README "Search"), run by the engine (`search`) as you type.
// Completion from the engine (`searchComplete`), the syntax error under the box with its token
// marked, the count, the results listed (virtualised, by start or duration), n / N (or Enter /
// Shift+Enter in the box) to step through them with the view following, "in selection" and
// "only lanes with results". `/` focuses the box; Esc clears the search first.

import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { formatDuration } from '../base/units';
import type { SearchParams, SearchView } from '../engine/search';
import type { DlvModel } from '../model/dlv';
import { GOROUTINE_STATE_NAMES, type TraceModel } from '../model/trace';
import type { RowLayout } from '../render/rowLayout';
import { clampRange } from '../render/timeScale';
import type { SessionStore } from '../store/session';
import { useEngine, useEngineQuery } from './engine';
import { rowWindow } from './rowWindow';
import { ariaSort } from './sort';

const ROW_H = 20;
/** Rows the list shows at once: fewer on a short window, where the lanes need the room. */
const listRows = () => (typeof window !== 'undefined' && window.innerHeight < 820 ? 3 : 5);
const KIND_LABEL = ['interval', 'dlv call', 'log', 'region', 'task'];
const KIND_PLURAL = ['intervals', 'dlv calls', 'logs', 'regions', 'tasks'];

/** Is the key event aimed at a text field (or a control that takes keys)? */
function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t?.closest?.('input, textarea, select, [contenteditable=true]');
}

export const SearchPanel = memo(function SearchPanel(props: {
  store: SessionStore;
  trace: TraceModel;
  layout: RowLayout;
  /** The query the engine was asked (searchParams), its answer (shared with the lanes), and whether it is due. */
  params: SearchParams | null;
  result: SearchView | null;
  pending: boolean;
  /** Bring goroutine g's lane into view (its row key). */
  onReveal(rowKey: string): void;
}) {
  const { store, trace, layout, result, params } = props;
  const engine = useEngine();
  const search = useStore(store, (x) => x.search);
  const hasSelection = useStore(store, (x) => x.selection !== null);
  const files = useStore(store, (x) => x.files);
  const axis = useStore(store, (x) => x.axis);
  const inputRef = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState(search.query);
  const [caret, setCaret] = useState(0);
  const [focused, setFocused] = useState(false);
  const [active, setActive] = useState(-1);
  // Completion shows while typing; Enter (run or step) puts it away until the next keystroke.
  const [suggest, setSuggest] = useState(true);
  const [listOpen, setListOpen] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const s = store.getState();

  // The store's query changes from a link or Esc: the box follows (not for what it sent itself).
  const sent = useRef(search.query);
  useEffect(() => {
    if (search.query === sent.current) return;
    sent.current = search.query;
    setDraft(search.query);
  }, [search.query]);
  // Typing runs the query after a short pause (each run is latest-wins in the engine).
  useEffect(() => {
    if (draft === store.getState().search.query) return;
    const t = setTimeout(() => {
      sent.current = draft;
      store.getState().setSearch({ query: draft });
    }, 150);
    return () => clearTimeout(t);
  }, [draft, store]);

  const orderParams = params
    ? { ...params, by: search.sort.by, descending: search.sort.desc }
    : null;
  const order = useEngineQuery('searchOrder', orderParams);
  const completion = useEngineQuery(
    'searchComplete',
    focused
      ? {
          trace: axis.traceId,
          dlv: axis.dlv.map((d) => d.fileId),
          text: draft,
          caret,
        }
      : null,
  );
  const items = focused && suggest && completion.current ? (completion.data?.items ?? []) : [];

  const ok = result?.ok ? result : null;
  const count = ok ? ok.results.count : 0;
  const orderData = order.current ? order.data : null;

  const dlvModels = useMemo(() => {
    const out = new Map<string, DlvModel>();
    for (const f of files) if (f.decoded?.format === 'dlv-trace') out.set(f.id, f.decoded.model);
    return out;
  }, [files]);

  /**
   * The result the last step went to while its order is still being fetched: `n` pressed twice
   * quickly steps twice (the cursor in the store moves only when the answer is in), and only the
   * last step moves the view.
   */
  const stepping = useRef<{ params: SearchParams | null; pos: number; seq: number }>({
    params: null,
    pos: -1,
    seq: 0,
  });

  /** Steps to the result at `pos` of the list: the view follows, its lane opens and shows. */
  const goTo = useCallback(
    async (pos: number, p: SearchParams | null = params) => {
      if (!p || !ok) return;
      const seq = ++stepping.current.seq;
      stepping.current.params = p;
      stepping.current.pos = pos;
      const st = store.getState();
      const o = await engine.query('searchOrder', {
        ...p,
        by: st.search.sort.by,
        descending: st.search.sort.desc,
      });
      if (seq !== stepping.current.seq) return; // a later step is on its way
      stepping.current.params = null;
      const i = o[pos];
      if (i === undefined) return;
      const r = ok.results;
      const start = r.start[i]!;
      const end = r.end[i]!;
      const dur = Math.max(0, end - start);
      const width = Math.max(dur * 1.6, 20_000);
      const mid = (start + end) / 2;
      const cur = store.getState();
      cur.setSearch({ cursor: pos });
      const limit = cur.axis.durationNs;
      cur.setView(clampRange(mid - width / 2, mid + width / 2, limit));
      if (r.kind[i] === 0) cur.select({ kind: 'interval', fileId: p.trace, interval: r.index[i]! });
      else if (r.kind[i] === 1) {
        const d = p.dlv[r.source[i]!];
        if (d) cur.select({ kind: 'dlv', fileId: d.file, span: r.index[i]! });
      }
      const g = r.goroutine[i]!;
      if (g >= 0) {
        const group = layout.rows.find(
          (row) => row.kind === 'group' && row.collapsed && row.goroutines.includes(g),
        );
        if (group?.kind === 'group')
          cur.setLanes({ collapsed: { ...cur.lanes.collapsed, [group.groupKey]: false } });
        props.onReveal(`t:G${trace.goroutines.id[g]}`);
      }
      // Keep the list's row in sight.
      setScrollTop((top) =>
        pos * ROW_H < top || pos * ROW_H >= top + listRows() * ROW_H
          ? Math.max(0, pos * ROW_H - 2 * ROW_H)
          : top,
      );
    },
    [params, ok, store, engine, layout, trace, props],
  );

  const step = useCallback(
    (delta: number) => {
      if (count === 0) return;
      const c =
        stepping.current.params === params ? stepping.current.pos : store.getState().search.cursor;
      const next = c < 0 ? (delta > 0 ? 0 : count - 1) : (c + delta + count) % count;
      void goTo(next);
    },
    [count, store, goTo, params],
  );

  // Keys anywhere on the page: / focuses the box, n / N step, Esc clears the search first.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
      if (e.key === '/') {
        e.preventDefault();
        inputRef.current?.focus();
      } else if (e.key === 'n' || e.key === 'N') {
        if (!store.getState().search.query) return;
        e.preventDefault();
        step(e.key === 'n' ? 1 : -1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [store, step]);

  const accept = (k: number) => {
    const c = completion.data;
    const item = items[k];
    if (!c || !item) return;
    const text = draft.slice(0, c.from) + item.insert + draft.slice(c.to);
    const at = c.from + item.insert.length;
    setDraft(text);
    setCaret(at);
    setActive(-1);
    requestAnimationFrame(() => inputRef.current?.setSelectionRange(at, at));
  };

  const onInputKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && items.length > 0) {
      setActive((a) => Math.min(items.length - 1, a + 1));
      e.preventDefault();
    } else if (e.key === 'ArrowUp' && items.length > 0) {
      setActive((a) => Math.max(-1, a - 1));
      e.preventDefault();
    } else if (e.key === 'Tab' && items.length > 0 && !e.shiftKey) {
      accept(Math.max(0, active));
      e.preventDefault();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (active >= 0 && items[active]) {
        accept(active);
        return;
      }
      setSuggest(false);
      if (draft !== search.query) {
        sent.current = draft;
        store.getState().setSearch({ query: draft });
        return;
      }
      step(e.shiftKey ? -1 : 1);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      if (items.length > 0 && active >= 0) setActive(-1);
      else if (draft) {
        setDraft('');
        sent.current = '';
        store.getState().setSearch({ query: '', cursor: -1 });
      } else inputRef.current?.blur();
    }
  };

  const error = result && !result.ok ? result.error : null;
  const kinds = ok
    ? Array.from(ok.results.kindCounts)
        .map((n, k) =>
          n > 0 ? `${n.toLocaleString('en-US')} ${n === 1 ? KIND_LABEL[k] : KIND_PLURAL[k]}` : '',
        )
        .filter(Boolean)
        .join(' · ')
    : '';

  const label = (i: number): string => {
    if (!ok) return '';
    const r = ok.results;
    const idx = r.index[i]!;
    const m = trace;
    switch (r.kind[i]) {
      case 0: {
        const st = GOROUTINE_STATE_NAMES[m.intervals.state[idx]!] ?? '';
        const reason = m.reasons[m.intervals.reason[idx]!] ?? '';
        return reason ? `${st} (${reason})` : st;
      }
      case 1: {
        const d = params ? dlvModels.get(params.dlv[r.source[i]!]?.file ?? '') : undefined;
        return d ? `call ${d.strings[d.spans.func[idx]!] ?? ''}` : 'dlv call';
      }
      case 2: {
        const cat = m.strings[m.logs.category[idx]!] ?? '';
        return `log ${cat ? `${cat}: ` : ''}${m.strings[m.logs.message[idx]!] ?? ''}`;
      }
      case 3:
        return `region ${m.strings[m.regions.name[idx]!] ?? ''}`;
      default:
        return `task ${m.strings[m.tasks.name[idx]!] ?? ''}`;
    }
  };

  const { first, last } = rowWindow(scrollTop, listRows() * ROW_H, count, ROW_H, 3);
  const rows: number[] = [];
  if (orderData && ok) for (let k = first; k < last; k++) rows.push(k);

  const sortBy = (by: 'start' | 'duration') =>
    s.setSearch({
      sort: { by, desc: search.sort.by === by ? !search.sort.desc : by === 'duration' },
    });

  return (
    <div className="search-panel" data-keyscope="">
      <div className="search-bar">
        <div className="search-box">
          <input
            ref={inputRef}
            type="search"
            spellCheck={false}
            autoComplete="off"
            placeholder="Search (/): state:waiting reason:sync dur>5ms · region:lookup · g:67 · log:phase"
            aria-label="Search the trace (press / to focus)"
            aria-invalid={error !== null}
            aria-autocomplete="list"
            aria-expanded={items.length > 0}
            aria-controls="search-completion"
            data-testid="search"
            value={draft}
            onChange={(e) => {
              setDraft(e.currentTarget.value);
              setSuggest(true);
              setCaret(e.currentTarget.selectionStart ?? e.currentTarget.value.length);
              setActive(-1);
            }}
            onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
            onFocus={() => setFocused(true)}
            onBlur={() => setTimeout(() => setFocused(false), 120)}
            onKeyDown={onInputKey}
          />
          {items.length > 0 && (
            <ul
              className="search-completion"
              id="search-completion"
              role="listbox"
              data-testid="search-completion"
            >
              {items.slice(0, 10).map((it, k) => (
                <li
                  key={`${it.label}:${k}`}
                  role="option"
                  aria-selected={k === active}
                  className={k === active ? 'active' : undefined}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    accept(k);
                  }}
                >
                  <span className="search-completion-label">{it.label}</span>
                  <span className="search-completion-detail">{it.detail}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <span className="search-count" data-testid="search-count" aria-live="polite">
          {!search.query.trim()
            ? ''
            : error
              ? 'no results'
              : ok
                ? `${count.toLocaleString('en-US')} result${count === 1 ? '' : 's'}${props.pending ? '…' : ''}`
                : 'searching…'}
        </span>
        {count > 0 && (
          <>
            <button
              type="button"
              className="small"
              onClick={() => step(-1)}
              title="Previous result (N, Shift+Enter)"
              aria-label="Previous result"
            >
              ‹
            </button>
            <span className="search-pos">
              {search.cursor >= 0 ? `${search.cursor + 1} / ${count.toLocaleString('en-US')}` : ''}
            </span>
            <button
              type="button"
              className="small"
              onClick={() => step(1)}
              title="Next result (n, Enter)"
              aria-label="Next result"
            >
              ›
            </button>
          </>
        )}
        <label
          className={hasSelection ? undefined : 'disabled'}
          title="Keep only results that overlap the time selection"
        >
          <input
            type="checkbox"
            checked={search.inSelection}
            onChange={(e) => s.setSearch({ inSelection: e.currentTarget.checked })}
            data-testid="search-in-selection"
          />{' '}
          in selection
        </label>
        <label title="Show only the goroutine lanes with results">
          <input
            type="checkbox"
            checked={search.onlyLanes}
            onChange={(e) => s.setSearch({ onlyLanes: e.currentTarget.checked })}
            data-testid="search-only-lanes"
          />{' '}
          only lanes with results
        </label>
        {count > 0 && (
          <button
            type="button"
            className="small"
            onClick={() => setListOpen((o) => !o)}
            aria-expanded={listOpen}
          >
            {listOpen ? 'Hide list' : 'List'}
          </button>
        )}
      </div>
      {error && (
        <p className="search-error" role="alert" data-testid="search-error">
          {error.message}
          {error.to > error.from && (
            <span className="search-error-where">
              {' '}
              at {draft.slice(0, error.from)}
              <mark>{draft.slice(error.from, error.to)}</mark>
              {draft.slice(error.to)}
            </span>
          )}
        </p>
      )}
      {ok && count > 0 && kinds.includes('·') && <p className="search-kinds">{kinds}</p>}
      {ok && count > 0 && listOpen && (
        <div
          className="search-results"
          role="table"
          aria-label="Search results"
          data-testid="search-results"
        >
          <div className="search-results-head" role="row">
            <span role="columnheader">#</span>
            <span role="columnheader">kind</span>
            <span role="columnheader">goroutine</span>
            <span role="columnheader">what</span>
            {(['start', 'duration'] as const).map((by) => (
              <button
                key={by}
                type="button"
                role="columnheader"
                onClick={() => sortBy(by)}
                aria-sort={ariaSort(search.sort, by)}
              >
                {by} {search.sort.by === by ? (search.sort.desc ? '↓' : '↑') : ''}
              </button>
            ))}
          </div>
          <div
            className="search-results-body"
            style={{ height: Math.min(count, listRows()) * ROW_H }}
            onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
            ref={(el) => {
              if (el && Math.abs(el.scrollTop - scrollTop) > 1) el.scrollTop = scrollTop;
            }}
          >
            <div style={{ height: count * ROW_H, position: 'relative' }}>
              {rows.map((k) => {
                const i = orderData![k]!;
                const r = ok.results;
                const g = r.goroutine[i]!;
                return (
                  <div
                    key={k}
                    role="row"
                    className={`search-row${k === search.cursor ? ' current' : ''}`}
                    style={{ top: k * ROW_H, height: ROW_H }}
                    onClick={() => void goTo(k)}
                  >
                    <span>{k + 1}</span>
                    <span>{KIND_LABEL[r.kind[i]!]}</span>
                    <span>{g >= 0 ? `G${trace.goroutines.id[g]}` : '—'}</span>
                    <span className="search-row-what">{label(i)}</span>
                    <span>{formatDuration(r.start[i]!)}</span>
                    <span>{formatDuration(r.end[i]! - r.start[i]!)}</span>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      )}
    </div>
  );
});
