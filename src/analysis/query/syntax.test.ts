import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration';
import {
  MAX_ALTERNATIVES,
  MAX_NESTING,
  MAX_TERMS,
  MAX_QUERY_LENGTH,
  parseQuery,
  type ParsedQuery,
  type QuerySyntaxError,
} from './syntax';

function ok(text: string): ParsedQuery {
  const r = parseQuery(text);
  if (!r.ok) throw new Error(`unexpected error: ${r.error.message}`);
  return r.query;
}

function err(text: string): QuerySyntaxError {
  const r = parseQuery(text);
  if (r.ok) throw new Error(`expected an error for ${text}`);
  return r.error;
}

/** The alternatives as the text of their terms. */
function shape(text: string): string[][] {
  const q = ok(text);
  return q.alternatives.map((a) => a.map((t) => text.slice(t.from, t.to)));
}

describe('query syntax', () => {
  it('reads the issue example as one AND of three terms', () => {
    const q = ok('state:waiting reason:sync dur>5ms');
    expect(q.alternatives).toHaveLength(1);
    const [state, reason, dur] = q.alternatives[0]!;
    expect(state).toMatchObject({
      key: 'state',
      negated: false,
      value: { type: 'states', states: [4] },
    });
    expect(reason).toMatchObject({ key: 'reason', value: { type: 'family', family: 'sync' } });
    expect(dur).toMatchObject({ key: 'dur', value: { type: 'duration', op: '>', ns: 5e6 } });
    expect([state!.from, state!.to, dur!.from, dur!.to]).toEqual([0, 13, 26, 33]);
  });

  it('binds AND tighter than OR, and expands parentheses', () => {
    expect(shape('g:1 g:2 | g:3')).toEqual([['g:1', 'g:2'], ['g:3']]);
    expect(shape('state:waiting (reason:sync | reason:chan) dur>1ms')).toEqual([
      ['state:waiting', 'reason:sync', 'dur>1ms'],
      ['state:waiting', 'reason:chan', 'dur>1ms'],
    ]);
    expect(shape('(g:1 | g:2) (g:3 | g:4)')).toEqual([
      ['g:1', 'g:3'],
      ['g:1', 'g:4'],
      ['g:2', 'g:3'],
      ['g:2', 'g:4'],
    ]);
    expect(shape('((g:1))')).toEqual([['g:1']]);
    expect(shape('g:1|g:2')).toEqual([['g:1'], ['g:2']]);
  });

  it('negates one term with -', () => {
    const q = ok('state:waiting -region:lookup');
    expect(q.alternatives[0]![1]).toMatchObject({ key: 'region', negated: true, from: 14, to: 28 });
  });

  it('reads text values three ways: substring, exact, RE2 pattern', () => {
    expect(ok('region:look').alternatives[0]![0]!.value).toEqual({
      type: 'text',
      mode: 'substring',
      text: 'look',
      ignoreCase: true,
    });
    expect(ok('fn=sync.(*Mutex).Lock').alternatives[0]![0]!.value).toEqual({
      type: 'text',
      mode: 'exact',
      text: 'sync.(*Mutex).Lock',
      ignoreCase: false,
    });
    expect(ok('fn:/^main\\.(a|b) x$/i').alternatives[0]![0]!.value).toEqual({
      type: 'text',
      mode: 'regex',
      text: '^main\\.(a|b) x$',
      ignoreCase: true,
    });
    // A slash inside the pattern, escaped.
    expect(ok('log:/a\\/b/').alternatives[0]![0]!.value).toMatchObject({ text: 'a\\/b' });
  });

  it('keeps brackets inside a bare value, but an unmatched ) closes the group', () => {
    expect(shape('(fn:sync.(*Mutex).Lock | fn:pkg.F[go.shape.int])')).toEqual([
      ['fn:sync.(*Mutex).Lock'],
      ['fn:pkg.F[go.shape.int]'],
    ]);
  });

  it('reads quoted values with escapes', () => {
    const text = 'log:"phase \\"one\\" \\\\ two" reason="chan receive"';
    const q = ok(text);
    expect(q.alternatives[0]![0]!.value).toMatchObject({ text: 'phase "one" \\ two' });
    expect(q.alternatives[0]![1]!.value).toMatchObject({ mode: 'exact', text: 'chan receive' });
  });

  it('tells reason families from reason text', () => {
    expect(ok('reason:sync').alternatives[0]![0]!.value).toEqual({
      type: 'family',
      family: 'sync',
    });
    expect(ok('reason:GC').alternatives[0]![0]!.value).toEqual({ type: 'family', family: 'gc' });
    expect(ok('reason:chan').alternatives[0]![0]!.value).toMatchObject({
      type: 'text',
      text: 'chan',
    });
    // Quoted: the text, not the family.
    expect(ok('reason:"sync"').alternatives[0]![0]!.value).toMatchObject({
      type: 'text',
      text: 'sync',
    });
    // Names an object has by inheritance are text too, not families.
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(ok(`reason:${name}`).alternatives[0]![0]!.value).toMatchObject({
        type: 'text',
        text: name,
      });
    }
  });

  it('reads states, goroutine lists and *', () => {
    expect(ok('state:Running,syscall').alternatives[0]![0]!.value).toEqual({
      type: 'states',
      states: [3, 5],
    });
    expect(ok('g:1,67').alternatives[0]![0]!.value).toEqual({ type: 'ids', ids: [1, 67] });
    expect(ok('wakes:67').alternatives[0]![0]).toMatchObject({
      key: 'wakes',
      value: { ids: [67] },
    });
    expect(ok('region:*').alternatives[0]![0]!.value).toEqual({ type: 'any' });
    expect(ok('region:"*"').alternatives[0]![0]!.value).toMatchObject({ type: 'text', text: '*' });
  });

  it('reads durations as Go does, with every comparison', () => {
    expect(ok('dur>=1.5s').alternatives[0]![0]!.value).toEqual({
      type: 'duration',
      op: '>=',
      ns: 1.5e9,
    });
    expect(ok('dur<250µs').alternatives[0]![0]!.value).toMatchObject({ op: '<', ns: 250e3 });
    expect(ok('dur<=2us').alternatives[0]![0]!.value).toMatchObject({ op: '<=', ns: 2e3 });
    expect(ok('dur=0').alternatives[0]![0]!.value).toMatchObject({ op: '=', ns: 0 });
    expect(ok('dur:>5ms').alternatives[0]![0]!.value).toMatchObject({ op: '>', ns: 5e6 });
    expect(parseDuration('1h2m3.5s')).toEqual({ ns: 3723.5e9 });
    expect(parseDuration('1.5ns')).toEqual({ ns: 1 }); // Go truncates the fraction
    expect(parseDuration('3\u03bcs')).toEqual({ ns: 3000 });
    expect(parseDuration('.5ms')).toEqual({ ns: 5e5 });
    // What Go 1.26's time.ParseDuration returns for these (a Go program printing int64(d)):
    // fractions whose decimal value has no exact float64 (0.00013 * 1e9 is 129999.99999999999)
    // still give whole ns as Go computes them, and Go's overflow bound holds.
    const go: Array<[string, number]> = [
      ['0.00013s', 130000],
      ['0.00007h', 252000000],
      ['0.3s', 300000000],
      ['1.15s', 1150000000],
      ['2.3m', 138000000000],
      ['0.1h', 360000000000],
      ['1.0000001ms', 1000000],
      ['5.s', 5000000000],
      ['0.123456789123456789123s', 123456789],
      ['2562047h', Number(9223369200000000000n)],
      ['9223372036.854775807s', Number(9223372036854775807n)], // 2^63 - 1 ns, as a float64
    ];
    for (const [text, ns] of go) expect(parseDuration(text), text).toEqual({ ns });
    for (const text of ['2562048h', '9223372036854775808ns']) {
      expect(parseDuration(text), text).toEqual({ error: `"${text}" is too long a duration` });
    }
  });

  it('an empty query has no alternatives', () => {
    expect(ok('').alternatives).toEqual([]);
    expect(ok('   ').alternatives).toEqual([]);
  });
});

describe('query syntax errors name the token and its place', () => {
  const cases: Array<[string, string, string]> = [
    // [query, offending token, a phrase of the message]
    ['foo:bar', 'foo', 'unknown key "foo"'],
    ['stat:waiting', 'stat', 'did you mean state'],
    ['lookup', 'lookup', 'is not a term'],
    ['state:waiting lookup', 'lookup', 'write key:value'],
    ['state:wait', 'wait', 'unknown state "wait"'],
    ['region:', 'region:', 'needs a value'],
    ['log:"phase', '"', 'never closed'],
    ['(g:1 | g:2', '(', 'never closed'],
    ['g:1)', ')', 'closes no "("'],
    ['| g:1', '|', 'needs a term before it'],
    ['g:1 |', '|', 'needs a term after it'],
    ['g:1 | | g:2', '|', 'needs a term after it'],
    ['()', '()', 'nothing between'],
    ['-(g:1 | g:2)', '-(', 'not a group'],
    ['- g:1', '-', 'must be followed'],
    ['fn:/(/', '/(/', 'invalid pattern'],
    ['fn:/abc', '/abc', 'never closed with "/"'],
    ['fn:/a/x', 'x', 'unknown pattern flag'],
    ['g:abc', 'abc', 'is not a goroutine id'],
    ['g>5', 'g>5', 'only dur compares'],
    ['dur>5', '5', 'needs a unit'],
    ['dur>5xs', '5xs', 'unknown unit "xs"'],
    ['dur:5ms', 'dur:5ms', 'dur compares'],
    ['dur>-1ms', '-1ms', 'no sign'],
    [':x', ':x', 'no key'],
    ['log:"a"b', '"a"b', 'followed by a space'],
  ];
  for (const [text, token, phrase] of cases) {
    it(`${text} -> ${token}`, () => {
      const e = err(text);
      expect(e.token).toBe(token);
      expect(text.slice(e.from, e.to)).toBe(token);
      expect(e.message).toContain(phrase);
    });
  }

  it('places an error after other terms', () => {
    const e = err('state:waiting reason:sync dur>5qs');
    expect([e.from, e.to, e.token]).toEqual([30, 33, '5qs']);
  });

  it('bounds what a hostile query costs: length and nesting', () => {
    const deep = `${'('.repeat(4000)}g:1${')'.repeat(4000)}`;
    expect(err(deep.slice(0, MAX_QUERY_LENGTH + 1)).message).toContain('characters long');
    const nested = `${'('.repeat(2000)}g:1${')'.repeat(2000)}`;
    const e = err(nested);
    expect(e.message).toContain(`deeper than ${MAX_NESTING}`);
    expect(e.from).toBe(MAX_NESTING);
    expect(ok(`${'('.repeat(MAX_NESTING)}g:1${')'.repeat(MAX_NESTING)}`).alternatives).toHaveLength(
      1,
    );
  });

  it('refuses more terms than it evaluates', () => {
    const terms = Array.from({ length: MAX_TERMS + 1 }, (_, i) => `g:${i}`);
    const e = err(terms.join(' '));
    expect(e.message).toContain(`more than ${MAX_TERMS} terms`);
    expect(e.token).toBe(`g:${MAX_TERMS}`);
    expect(ok(terms.slice(0, MAX_TERMS).join(' ')).alternatives[0]).toHaveLength(MAX_TERMS);
  });

  it('refuses more alternatives than it expands', () => {
    const groups = Array.from({ length: 5 }, (_, i) => `(g:${2 * i} | g:${2 * i + 1})`).join(' ');
    expect(2 ** 5).toBeGreaterThan(MAX_ALTERNATIVES);
    expect(err(groups).message).toContain(`more than ${MAX_ALTERNATIVES} alternatives`);
    expect(parseQuery(groups.split(' (').slice(0, 4).join(' (')).ok).toBe(true);
  });
});
