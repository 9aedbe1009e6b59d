// Go's /goroutines table, better: goroutines grouped by start function with execution, scheduler
// wait, syscall and blocked time per wait-reason family, per-goroutine min / mean / max and a
// small histogram of the members' execution time; sortable; a group expands to its goroutines.
// Clicking a group or a goroutine filters the lanes to it and makes it the flame graph's goroutine
// set. With "Selected range only" the figures cover the time selection.

import { Fragment, useState } from 'react';
import { formatDuration } from '../../base/units';
import type { GoroutineTable } from '../../engine/analysis';
import type { GoroutineGroup, GoroutineSortKey } from '../../analysis/goroutineGroups';
import type { TraceModel } from '../../model/trace';
import { useEngineQuery } from '../engine';
import { useSession } from '../session';
import { clearFocus, focusGoroutines } from './actions';
import { Histogram } from './Histogram';
import { ariaSort } from '../sort';

type SortBy = 'name' | 'count' | 'exec' | 'schedWait' | 'syscall' | 'block' | `fam:${string}`;

const ROWS_STEP = 50;
const INACTIVE = '(Inactive, no stack trace sampled)';

function familyNs(g: GoroutineGroup, family: string): number {
  return g.blockByFamily.find((f) => f.family === family)?.ns ?? 0;
}

function sortValue(g: GoroutineGroup, by: SortBy): number | string {
  switch (by) {
    case 'name':
      return g.name;
    case 'count':
      return g.count;
    case 'exec':
      return g.execNs;
    case 'schedWait':
      return g.schedWaitNs;
    case 'syscall':
      return g.syscallNs + g.syscallBlockNs;
    case 'block':
      return g.blockNs;
    default:
      return familyNs(g, by.slice(4));
  }
}

const rowSortOf = (by: SortBy): GoroutineSortKey =>
  by === 'exec' || by === 'schedWait' || by === 'syscall' || by === 'block' ? by : 'total';

export function GoroutinesView({ traceId, trace }: { traceId: string; trace: TraceModel }) {
  const selection = useSession((s) => s.selection);
  const only = useSession((s) => s.lanes.only);
  const setLanes = useSession((s) => s.setLanes);
  const setFlame = useSession((s) => s.setFlame);
  const setView = useSession((s) => s.setView);
  const setSelection = useSession((s) => s.setSelection);
  const actions = { setLanes, setFlame, setView, setSelection };
  const [inRange, setInRange] = useState(false);
  const [sort, setSort] = useState<{ by: SortBy; desc: boolean }>({ by: 'exec', desc: true });
  const [open, setOpen] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const range = inRange && selection ? { t0: selection.startNs, t1: selection.endNs } : null;
  const q = useEngineQuery('goroutineTable', { trace: traceId, range });
  const table: GoroutineTable | null = q.data;
  if (!table) {
    return (
      <p className="analysis-empty muted" aria-busy="true">
        Summarizing goroutines…
      </p>
    );
  }
  const groups = [...table.groups].sort((a, b) => {
    const x = sortValue(a, sort.by);
    const y = sortValue(b, sort.by);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return sort.desc ? -c : c;
  });
  const families = table.families.slice(0, 6);
  const header = (by: SortBy, label: string, title?: string) => (
    <th scope="col" aria-sort={ariaSort(sort, by)} title={title}>
      <button
        type="button"
        className="sort"
        data-testid={`gsort-${by}`}
        onClick={() => setSort((s) => ({ by, desc: s.by === by ? !s.desc : by !== 'name' }))}
      >
        {label}
        {sort.by === by ? (sort.desc ? ' ▾' : ' ▴') : ''}
      </button>
    </th>
  );
  const ids = (g: GoroutineGroup) => Array.from(g.goroutines, (k) => trace.goroutines.id[k]!);
  const pickGroup = (g: GoroutineGroup) => {
    const key = `group:${g.name}`;
    if (active === key) {
      setActive(null);
      clearFocus(actions);
      return;
    }
    setActive(key);
    focusGoroutines(actions, ids(g), `of ${g.name || INACTIVE}`);
  };
  return (
    <div className="analysis-view" data-testid="goroutines-view">
      <div className="analysis-toolbar">
        <span>
          {table.goroutines} goroutines in {table.groups.length} groups
          {range
            ? ` in ${formatDuration(range.t1 - range.t0)} from ${formatDuration(range.t0)}`
            : ''}
        </span>
        <label title={selection ? '' : 'Select a time range on the timeline first (Shift+drag)'}>
          <input
            type="checkbox"
            checked={inRange}
            disabled={!selection && !inRange}
            onChange={(e) => setInRange(e.currentTarget.checked)}
            data-testid="goroutines-in-range"
          />{' '}
          Selected range only
        </label>
        {only && (
          <button
            type="button"
            className="button small"
            onClick={() => {
              setActive(null);
              clearFocus(actions);
            }}
          >
            Show all lanes
          </button>
        )}
        {q.pending && <span className="muted">updating…</span>}
      </div>
      <div className="analysis-scroll">
        <table className="analysis-table" data-testid="goroutine-table">
          <thead>
            <tr>
              {header('name', 'Start function')}
              {header('count', 'Goroutines')}
              {header('exec', 'Execution')}
              <th
                scope="col"
                title="Execution time per goroutine: min / mean / max, and its histogram"
              >
                per goroutine
              </th>
              {header('schedWait', 'Sched wait')}
              {header('syscall', 'Syscall')}
              {header('block', 'Blocked')}
              {families.map((f) => (
                <Fragment key={f.family}>
                  {header(`fam:${f.family}`, f.label, `Blocked: ${f.description}`)}
                </Fragment>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => {
              const isOpen = open === g.name;
              const key = `group:${g.name}`;
              const reasons = g.blockByReason
                .map((r) => `${r.reason || 'unknown'}: ${formatDuration(r.ns)}`)
                .join('\n');
              return (
                <Fragment key={g.name}>
                  <tr
                    className={active === key ? 'active' : undefined}
                    data-testid="goroutine-group"
                  >
                    <td className="name-cell">
                      <button
                        type="button"
                        className="expander"
                        aria-expanded={isOpen}
                        aria-label={`${isOpen ? 'Collapse' : 'Expand'} ${g.name || INACTIVE}`}
                        onClick={() => setOpen(isOpen ? null : g.name)}
                      >
                        {isOpen ? '▾' : '▸'}
                      </button>
                      <button
                        type="button"
                        className="link"
                        title="Show only these goroutines' lanes, and make them the flame graph's goroutines"
                        onClick={() => pickGroup(g)}
                        data-testid="goroutine-group-name"
                      >
                        {g.name || INACTIVE}
                      </button>
                    </td>
                    <td className="num">{g.count}</td>
                    <td className="num">{formatDuration(g.execNs)}</td>
                    <td className="spread">
                      <span className="muted">
                        {formatDuration(g.perGoroutine.exec.min)} /{' '}
                        {formatDuration(g.perGoroutine.exec.mean)} /{' '}
                        {formatDuration(g.perGoroutine.exec.max)}
                      </span>
                      <Histogram
                        firstBucket={g.execHistogram.firstBucket}
                        counts={g.execHistogram.counts}
                        selected={null}
                        width={70}
                        height={14}
                        label={`Execution time per goroutine of ${g.name || INACTIVE}`}
                      />
                    </td>
                    <td className="num">{formatDuration(g.schedWaitNs)}</td>
                    <td className="num">{formatDuration(g.syscallNs + g.syscallBlockNs)}</td>
                    <td className="num" title={reasons}>
                      {formatDuration(g.blockNs)}
                    </td>
                    {families.map((f) => {
                      const ns = familyNs(g, f.family);
                      return (
                        <td key={f.family} className="num">
                          {ns > 0 ? formatDuration(ns) : ''}
                        </td>
                      );
                    })}
                  </tr>
                  {isOpen && (
                    <GroupRows
                      traceId={traceId}
                      range={range}
                      group={g.name}
                      sortBy={rowSortOf(sort.by)}
                      columns={7 + families.length}
                      families={families.map((f) => f.family)}
                      active={active}
                      onPick={(id) => {
                        const k = `g:${id}`;
                        if (active === k) {
                          setActive(null);
                          clearFocus(actions);
                        } else {
                          setActive(k);
                          focusGoroutines(actions, [id], `G${id}`);
                        }
                      }}
                    />
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function GroupRows(props: {
  traceId: string;
  range: { t0: number; t1: number } | null;
  group: string;
  sortBy: GoroutineSortKey;
  columns: number;
  families: string[];
  active: string | null;
  onPick(id: number): void;
}) {
  const [limit, setLimit] = useState(ROWS_STEP);
  const q = useEngineQuery('goroutineRows', {
    trace: props.traceId,
    range: props.range,
    group: props.group,
    sortBy: props.sortBy,
    limit,
  });
  if (!q.data) {
    return (
      <tr>
        <td colSpan={props.columns} className="muted">
          …
        </td>
      </tr>
    );
  }
  const { rows, total } = q.data;
  return (
    <>
      {rows.map((r) => (
        <tr
          key={r.g}
          className={`member${props.active === `g:${r.id}` ? ' active' : ''}`}
          data-testid="goroutine-row"
        >
          <td className="name-cell">
            <button
              type="button"
              className="link"
              onClick={() => props.onPick(r.id)}
              title={`Created at ${formatDuration(r.creationNs)}${Number.isNaN(r.endNs) ? '' : `, ended at ${formatDuration(r.endNs)}`}`}
            >
              G{r.id}
            </button>
          </td>
          <td className="num muted">{formatDuration(r.totalNs)}</td>
          <td className="num">{formatDuration(r.execNs)}</td>
          <td />
          <td className="num">{formatDuration(r.schedWaitNs)}</td>
          <td className="num">{formatDuration(r.syscallNs + r.syscallBlockNs)}</td>
          <td
            className="num"
            title={r.blockByReason.map((x) => `${x.reason}: ${formatDuration(x.ns)}`).join('\n')}
          >
            {formatDuration(r.blockNs)}
          </td>
          {props.families.map((f) => (
            <td key={f} />
          ))}
        </tr>
      ))}
      {total > rows.length && (
        <tr className="member">
          <td colSpan={props.columns}>
            <button
              type="button"
              className="button small"
              onClick={() => setLimit((l) => l + ROWS_STEP * 4)}
            >
              Show more ({total - rows.length} not shown)
            </button>
          </td>
        </tr>
      )}
    </>
  );
}
