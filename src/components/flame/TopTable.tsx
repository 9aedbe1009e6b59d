// The top table beside the flame graph: flat and cum per function, sortable, click to pick.

import { useMemo } from 'react';
import { sortTopTable, type TopTable as Table } from '../../analysis/flame';
import { formatPercent, formatValue } from '../../base/format';

const MAX_ROWS = 300;

export function TopTable(props: {
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
            const flat = table.flat[r] as number;
            const cum = table.cum[r] as number;
            return (
              <tr
                key={r}
                className={name === props.selected ? 'selected' : undefined}
                onClick={() => props.onPick(name)}
              >
                <td>{formatValue(flat, unit)}</td>
                <td>{formatPercent(flat, table.total)}</td>
                <td>{formatValue(cum, unit)}</td>
                <td>{formatPercent(cum, table.total)}</td>
                <td className="fn" title={name}>
                  {name}
                </td>
              </tr>
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
}
