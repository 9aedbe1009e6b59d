// The top table beside the flame graph: flat and cum per function, sortable, click to pick. The
// engine sorts and cuts it (engine/flame.ts topTable); this draws the rows it sent.

import { memo } from 'react';
import type { TopRows } from '../../engine/flame';
import { formatPercent, formatValue } from '../../base/format';
import { ariaSort } from '../sort';

/** Rows shown (the rest are counted below the table). */
export const TOP_ROWS = 300;

export const TopTable = memo(function TopTable(props: {
  table: TopRows;
  sort: { by: 'flat' | 'cum' | 'name'; desc: boolean };
  onSort(sort: { by: 'flat' | 'cum' | 'name'; desc: boolean }): void;
  selected: string | null;
  onPick(func: string): void;
}) {
  const { table, sort } = props;
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
    <div className="top-table" data-testid="top-table">
      <table>
        <thead>
          <tr>
            {header('flat', 'Flat')}
            <th scope="col">Flat%</th>
            {header('cum', 'Cum')}
            <th scope="col">Cum%</th>
            {header('name', 'Function')}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, k) => (
            <TopRow
              // Keyed by position: as the range changes, rows change text in place
              // instead of DOM rows being moved around.
              key={k}
              name={r.name}
              flat={r.flat}
              cum={r.cum}
              total={table.total}
              unit={table.unit}
              selected={r.name === props.selected}
              onPick={props.onPick}
            />
          ))}
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
  name: string;
  flat: number;
  cum: number;
  total: number;
  unit: string;
  selected: boolean;
  onPick(func: string): void;
}) {
  return (
    <tr className={p.selected ? 'selected' : undefined} onClick={() => p.onPick(p.name)}>
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
