// The query language on real traces of the spike program (testdata/programs/spike), with counts
// taken from Go's own reading of the same files, never from ours.
//
// Go's counts: Go 1.27's `go tool trace -d=parsed` prints every event as Go's reader
// (internal/trace) sees it; scripts/query-reference.awk counts runs, waits, regions, tasks, logs
// and wake-ups in that output by the definitions of the query language (its header says how):
//
//   /opt/go-toolchains/usr/lib/go-1.27/bin/go tool trace -d=parsed testdata/go-trace/spike/go1.26.trace \
//     | awk -f scripts/query-reference.awk -v wokenby=5495 -v wakes=5283 -v g=5283
//
// (the same for go1.22.trace with 5967 / 5348 / 5348 and go1.21.trace with 4828 / 4346 / 4346:
// the goroutine that wrote the "phase" logs, i.e. the cache refresher, and a handler it woke).
// The totals of regions, tasks and logs are the summaries in X.expected.json (Go's readers too).
// The dlv counts are grep over the log itself (commands below).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../../formats/index';
import type { DlvModel } from '../../model/dlv';
import type { TraceModel } from '../../model/trace';
import { corpusPath } from '../../testing/corpus';
import { alignDlv } from '../alignment';
import { runQuery, type QueryOptions } from './evaluate';
import { buildDlvQueryIndex, buildQueryIndex, type QueryIndex } from './queryIndex';

function load(rel: string) {
  const o = decodeFile(rel, new Uint8Array(readFileSync(corpusPath(rel))));
  if (!o.ok) throw o.error;
  return o.file.model;
}

function count(m: TraceModel, x: QueryIndex, text: string, options: QueryOptions = {}): number {
  const o = runQuery(m, x, text, options);
  if (!o.ok) throw new Error(`${text}: ${o.error.message}`);
  return o.results.count;
}

interface Reference {
  file: string;
  /** Query -> Go's count (see the header; sums are of Go's per-reason counts). */
  counts: Record<string, number>;
}

const REFERENCES: Reference[] = [
  {
    file: 'go-trace/spike/go1.26.trace',
    counts: {
      'state:waiting': 76263, // waits
      // "waits>5ms reason=sync" (Go's reason string "sync": Mutex, RWMutex, WaitGroup).
      'state:waiting reason="sync" dur>5ms': 66,
      // The sync family in this trace: "sync" and "sync.(*Cond).Wait" (reasons.ts).
      'state:waiting reason:sync dur>5ms': 66 + 18,
      'state:waiting reason:chan dur>5ms': 16, // "chan receive", the only chan reason here
      'state:waiting fn=main.lookup': 291, // waits fn=main.lookup
      // Waits begun while the goroutine was inside a "lookup" region.
      'state:waiting reason="sync" region=lookup': 291,
      'state:waiting reason="sync" region=lookup dur>5ms': 64,
      'region=lookup': 8663,
      'region=encode': 8663,
      'task=handle': 8663,
      'task=refreshCache': 1,
      'log=phase': 2, // logs category=phase
      'wokenby:5495': 4,
      'wakes:5283': 159,
      'g:5283 state:*': 1462, // runs g=5283
    },
  },
  {
    file: 'go-trace/spike/go1.22.trace',
    counts: {
      'state:waiting': 73847,
      'state:waiting reason="sync" dur>5ms': 59,
      'state:waiting reason:sync dur>5ms': 59 + 49,
      'state:waiting reason:chan dur>5ms': 18,
      'state:waiting fn=main.lookup': 327,
      'state:waiting reason="sync" region=lookup': 327,
      'state:waiting reason="sync" region=lookup dur>5ms': 58,
      'region=lookup': 8126,
      'region=encode': 8126,
      'task=handle': 8126,
      'task=refreshCache': 1,
      'log=phase': 2,
      'wokenby:5967': 1,
      'wakes:5348': 131,
      'g:5348 state:*': 1355,
    },
  },
  {
    // The Go 1.11-1.21 format, read through Go's converter (tracev1.go) on Go's side.
    file: 'go-trace/spike/go1.21.trace',
    counts: {
      'state:waiting': 65827,
      'state:waiting reason="sync" dur>5ms': 98,
      'state:waiting reason:sync dur>5ms': 98 + 13,
      'state:waiting reason:chan dur>5ms': 2,
      'state:waiting fn=main.lookup': 308,
      'state:waiting reason="sync" region=lookup': 308,
      'state:waiting reason="sync" region=lookup dur>5ms': 97,
      'region=lookup': 7274,
      'region=encode': 7274,
      'task=handle': 7274,
      'task=refreshCache': 1,
      'log=phase': 2,
      'wokenby:4828': 8,
      'wakes:4346': 97,
      'g:4346 state:*': 940,
    },
  },
];

describe('queries on the spike traces agree with Go', () => {
  for (const ref of REFERENCES) {
    describe(ref.file, () => {
      const m = load(ref.file) as TraceModel;
      const x = buildQueryIndex(m);
      for (const [text, expected] of Object.entries(ref.counts)) {
        it(`${text} -> ${expected}`, () => {
          expect(count(m, x, text)).toBe(expected);
        });
      }

      it('region:*, task:* and log:* count what the summary counts', () => {
        const summary = JSON.parse(
          readFileSync(corpusPath(`${ref.file}.expected.json`), 'utf8'),
        ) as {
          regions: number;
          tasks: number;
          logs: number;
        };
        expect(count(m, x, 'region:*')).toBe(summary.regions);
        expect(count(m, x, 'task:*')).toBe(summary.tasks);
        expect(count(m, x, 'log:*')).toBe(summary.logs);
      });

      it('an OR of disjoint queries counts their sum; a range keeps fewer', () => {
        const a = count(m, x, 'state:waiting reason="sync" dur>5ms');
        const b = count(m, x, 'region=lookup');
        expect(count(m, x, 'state:waiting reason="sync" dur>5ms | region=lookup')).toBe(a + b);
        const half = count(m, x, 'region=lookup', { range: [0, m.durationNs / 2] });
        expect(half).toBeGreaterThan(0);
        expect(half).toBeLessThan(b);
      });
    });
  }
});

describe('dlv calls of the combined run, on the trace clock', () => {
  const trace = load('combined/go1.27/trace.out') as TraceModel;
  const log = load('combined/go1.27/dlv-trace.log') as DlvModel;
  const x = buildQueryIndex(trace);
  const a = alignDlv(trace, log);
  const dlv = [{ model: log, index: buildDlvQueryIndex(log), offsetNs: a.offsetNs as number }];
  const expected = JSON.parse(
    readFileSync(corpusPath('combined/go1.27/dlv-trace.log.expected.json'), 'utf8'),
  ) as { spans: number; functions: Record<string, number> };

  it('finds every call and every call of a function (the summary counts them)', () => {
    expect(a.method).toBe('clock-snapshot');
    expect(count(trace, x, 'dlv:*', { dlv })).toBe(expected.spans);
    expect(count(trace, x, 'dlv=main.lookup', { dlv })).toBe(expected.functions['main.lookup']);
  });

  it('finds calls by argument', () => {
    // grep -cE '> goroutine\([0-9]+\): main\.compute\(20\)$' testdata/combined/go1.27/dlv-trace.log
    expect(count(trace, x, 'dlv=main.compute arg=20', { dlv })).toBe(81);
    // grep -cE '> goroutine\([0-9]+\): main\.lookup\(.*, 62\)$' testdata/combined/go1.27/dlv-trace.log
    expect(count(trace, x, 'dlv=main.lookup arg=62', { dlv })).toBe(1);
  });

  it('places each lookup call over the lookup region it runs (main.go:41)', () => {
    // lookup begins a "lookup" region first thing: every traced call overlaps one on its goroutine.
    expect(count(trace, x, 'dlv=main.lookup region=lookup', { dlv })).toBe(
      expected.functions['main.lookup'],
    );
    expect(count(trace, x, 'dlv=main.lookup -region:*', { dlv })).toBe(0);
  });
});
