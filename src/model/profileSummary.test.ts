import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../base/compare';
import { decodePprof } from '../formats/pprof/decode';
import { encodeTestProfile } from '../formats/pprof/testEncoder';
import { summarizeProfile } from './profileSummary';

describe('summarizeProfile top lists', () => {
  const m = decodePprof(
    encodeTestProfile({
      sampleTypes: [['samples', 'count']],
      functions: [
        { id: 1, name: 'main.main' },
        { id: 2, name: 'main.f' },
        { id: 3, name: 'main.g' },
        { id: 4, name: 'main.b' },
        { id: 5, name: 'main.a' },
      ],
      locations: [
        { id: 1, lines: [{ func: 1 }] },
        { id: 2, lines: [{ func: 2 }] },
        // g with f inlined into it: f appears twice on the stack below.
        {
          id: 3,
          lines: [{ func: 2 }, { func: 3 }],
        },
        { id: 4, lines: [{ func: 4 }] },
        { id: 5, lines: [{ func: 5 }] },
      ],
      samples: [
        { locs: [3, 2, 1], values: [5] }, // f (inlined) <- g <- f <- main
        { locs: [4, 1], values: [2] },
        { locs: [5, 1], values: [2] },
      ],
    }),
  );

  it('counts a recursive function once per sample in cum and ties by name', () => {
    const s = summarizeProfile(m);
    expect(s.topFlat).toEqual([
      { name: 'main.f', value: 5 },
      { name: 'main.a', value: 2 },
      { name: 'main.b', value: 2 },
    ]);
    expect(s.topCum).toEqual([
      { name: 'main.main', value: 9 },
      { name: 'main.f', value: 5 },
      { name: 'main.g', value: 5 },
      { name: 'main.a', value: 2 },
      { name: 'main.b', value: 2 },
    ]);
    expect(s.defaultSampleType).toBe('samples');
    expect(s.functions).toBe(5);
    expect(s.locations).toBe(5);
  });
});

describe('compareCodePoints', () => {
  it('orders as Go compares strings (UTF-8 bytes), not UTF-16 code units', () => {
    const astral = '\u{1F600}'; // a surrogate pair in UTF-16
    const high = '\uFF5E'; // above the surrogates' code units' range start
    expect(compareCodePoints(high, astral)).toBeLessThan(0);
    expect(high < astral).toBe(false); // what plain JS comparison would say
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('b', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
  });
});
