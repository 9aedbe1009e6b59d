// The top table beside the flame graph: flat and cum per function, sortable, click to pick. The
// engine sorts and cuts it (engine/flame.ts topTable); this draws the rows it sent, only those
// in (or near) the scrolled view: while a selection is dragged the table changes several times a
// second, and laying out and painting all 300 rows each time made a third of the frames late.

import { memo, useLayoutEffect, useRef, useState } from 'react';
import type { TopRows } from '../../engine/flame';
import { formatPercent, formatValue } from '../../base/format';
import { rowWindow } from '../rowWindow';
import { ariaSort } from '../sort';

/** Rows shown (the rest are counted below the table). */
export const TOP_ROWS = 300;

/** Height of a row in CSS px (styles.css `.top-table tbody tr`). */
export const TOP_ROW_PX = 20;
/** Rows drawn beyond each edge of the scrolled view. */
export const TOP_OVERSCAN = 20;

export const TopTable = memo(function TopTable(props: {
  table: TopRows;
  sort: { by: 'flat' | 'cum' | 'name'; desc: boolean };
  onSort(sort: { by: 'flat' | 'cum' | 'name'; desc: boolean }): void;
  selected: string | null;
  onPick(func: string): void;
}) {
  const { table, sort } = props;
  const box = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 600 });
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setScroll({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const n = table.rows.length;
  // A shorter table pulls the scroll position back; read it rather than wait for the event.
  useLayoutEffect(() => {
    const el = box.current;
    if (el) setScroll((s) => (s.top === el.scrollTop ? s : { ...s, top: el.scrollTop }));
  }, [n]);
  const { first, last } = rowWindow(scroll.top, scroll.height, n, TOP_ROW_PX, TOP_OVERSCAN);
  const header = (by: 'flat' | 'cum' | 'name', label: string) => (
    <th scope="col" aria-sort={ariaSort(sort, by)}>
      <button
        type="button"
        className="th-button"
        onClick={() => props.onSort({ by, desc: sort.by === by ? !sort.desc : by !== 'name' })}
      >
        {label}
        {sort.by === by ? (sort.desc ? ' ▾' : ' ▴') : ''}
      </button>
    </th>
  );
  return (
    <div
      className="top-table"
      data-testid="top-table"
      ref={box}
      onScroll={(e) =>
        setScroll({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })
      }
    >
      <table aria-rowcount={n + 1}>
        <thead>
          <tr aria-rowindex={1}>
            {header('flat', 'Flat')}
            <th scope="col">Flat%</th>
            {header('cum', 'Cum')}
            <th scope="col">Cum%</th>
            {header('name', 'Function')}
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr aria-hidden="true" style={{ height: first * TOP_ROW_PX }} />}
          {table.rows.slice(first, last).map((r, j) => (
            <TopRow
              // Keyed by position: as the range changes, rows change text in place
              // instead of DOM rows being moved around.
              key={first + j}
              index={first + j}
              name={r.name}
              flat={r.flat}
              cum={r.cum}
              total={table.total}
              unit={table.unit}
              selected={r.name === props.selected}
              onPick={props.onPick}
            />
          ))}
          {last < n && <tr aria-hidden="true" style={{ height: (n - last) * TOP_ROW_PX }} />}
        </tbody>
      </table>
      {table.more > 0 && (
        <p className="muted small">{table.more} more functions (refine with search or focus)</p>
      )}
    </div>
  );
});

/** One row: memoized, so picking a function re-renders two rows, not the table. */
const TopRow = memo(function TopRow(p: {
  index: number;
  name: string;
  flat: number;
  cum: number;
  total: number;
  unit: string;
  selected: boolean;
  onPick(func: string): void;
}) {
  return (
    <tr
      className={p.selected ? 'selected' : undefined}
      aria-rowindex={p.index + 2}
      onClick={() => p.onPick(p.name)}
    >
      <td>{formatValue(p.flat, p.unit)}</td>
      <td>{formatPercent(p.flat, p.total)}</td>
      <td>{formatValue(p.cum, p.unit)}</td>
      <td>{formatPercent(p.cum, p.total)}</td>
      {/* Long Go names are cut at the start (the function's own name is at the end); the
          whole name on hover. */}
      <td className="fn tail" title={p.name}>
        <span>{p.name}</span>
      </td>
    </tr>
  );
});
