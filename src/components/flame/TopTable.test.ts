import { describe, expect, it } from 'vitest';
import { TOP_ROW_PX, rowWindow } from './TopTable';

describe('rowWindow (the top table draws the rows in view and 20 beyond each edge)', () => {
  it('starts at the top and covers the view and the overscan', () => {
    expect(rowWindow(0, 200, 300)).toEqual({ first: 0, last: 10 + 20 });
  });
  it('follows the scroll, rows cut at either edge included', () => {
    const top = 100 * TOP_ROW_PX + 5; // row 100 partly scrolled out
    expect(rowWindow(top, 200, 300)).toEqual({ first: 80, last: 111 + 20 });
  });
  it('stays inside the table, short or scrolled past its end', () => {
    expect(rowWindow(0, 600, 7)).toEqual({ first: 0, last: 7 });
    expect(rowWindow(10_000, 200, 300)).toEqual({ first: 300, last: 300 });
    expect(rowWindow(0, 200, 0)).toEqual({ first: 0, last: 0 });
  });
});
