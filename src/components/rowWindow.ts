// Lists that draw only the rows in (or near) their scrolled view: the search results and the
// flame graph's top table.

/**
 * The rows [first, last) of `count` rows of `rowPx` px to draw for a view of `height` px scrolled
 * to `top`, with `overscan` rows beyond each edge.
 */
export function rowWindow(
  top: number,
  height: number,
  count: number,
  rowPx: number,
  overscan: number,
): { first: number; last: number } {
  const first = Math.max(0, Math.min(count, Math.floor(top / rowPx) - overscan));
  const last = Math.min(count, Math.ceil((top + height) / rowPx) + overscan);
  return { first, last: Math.max(first, last) };
}
