import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../index';
import { summarizeOutcome } from '../../model/summary';
import { compareSummary, corpusFiles, expectedSummary } from '../../testing/summaryCompare';
import { decodeDlv } from './decode';
import type { DlvModel } from '../../model/dlv';

const corpus = corpusFiles('dlv', 'combined').filter((p) => p.endsWith('.log'));

describe('dlv corpus summaries (SUMMARY.md)', () => {
  it('finds the corpus', () => expect(corpus.length).toBeGreaterThanOrEqual(5));
  for (const path of corpus) {
    it(basename(path), () => {
      const outcome = decodeFile(basename(path), new Uint8Array(readFileSync(path)));
      expect(compareSummary(expectedSummary(path), summarizeOutcome(outcome))).toEqual([]);
    });
  }
});

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
function spans(m: DlvModel): Array<Record<string, unknown>> {
  const out = [];
  for (let i = 0; i < m.spanCount; i++) {
    const s = m.spans;
    out.push({
      g: s.goroutine[i],
      func: m.strings[s.func[i] as number],
      args: m.strings[s.args[i] as number],
      ret: (s.returns[i] as number) >= 0 ? m.strings[s.returns[i] as number] : null,
      depth: s.depth[i],
      start: s.startNs[i],
      end: s.endNs[i],
      startSeq: s.startSeq[i],
      endSeq: s.endSeq[i],
    });
  }
  return out;
}

describe('dlv grammar', () => {
  it('nests calls per goroutine and closes them by function', () => {
    const m = decodeDlv(
      text(
        [
          '2026-01-01T00:00:00Z > goroutine(1): main.(*T).Run(t: *main.T {a: 1}, fn: main.main.func1)',
          '2026-01-01T00:00:00.5Z > goroutine(2): pkg.Map[go.shape.int](1)',
          '2026-01-01T00:00:01Z > goroutine(1): main.inner("a)b", 2)',
          '2026-01-01T00:00:02Z >> goroutine(1): main.inner => ("ok")',
          '2026-01-01T00:00:02Z >> goroutine(1): main.inner => ("ok")',
          '2026-01-01T01:00:03+01:00 >> goroutine(1): main.(*T).Run => ()',
        ].join('\r\n'),
      ),
    );
    expect(spans(m)).toEqual([
      {
        g: 1,
        func: 'main.(*T).Run',
        args: 't: *main.T {a: 1}, fn: main.main.func1',
        ret: '',
        depth: 0,
        start: 0,
        end: 3e9,
        startSeq: 0,
        endSeq: 5,
      },
      {
        g: 2,
        func: 'pkg.Map[go.shape.int]',
        args: '1',
        ret: null,
        depth: 0,
        start: 5e8,
        end: NaN,
        startSeq: 1,
        endSeq: -1,
      },
      {
        g: 1,
        func: 'main.inner',
        args: '"a)b", 2',
        ret: '"ok"',
        depth: 1,
        start: 1e9,
        end: 2e9,
        startSeq: 2,
        endSeq: 3,
      },
    ]);
    expect(m.lineCount).toBe(6);
    expect(m.lines.span[4]).toBe(-1); // the duplicate return closed nothing
    expect(m.wallBaseNs).toBe(1767225600000000000n);
  });

  it('reads -v 3 multi-line arguments and return values, and --stack blocks with ANSI', () => {
    const m = decodeDlv(
      text(
        [
          '> goroutine(7): main.lookup(',
          '  ctx: context.Context(*context.valueCtx) 0xbeef',
          '  k: 0)',
          '',
          '\tStack:',
          '\t\t0  0x00000000008a1216 in \x1b[1mmain.lookup\x1b[0m',
          '\t\t     at /src/\x1b[1mmain.go:40\x1b[0m',
          'program output in between',
          '>> goroutine(7): main.lookup => (',
          '  []uint8 len: 2, cap: 2, [1,2]',
          ')',
        ].join('\n'),
      ),
    );
    const [s] = spans(m);
    expect(s).toMatchObject({
      func: 'main.lookup',
      args: 'ctx: context.Context(*context.valueCtx) 0xbeef\nk: 0',
      ret: '[]uint8 len: 2, cap: 2, [1,2]',
    });
    expect(m.strings[m.spans.stack[0] as number]).toBe(
      '0  0x00000000008a1216 in main.lookup\nat /src/main.go:40',
    );
    expect(m.otherLines).toBe(1);
    expect(m.firstTimestamp).toBeNull();
  });

  it('reads --follow-calls frames, tracepoint names, glued lines and eBPF output', () => {
    const m = decodeDlv(
      text(
        [
          '2026-01-01T00:00:00Z 2026-01-01T00:00:01Z > goroutine(1):frame(1) main.a()',
          '2026-01-01T00:00:02Z  > goroutine(1):frame(2) [bp1] main.b(3)',
          'output without newline2026-01-01T00:00:03Z  >> goroutine(1):frame(2) main.b => (4)',
          '2026-01-01T00:00:04Z >> goroutine(1):frame(1) main.a => ()> goroutine(5): main.c()',
          '> (9) main.e(1, "x")',
          '=> "0x1"',
        ].join('\n'),
      ),
    );
    expect(spans(m).map((s) => [s.func, s.depth, s.start, s.end])).toEqual([
      ['main.a', 0, 0, 3e9],
      ['main.b', 1, 1e9, 2e9],
      ['main.c', 0, NaN, NaN],
      ['main.e', 0, NaN, NaN],
    ]);
    expect(Array.from(m.spans.frame)).toEqual([1, 2, -1, -1]);
    expect(m.strings[m.spans.tracepoint[1] as number]).toBe('bp1');
    expect(m.firstTimestamp).toBe('2026-01-01T00:00:01Z');
    expect(m.spans.ebpf[3]).toBe(1);
    expect(m.spans.endSeq[3]).toBe(6);
  });

  it('closes the innermost open call of a goroutine for returns without a function (older Delve)', () => {
    const m = decodeDlv(
      text('> goroutine(3): main.f(1)\n> goroutine(3): main.g(2)\n>> goroutine(3): => (5)\n'),
    );
    expect(spans(m).map((s) => s.endSeq)).toEqual([-1, 2]);
  });

  it('bounds arguments that never close', () => {
    const long = Array.from({ length: 20_000 }, (_, i) => `  a${i}: (`).join('\n');
    const m = decodeDlv(text(`> goroutine(1): main.f(\n${long}\n> goroutine(1): main.g()\n`));
    expect(m.spanCount).toBe(2);
    expect(m.unterminated).toBe(1);
    expect((m.strings[m.spans.args[0] as number] ?? '').length).toBeLessThan(20_000);
  });
});
