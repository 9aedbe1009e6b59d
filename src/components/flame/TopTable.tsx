// The top table beside the flame graph: flat and cum per function, sortable, click to pick.

import { memo, useMemo } from 'react';
import { sortTopTable, type TopTable as Table } from '../../analysis/flame';
import { formatPercent, formatValue } from '../../base/format';

const MAX_ROWS = 300;

export const TopTable = memo(function TopTable(props: {
  table: Table;
  unit: string;
  sort: { by: 'flat' | 'cum' | 'name'; desc: boolean };
  onSort(sort: { by: 'flat' | 'cum' | 'name'; desc: boolean }): void;
  selected: string | null;
  onPick(func: string): void;
}) {
  const { table, unit, sort } = props;
  // Functions only seen in samples of zero weight (for this sample type) are left out, as pprof does.
  const order = useMemo(
    () =>
      sortTopTable(table, sort.by, sort.desc).filter(
        (r) => table.flat[r] !== 0 || table.cum[r] !== 0,
      ),
    [table, sort.by, sort.desc],
  );
  const header = (by: 'flat' | 'cum' | 'name', label: string) => (
    <th scope="col" aria-sort={sort.by === by ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
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
  const rows = Math.min(order.length, MAX_ROWS);
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
          {Array.from({ length: rows }, (_, k) => {
            const r = order[k] as number;
            const name = table.strings[table.func[r] as number] ?? '';
            return (
              <TopRow
                // Keyed by position: as the range changes, rows change text in place
                // instead of DOM rows being moved around.
                key={k}
                name={name}
                flat={table.flat[r] as number}
                cum={table.cum[r] as number}
                total={table.total}
                unit={unit}
                selected={name === props.selected}
                onPick={props.onPick}
              />
            );
          })}
        </tbody>
      </table>
      {order.length > rows && (
        <p className="muted small">
          {order.length - rows} more functions (refine with search or focus)
        </p>
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
      <td className="fn" title={p.name}>
        {p.name}
      </td>
    </tr>
  );
});
