import { describe, expect, it } from 'vitest';
import { decodeViewState, encodeViewState, type ViewState } from './viewState';

describe('view state in the URL hash', () => {
  it('round-trips every field', () => {
    const s: ViewState = {
      view: { startNs: 10, endNs: 2000 },
      selection: { startNs: 100, endNs: 900 },
      pick: { file: 1, kind: 'i', index: 4242 },
      source: { trace: 'trace:blocked' },
      types: { 2: 1 },
      flame: {
        search: 'main\\.(lookup|handle)',
        focus: '^main\\.lookup$',
        func: 'sync.(*Mutex).Lock',
        zoom: ['net/http.(*conn).serve', 'main.handle'],
        split: 'none',
        mode: 'sandwich',
        scope: 'list',
        scopeIds: [35, 36, 67],
        scopeLabel: 'of the sync spike',
        compare: { startNs: 5, endNs: 50 },
      },
      lanes: {
        filter: 'net/http',
        sort: 'blocked',
        collapsed: { 't:g:main.main': true, files: false },
        only: [35, 36, 67],
      },
      offsets: { 2: -3105989 },
      search: {
        query: 'state:waiting reason="chan receive" dur>5ms | log:/ph.se/i',
        inSelection: true,
        onlyLanes: true,
      },
    };
    expect(decodeViewState(`#${encodeViewState(s)}`)).toEqual(s);
  });
  it('keeps a search query only within bounds, and its switches only with it', () => {
    expect(decodeViewState(`#sq=${'x'.repeat(2001)}&so=1`)).toEqual({});
    expect(decodeViewState('#ss=1&so=1')).toEqual({});
    expect(decodeViewState('#sq=g%3A5&ss=yes')).toEqual({ search: { query: 'g:5' } });
  });
  it('drops what it cannot read instead of failing', () => {
    expect(decodeViewState('#v=5,1&pick=x&src=evil&st=a.b&off=1:x&ls=nope&zzz=1')).toEqual({});
    // A list scope without a valid list is dropped; a bad id drops the whole list.
    expect(decodeViewState('#scope=list&gs=1,x,3&only=4,-5&gsl=a')).toEqual({});
    expect(decodeViewState(`#only=${'1,'.repeat(5000)}1`)).toEqual({});
    expect(decodeViewState('#only=9007199254740993')).toEqual({});
    expect(decodeViewState('#pick=2.7')).toEqual({ pick: { file: 2, kind: 'd', index: 7 } });
  });
});
