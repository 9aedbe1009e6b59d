// The hand-scanned header finder against the regular expression it replaced (quadratic on runs of
// spaces, issue 21): the same headers on every line of the corpus logs and on crafted lines.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../analysis/stackSetText';
import { corpusFiles } from '../../testing/summaryCompare';
import { TIMESTAMP_SRC, findHeaders, startsWithHeader } from './grammar';

// The replaced pattern, kept here as the reference (only ever run on short or corpus lines).
const REFERENCE = new RegExp(
  `(?:(${TIMESTAMP_SRC}) )?( *)(>>?) goroutine\\((\\d+)\\):(?:frame\\((\\d+)\\))?`,
  'g',
);

function reference(line: string) {
  return [...line.matchAll(REFERENCE)].map((m) => ({
    index: m.index,
    end: m.index + m[0].length,
    ts: m[1],
    indent: (m[2] ?? '').length,
    arrows: m[3],
    goroutine: Number(m[4]),
    frame: m[5] === undefined ? -1 : Number(m[5]),
  }));
}

describe('findHeaders', () => {
  it('finds what the regular expression found on every corpus dlv line', () => {
    const logs = corpusFiles('dlv', 'combined').filter((p) => p.endsWith('.log'));
    expect(logs.length).toBeGreaterThan(3);
    let lines = 0;
    for (const path of logs) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        expect(findHeaders(line)).toEqual(reference(line));
        expect(startsWithHeader(line)).toBe(reference(line)[0]?.index === 0);
        lines++;
      }
    }
    expect(lines).toBeGreaterThan(1000);
  });

  it('agrees on crafted lines made of header pieces', () => {
    const pieces = [
      ' ',
      '  ',
      '>',
      '>>',
      ' goroutine(',
      '12',
      '):',
      'frame(',
      '3)',
      ')',
      'x',
      '2026-01-02T03:04:05Z ',
      '2026-01-02T03:04:05.123456789+01:00 ',
      '2026-01-02t03:04:05.5z',
      '.',
      '9',
      '+01:00',
      'main.f(1)',
      ' => (',
    ];
    const rand = seededRandom(21);
    for (let n = 0; n < 20_000; n++) {
      let line = '';
      const k = 1 + Math.floor(rand() * 12);
      for (let i = 0; i < k; i++) line += pieces[Math.floor(rand() * pieces.length)];
      expect(findHeaders(line), JSON.stringify(line)).toEqual(reference(line));
      expect(startsWithHeader(line), JSON.stringify(line)).toBe(reference(line)[0]?.index === 0);
    }
  });

  it('is linear on a run of spaces (the regular expression was quadratic)', () => {
    const line = `${' '.repeat(4 << 20)}> goroutine(1): main.f()`;
    const t0 = performance.now();
    expect(findHeaders(line)).toEqual([
      {
        index: 0,
        end: line.length - 9,
        ts: undefined,
        indent: 4 << 20,
        arrows: '>',
        goroutine: 1,
        frame: -1,
      },
    ]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
