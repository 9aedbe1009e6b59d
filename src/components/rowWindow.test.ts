import { describe, expect, it } from 'vitest';
import { TOP_OVERSCAN, TOP_ROW_PX } from './flame/TopTable';
import { rowWindow } from './rowWindow';

// As the top table uses it: 20 px rows, 20 rows drawn beyond each edge.
const top = (scrollTop: number, height: number, count: number) =>
  rowWindow(scrollTop, height, count, TOP_ROW_PX, TOP_OVERSCAN);

describe('rowWindow (the top table draws the rows in view and 20 beyond each edge)', () => {
  it('starts at the top and covers the view and the overscan', () => {
    expect(top(0, 200, 300)).toEqual({ first: 0, last: 10 + 20 });
  });
  it('follows the scroll, rows cut at either edge included', () => {
    const scrolled = 100 * TOP_ROW_PX + 5; // row 100 partly scrolled out
    expect(top(scrolled, 200, 300)).toEqual({ first: 80, last: 111 + 20 });
  });
  it('stays inside the table, short or scrolled past its end', () => {
    expect(top(0, 600, 7)).toEqual({ first: 0, last: 7 });
    expect(top(10_000, 200, 300)).toEqual({ first: 300, last: 300 });
    expect(top(0, 200, 0)).toEqual({ first: 0, last: 0 });
  });
});
