import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../base/errors';
import {
  sampleLabels,
  sampleValue,
  sampleValueExact,
  type ProfileModel,
} from '../../model/profile';
import { summarizeProfile } from '../../model/profileSummary';
import { stackFrames } from '../../model/stacks';
import {
  CORPUS_DIR,
  compareSummary,
  corpusFiles,
  expectedSummary,
} from '../../testing/summaryCompare';
import { gunzip, isGzip } from '../gzip';
import { decodePprof } from './decode';
import { sniffPprof } from './sniff';
import { encodeTestProfile, ProtoWriter, type TestProfile } from './testEncoder';

/** What formats/index.ts does for a pprof file: inflate gzip, sniff, decode. */
function decodeProfileFile(input: Uint8Array): ProfileModel {
  const bytes = isGzip(input) ? gunzip(input) : input;
  if (!sniffPprof(bytes)) throw new DecodeError('unrecognized', 'not a pprof profile');
  return decodePprof(bytes);
}

function summarizePath(path: string): Record<string, unknown> {
  try {
    return summarizeProfile(decodeProfileFile(new Uint8Array(readFileSync(path))));
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { error: e.message };
  }
}

const corpus = [
  ...corpusFiles('pprof'),
  ...corpusFiles('combined').filter((p) => p.endsWith('.pprof')),
];

describe('pprof corpus summaries (SUMMARY.md)', () => {
  it('finds the corpus', () => expect(corpus.length).toBeGreaterThanOrEqual(24));
  for (const path of corpus) {
    it(relative(CORPUS_DIR, path), () => {
      expect(compareSummary(expectedSummary(path), summarizePath(path))).toEqual([]);
    });
  }
});

/** Leaf-first function names of a sample. */
function names(m: ProfileModel, i: number): string[] {
  const s = m.samples.stack[i] as number;
  return s < 0 ? [] : stackFrames(m.stacks, s).map((f) => m.strings[m.frames.func[f] as number]!);
}

const base: TestProfile = {
  sampleTypes: [
    ['samples', 'count'],
    ['cpu', 'nanoseconds'],
  ],
  functions: [
    { id: 1, name: 'main.main', file: 'main.go' },
    { id: 2, name: 'main.work', file: 'work.go' },
    { id: 3, name: 'main.inlined', file: 'work.go' },
  ],
  mappings: [{ id: 1, start: 0x400000, limit: 0x800000, file: '/bin/app' }],
  locations: [
    { id: 10, mapping: 1, address: 0x401000, lines: [{ func: 1, line: 5 }] },
    // work with main.inlined inlined into it: innermost first.
    {
      id: 11,
      mapping: 1,
      address: 0x402000,
      lines: [
        { func: 3, line: 30 },
        { func: 2, line: 20 },
      ],
    },
    // No symbolization.
    { id: 12, mapping: 1, address: 0x4abcde },
  ],
  samples: [
    { locs: [11, 10], values: [1, 10_000_000] },
    { locs: [12, 11, 10], values: [2, 20_000_000] },
    { locs: [11, 10], values: [3, 30_000_000] },
  ],
  period: 10_000_000,
  periodType: ['cpu', 'nanoseconds'],
  timeNanos: 1_795_825_013_224_662_321n,
  durationNanos: 1_205_842_434,
};

describe('pprof decoding', () => {
  it('keeps inlined frames innermost first and names unsymbolized locations by address', () => {
    const m = decodePprof(encodeTestProfile(base));
    expect(names(m, 0)).toEqual(['main.inlined', 'main.work', 'main.main']);
    expect(names(m, 1)).toEqual(['0x4abcde', 'main.inlined', 'main.work', 'main.main']);
    // Equal stacks are interned once.
    expect(m.samples.stack[2]).toBe(m.samples.stack[0]);
    const leaf = m.stacks.frame[m.samples.stack[0] as number] as number;
    expect(m.frames.inlined[leaf]).toBe(1);
    expect(m.frames.line[leaf]).toBe(30);
    expect(m.strings[m.frames.file[leaf] as number]).toBe('work.go');
    const addr = m.stacks.frame[m.samples.stack[1] as number] as number;
    expect(m.strings[m.frames.file[addr] as number]).toBe('/bin/app');
    expect(m.locations.length).toBe(3);
    expect(m.locations.address[2]).toBe(0x4abcden);
    expect(m.locations.mapping[2]).toBe(0);
    expect(m.functions.length).toBe(3);
  });

  it('reads metadata exactly and picks the default sample type as pprof does', () => {
    const m = decodePprof(encodeTestProfile(base));
    expect(m.timeNanos).toBe(1_795_825_013_224_662_321n);
    expect(m.durationNanos).toBe(1_205_842_434n);
    expect(m.period).toBe(10_000_000n);
    expect(m.periodType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(m.defaultTypeIndex).toBe(1); // the last one
    expect(m.totals).toEqual([6n, 60_000_000n]);
    const chosen = decodePprof(encodeTestProfile({ ...base, defaultSampleType: 'samples' }));
    expect(chosen.defaultTypeIndex).toBe(0);
    expect(summarizeProfile(chosen).defaultSampleType).toBe('samples');
    const none = decodePprof(encodeTestProfile({ ...base, periodType: undefined }));
    expect(none.periodType).toEqual({ type: '', unit: '' });
  });

  it('reads packed and unpacked repeated fields alike', () => {
    const a = summarizeProfile(decodePprof(encodeTestProfile(base)));
    const b = summarizeProfile(decodePprof(encodeTestProfile({ ...base, unpacked: true })));
    expect(b).toEqual(a);
    expect(a.topFlat).toEqual([
      { name: 'main.inlined', value: 40_000_000 },
      { name: '0x4abcde', value: 20_000_000 },
    ]);
    expect(a.topCum).toEqual([
      { name: 'main.inlined', value: 60_000_000 },
      { name: 'main.main', value: 60_000_000 },
      { name: 'main.work', value: 60_000_000 },
      { name: '0x4abcde', value: 20_000_000 },
    ]);
  });

  it('keeps string and numeric labels with units, and drops empty ones as pprof does', () => {
    const m = decodePprof(
      encodeTestProfile({
        ...base,
        samples: [
          {
            locs: [10],
            values: [1, 1],
            labels: [
              { key: 'handler', str: '/api' },
              { key: 'bytes', num: 4096, unit: 'bytes' },
              { key: 'requests', num: -3 },
              { key: 'nothing' },
            ],
          },
          { locs: [10], values: [1, 1] },
        ],
      }),
    );
    expect(sampleLabels(m, 0)).toEqual([
      { key: 'handler', str: '/api', num: NaN, unit: '' },
      { key: 'bytes', str: null, num: 4096, unit: 'bytes' },
      { key: 'requests', str: null, num: -3, unit: '' },
    ]);
    expect(sampleLabels(m, 1)).toEqual([]);
  });

  it('keeps negative values (diff_base profiles) and totals them', () => {
    const m = decodePprof(
      encodeTestProfile({
        ...base,
        samples: [
          { locs: [11, 10], values: [-5, -50] },
          { locs: [10], values: [2, 20] },
        ],
      }),
    );
    expect(sampleValue(m, 0, 1)).toBe(-50);
    expect(m.totals).toEqual([-3n, -30n]);
    expect(summarizeProfile(m).topFlat).toEqual([
      { name: 'main.main', value: 20 },
      { name: 'main.inlined', value: -50 },
    ]);
  });

  it('keys ids beyond 2^53 exactly and keeps huge values exact', () => {
    // 2^60 and 2^60 + 1 are the same double: keyed as numbers they would collide.
    const big = 2n ** 60n;
    const m = decodePprof(
      encodeTestProfile({
        sampleTypes: [['space', 'bytes']],
        functions: [
          { id: big, name: 'a' },
          { id: big + 1n, name: 'b' },
        ],
        locations: [
          { id: big + 1n, lines: [{ func: big }] },
          { id: big, lines: [{ func: big + 1n }] },
          { id: 2n ** 64n - 1n, address: 2n ** 64n - 16n },
        ],
        samples: [
          { locs: [big + 1n], values: [2n ** 62n + 1n] },
          { locs: [big], values: [2n ** 62n + 1n] },
          { locs: [2n ** 64n - 1n], values: [1] },
        ],
      }),
    );
    expect(names(m, 0)).toEqual(['a']);
    expect(names(m, 1)).toEqual(['b']);
    expect(names(m, 2)).toEqual(['0xfffffffffffffff0']);
    expect(m.locations.id[2]).toBe(2n ** 64n - 1n);
    expect(sampleValueExact(m, 0, 0)).toBe(2n ** 62n + 1n);
    expect(sampleValue(m, 0, 0)).toBe(2 ** 62);
    expect(m.totals).toEqual([2n ** 63n + 3n]);
  });

  it('skips unknown fields', () => {
    const extra = new ProtoWriter()
      .int(99, 7)
      .bytes(100, new Uint8Array([1, 2, 3]))
      .tag(101, 5)
      .raw(new Uint8Array(4))
      .tag(102, 1)
      .raw(new Uint8Array(8))
      .finish();
    const body = encodeTestProfile(base);
    const m = decodePprof(new Uint8Array([...extra, ...body, ...extra]));
    expect(m.sampleCount).toBe(3);
  });
});

describe('pprof errors', () => {
  const fails = (p: TestProfile | Uint8Array, pattern: RegExp): void => {
    const bytes = p instanceof Uint8Array ? p : encodeTestProfile(p);
    let error: unknown;
    try {
      decodePprof(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).message).toMatch(pattern);
  };

  it('rejects what pprof rejects, saying what and where', () => {
    fails(new Uint8Array(0), /empty/);
    fails({ ...base, samples: [{ locs: [10], values: [1] }] }, /1 values.*2 sample types/);
    fails({ ...base, samples: [{ locs: [99], values: [1, 1] }] }, /location id 99 is not/);
    fails(
      { ...base, functions: [...base.functions, { id: 1, name: 'dup' }] },
      /multiple functions with id 1/,
    );
    fails({ ...base, locations: [{ id: 0, lines: [] }] }, /reserved id 0/);
    fails(
      { ...base, locations: [{ id: 10, lines: [{ func: 42 }] }], samples: [] },
      /function id 42/,
    );
    fails({ ...base, sampleTypes: [] }, /missing sample type/);
    // A string index past the table.
    const w = new ProtoWriter().message(1, (m) => m.int(1, 5)).bytes(6, new Uint8Array(0));
    fails(w.finish(), /string index 5 is outside the string table \(1 strings\) \(at byte 2\)/);
    fails(new ProtoWriter().int(9, 1).finish(), /string table is missing/);
    fails(new ProtoWriter().bytes(6, new Uint8Array([65])).finish(), /string_table\[0\]/);
    const concat = encodeTestProfile(base);
    fails(new Uint8Array([...concat, ...concat]), /concatenated profiles/);
    fails(new Uint8Array([0x0a, 0x05, 0x08]), /length 5 runs past the end.*\(at byte 1\)/);
    fails(new Uint8Array([0x48, 0xff, 0xff]), /truncated varint/);
    fails(new Uint8Array([0x0b]), /unknown wire type 3/);
    fails(new ProtoWriter().int(1, 3).finish(), /sample_type.*wire type 0/);
  });
});

// ---- damaged input: only DecodeError, never another exception, in bounded time ----

/** Offsets where a top-level field of the profile begins (cutting there can leave a valid one). */
function fieldBoundaries(bytes: Uint8Array): Set<number> {
  const out = new Set<number>([0]);
  let pos = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = bytes[pos++] as number;
      v += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) return v;
    }
  };
  while (pos < bytes.length) {
    const tag = varint();
    const wire = tag & 7;
    if (wire === 0) varint();
    else if (wire === 2) {
      const n = varint(); // read before adding: `pos += varint()` would add to the old pos
      pos += n;
    } else pos += wire === 1 ? 8 : 4;
    out.add(pos);
  }
  return out;
}

function outcome(bytes: Uint8Array): 'ok' | 'error' {
  try {
    decodePprof(bytes);
    return 'ok';
  } catch (e) {
    if (e instanceof DecodeError) return 'error';
    throw e;
  }
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const damaged = [
  'pprof/spike-go1.27/heap.pprof',
  'pprof/spike-go1.27/cpu.pprof',
  'pprof/other/cppbench.cpu.pb.gz',
];

describe('pprof damaged input', () => {
  for (const name of damaged) {
    const raw = new Uint8Array(readFileSync(`${CORPUS_DIR}/${name}`));
    const bytes = isGzip(raw) ? gunzip(raw) : raw;

    it(`${basename(name)}: truncation at every offset fails with a DecodeError`, () => {
      const boundaries = fieldBoundaries(bytes);
      const t0 = performance.now();
      let slowest = 0;
      for (let cut = 1; cut < bytes.length; cut++) {
        const t = performance.now();
        const r = outcome(bytes.subarray(0, cut));
        slowest = Math.max(slowest, performance.now() - t);
        // Cut inside a top-level field: the length or varint runs past the end.
        if (!boundaries.has(cut)) expect(r, `cut at ${cut}`).toBe('error');
      }
      expect(slowest).toBeLessThan(500);
      expect(performance.now() - t0).toBeLessThan(60_000);
    });

    it(`${basename(name)}: bit flips give a model or a DecodeError`, () => {
      const random = rng(0x5eed + bytes.length);
      let slowest = 0;
      for (let k = 0; k < 3000; k++) {
        const copy = bytes.slice();
        const flips = 1 + Math.floor(random() * 3);
        for (let j = 0; j < flips; j++) {
          const at = Math.floor(random() * copy.length);
          copy[at] = (copy[at] as number) ^ (1 << Math.floor(random() * 8));
        }
        const t = performance.now();
        outcome(copy);
        slowest = Math.max(slowest, performance.now() - t);
      }
      expect(slowest).toBeLessThan(500);
    });
  }

  it('never allocates from a length field beyond the input', () => {
    // 2000 empty sample types and 2000 empty samples (8 KB) would need 4 million values.
    const w = new ProtoWriter().bytes(6, new Uint8Array(0));
    for (let i = 0; i < 2000; i++) w.message(1, () => {});
    for (let i = 0; i < 2000; i++) w.message(2, () => {});
    expect(() => decodePprof(w.finish())).toThrow(/2000 samples of 2000 values cannot fit/);
    // A huge length prefix.
    expect(() => decodePprof(new Uint8Array([0x32, 0xff, 0xff, 0xff, 0xff, 0x07]))).toThrow(
      /runs past the end/,
    );
  });
});
