import { describe, expect, it } from 'vitest';
import { decodeViewState } from '../store/viewState';
import { traceOf } from './testTrace';
import { filteredGoroutines } from './timelineRows';
import { goroutineGroups } from './traceLanes';

// Start functions long enough that a backtracking engine never finishes `(.|.)*!$` on them
// (2^64 ways to split the name), with a case difference to check the flags.
const LONG = `main.${'x'.repeat(64)}`;
const { m } = traceOf({
  end: 100,
  events: [
    { t: 0, g: 1, state: 'running', stack: `${LONG};main.work` },
    { t: 0, g: 2, state: 'running', stack: 'net/http.(*conn).serve;main.Handle' },
    { t: 0, g: 3, state: 'running', stack: `${LONG}!;main.work` },
  ],
});
const ids = (filter: string) => {
  const kept = filteredGoroutines(m, goroutineGroups(m), { filter, only: null });
  return kept === null ? null : Array.from(kept, (g) => m.goroutines.id[g]!).sort((a, b) => a - b);
};

describe('lane filter', () => {
  it('runs a pattern from a link in linear time (RE2), through the view state', () => {
    // The link `#lf=/(.|.)*!$/` used to freeze the tab on a backtracking engine.
    const filter = decodeViewState(`#lf=${encodeURIComponent('/(.|.)*!$/')}`).lanes?.filter;
    expect(filter).toBe('/(.|.)*!$/');
    expect(ids(filter as string)).toEqual([3]);
  });
  it('keeps the filter syntax: plain text, /re/ ignoring case, /re/flags, ids', () => {
    expect(ids('')).toBeNull();
    expect(ids('HANDLE')).toEqual([]); // plain text matches start functions, not leaves
    expect(ids('SERVE')).toEqual([2]);
    expect(ids('/^NET\\/HTTP/')).toEqual([2]);
    expect(ids('/^NET\\/HTTP/m')).toEqual([]); // a flag other than i keeps case
    expect(ids('/^net\\/http/m')).toEqual([2]);
    expect(ids('/^[23]$/')).toEqual([2, 3]); // goroutine ids
    // An unfinished pattern filters like plain text (and is not an error).
    expect(ids('/(x/')).toEqual([]);
    // Perl syntax that RE2 does not have is treated the same way.
    expect(ids('/(?<=net)x/')).toEqual([]);
  });
});
