// Sortable column headers: what assistive technology is told of a column's order.

/** The `aria-sort` of column `by` under `sort`. */
export function ariaSort<K>(
  sort: { by: K; desc: boolean },
  by: K,
): 'ascending' | 'descending' | 'none' {
  return sort.by === by ? (sort.desc ? 'descending' : 'ascending') : 'none';
}
