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

describe('real Go profiles with labels and a diff_base (testdata/README.md)', () => {
  const read = (name: string): Uint8Array => {
    const raw = new Uint8Array(
      readFileSync(`${import.meta.dirname}/../formats/pprof/testdata/${name}`),
    );
    return raw[0] === 0x1f && raw[1] === 0x8b ? gunzip(raw) : raw;
  };

  it('filters pprof.Do labels as go tool pprof -tagfocus does', () => {
    const m = decodePprof(read('labels.cpu.pprof'));
    const total = (filters: Parameters<typeof profileStackSet>[2]): number =>
      buildCallTree(profileStackSet(m, m.defaultTypeIndex, filters)).total[0]!;
    expect(total([])).toBe(890_000_000);
    expect(total([{ key: 'handler', values: ['/api'] }])).toBe(400_000_000);
    expect(total([{ key: 'handler', values: ['/health'] }])).toBe(390_000_000);
    expect(profileLabels(m).map((l) => l.key)).toEqual(['handler', 'tenant']);
  });

  it('keeps the negative values of a -diff_base profile', () => {
    const m = decodePprof(read('diff.cpu.pb.gz'));
    expect(m.sampleCount).toBe(40);
    expect(m.totals).toEqual([-1n, -10_000_000n]);
    const top = topFunctions(m, m.defaultTypeIndex, 10);
    const byName = (
      rows: Array<{ name: string; value: number }>,
      name: string,
    ): number | undefined => rows.find((r) => r.name === name)?.value;
    // go tool pprof -top -unit=ns: main.spin flat -40000000 cum -30000000, time.now 20000000.
    expect(byName(top.flat, 'main.spin')).toBe(-40_000_000);
    expect(byName(top.cum, 'main.spin')).toBe(-30_000_000);
    expect(byName(top.flat, 'time.now')).toBe(20_000_000);
    expect(byName(top.flat, 'time.Now')).toBe(10_000_000);
    // -tagignore pprof::base=true leaves the second run alone.
    const second = profileStackSet(m, m.defaultTypeIndex, [
      { key: 'pprof::base', values: ['true'], exclude: true },
    ]);
    expect(buildCallTree(second).total[0]).toBe(880_000_000);
    // The flame graph lays the differences out by magnitude.
    const tree = buildCallTree(profileStackSet(m));
    expect(tree.hasNegative).toBe(true);
    expect(tree.total[0]).toBe(-10_000_000);
    expect(tree.size[0]).toBeGreaterThan(0);
  });
});
