import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePprof } from '../formats/pprof/decode';
import { gunzip } from '../formats/gzip';
import { encodeTestProfile } from '../formats/pprof/testEncoder';
import { topFunctions } from '../model/profileSummary';
import { CORPUS_DIR } from '../testing/summaryCompare';
import { buildCallTree, buildTopTable, nodeName, sortTopTable } from './flame';
import { profileLabels, profileStackSet } from './profileStacks';

const profile = decodePprof(
  encodeTestProfile({
    sampleTypes: [
      ['contentions', 'count'],
      ['delay', 'nanoseconds'],
    ],
    functions: [
      { id: 1, name: 'main.main' },
      { id: 2, name: 'main.handle' },
      { id: 3, name: 'sync.(*Mutex).Lock' },
    ],
    locations: [
      { id: 1, lines: [{ func: 1 }] },
      { id: 2, lines: [{ func: 2 }] },
      { id: 3, lines: [{ func: 3 }] },
    ],
    samples: [
      {
        locs: [3, 2, 1],
        values: [2, 500],
        labels: [
          { key: 'handler', str: '/api' },
          { key: 'size', num: 10, unit: 'bytes' },
        ],
      },
      {
        locs: [3, 2, 1],
        values: [1, 300],
        labels: [
          { key: 'handler', str: '/health' },
          { key: 'size', num: 99, unit: 'bytes' },
        ],
      },
      { locs: [2, 1], values: [4, 40] },
    ],
  }),
);

describe('profile stack sets', () => {
  it('weights samples by the chosen sample type', () => {
    const delay = buildCallTree(profileStackSet(profile));
    expect(delay.total[0]).toBe(840);
    const contentions = buildCallTree(profileStackSet(profile, 0));
    expect(contentions.total[0]).toBe(7);
    expect(profileStackSet(profile, 0)).toBe(profileStackSet(profile, 0));
  });

  it('filters samples by string and numeric labels', () => {
    const api = buildCallTree(profileStackSet(profile, 1, [{ key: 'handler', values: ['/api'] }]));
    expect(api.total[0]).toBe(500);
    const notApi = profileStackSet(profile, 1, [
      { key: 'handler', values: ['/api'], exclude: true },
    ]);
    expect(buildCallTree(notApi).total[0]).toBe(340);
    const big = profileStackSet(profile, 1, [{ key: 'size', min: 50 }]);
    expect(buildCallTree(big).total[0]).toBe(300);
    const both = profileStackSet(profile, 1, [
      { key: 'size', max: 50 },
      { key: 'handler', values: ['/health'] },
    ]);
    expect(buildCallTree(both).total[0]).toBe(0);
  });

  it('lists label keys and values for a filter picker', () => {
    expect(profileLabels(profile)).toEqual([
      {
        key: 'handler',
        values: [
          { value: '/api', samples: 1 },
          { value: '/health', samples: 1 },
        ],
        numeric: null,
      },
      { key: 'size', values: [], numeric: { samples: 2, min: 10, max: 99, units: ['bytes'] } },
    ]);
  });

  it("gives the summary's topFlat/topCum through the flame graph's top table (corpus CPU profile)", () => {
    const m = decodePprof(
      gunzip(new Uint8Array(readFileSync(`${CORPUS_DIR}/pprof/spike-go1.27/cpu.pprof`))),
    );
    const table = buildTopTable(buildCallTree(profileStackSet(m)));
    const top = topFunctions(m, m.defaultTypeIndex, 10);
    const rows = (by: 'flat' | 'cum'): Array<{ name: string; value: number }> =>
      Array.from(sortTopTable(table, by).subarray(0, 10)).map((r) => ({
        name: table.strings[table.func[r]!]!,
        value: table[by][r]!,
      }));
    expect(rows('flat')).toEqual(top.flat);
    expect(rows('cum')).toEqual(top.cum);
    const tree = buildCallTree(profileStackSet(m));
    expect(tree.total[0]).toBe(Number(m.totals[m.defaultTypeIndex]));
    expect(nodeName(tree, 1)).not.toBe('');
  });
});
