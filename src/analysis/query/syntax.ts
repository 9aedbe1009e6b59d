// The query language of the timeline search (issue 17): its keys, its grammar and its parser.
// README "Search" is the user's documentation; this header is the precise one.
//
//   query    := or
//   or       := and ( '|' and )*              loosest: `a b | c` is (a AND b) OR c
//   and      := unary ( unary )*              terms side by side (whitespace) must all hold
//   unary    := '-' term | '(' or ')' | term  `-` negates one term (not a group)
//   term     := key op value
//   op       := ':' | '=' | '>' | '>=' | '<' | '<='
//   value    := '"' chars '"'                 quoted: \" and \\ are escapes; the text as written
//             | '/' re2 '/' [i]                (after ':') an RE2 pattern, `i` ignores case
//             | bare                           up to whitespace, a `|` or an unmatched `)`; (…), […]
//                                              and {…} inside it are kept, so
//                                              fn:sync.(*Mutex).Lock needs no quotes
//
// Keys, and how their values match (`*` as a value means "has any": region:* is every region):
//   state:   running | runnable | waiting | syscall, or a comma list; exact, any case.
//   reason:  a family of reasons (sync, channel, select, network, sleep, syscall, gc, system,
//            other: analysis/reasons.ts) or, when not a family name, text in Go's reason string.
//   fn:      a function in the interval's stack.
//   wakes:N, wokenby:N   goroutine ids (comma lists): see evaluate.ts for the intervals they give.
//   region:, task:       a region's or task's name.
//   log:     a log's category or message.
//   dlv:     a dlv call's function (or `[name]` tracepoint).   arg:, ret:  one of its arguments /
//            return values as Delve printed them (each value on its own: `arg=42` is an argument 42).
//   g:N      goroutine ids (comma list), exact.
//   dur      a comparison with a Go duration: dur>5ms, dur<=1.5µs, dur=0.
//
// Text values: `key:text` is a substring of the name, ignoring case (`region:look` finds
// "lookup"); `key=text` is the whole name exactly, case and all (`fn=sync.(*Mutex).Lock`);
// `key:/re/` is an RE2 pattern (src/base/pattern.ts: linear time), matched anywhere in the name,
// case-sensitive unless written `/re/i`. Plain text is never a pattern, so function names full of
// `.`, `(*` and `[` can be written as they are.
//
// The parser returns the query in disjunctive normal form (an OR of ANDs of terms, parentheses
// expanded), as plain data that crosses postMessage; evaluation (evaluate.ts) decides per AND
// which kinds of items it returns. Errors name the offending token and its place in the text.

import { compileUserPattern, PatternError } from '../../base/pattern';
import { FAMILY_INDEX, REASON_FAMILIES, type ReasonFamily } from '../reasons';
import { parseDuration } from './duration';

/** What a query can return. The numbers are the `kind` column of QueryResults. */
export const KIND_INTERVAL = 0;
export const KIND_DLV = 1;
export const KIND_LOG = 2;
export const KIND_REGION = 3;
export const KIND_TASK = 4;
export const KIND_NAMES = ['interval', 'dlv call', 'log', 'region', 'task'] as const;
export const KIND_COUNT = 5;

export type QueryKey =
  | 'state'
  | 'reason'
  | 'fn'
  | 'wakes'
  | 'wokenby'
  | 'region'
  | 'task'
  | 'log'
  | 'dlv'
  | 'arg'
  | 'ret'
  | 'g'
  | 'dur';

export type ValueType = 'states' | 'reason' | 'text' | 'goroutines' | 'duration';

export interface KeyInfo {
  key: QueryKey;
  /** The kind of item the key describes (KIND_*), or -1 for keys every kind has (g, dur). */
  kind: number;
  value: ValueType;
  /** One line for completion and the README. */
  summary: string;
  example: string;
}

export const QUERY_KEYS: readonly KeyInfo[] = [
  {
    key: 'state',
    kind: KIND_INTERVAL,
    value: 'states',
    summary: 'goroutine intervals in a state: running, runnable, waiting, syscall',
    example: 'state:waiting',
  },
  {
    key: 'reason',
    kind: KIND_INTERVAL,
    value: 'reason',
    summary: "a wait (or stop) reason: a family such as sync, or text in Go's reason",
    example: 'reason:sync',
  },
  {
    key: 'fn',
    kind: KIND_INTERVAL,
    value: 'text',
    summary: "a function in the interval's stack",
    example: 'fn:main.lookup',
  },
  {
    key: 'wakes',
    kind: KIND_INTERVAL,
    value: 'goroutines',
    summary: 'intervals of other goroutines during which they woke goroutine N',
    example: 'wakes:67',
  },
  {
    key: 'wokenby',
    kind: KIND_INTERVAL,
    value: 'goroutines',
    summary: 'intervals that began when goroutine N woke them',
    example: 'wokenby:67',
  },
  {
    key: 'region',
    kind: KIND_REGION,
    value: 'text',
    summary: 'user regions by name (with interval terms: intervals inside them)',
    example: 'region:lookup',
  },
  {
    key: 'task',
    kind: KIND_TASK,
    value: 'text',
    summary: 'user tasks by name (with other terms: items inside them)',
    example: 'task:handle',
  },
  {
    key: 'log',
    kind: KIND_LOG,
    value: 'text',
    summary: 'user logs by category or message',
    example: 'log:phase',
  },
  {
    key: 'dlv',
    kind: KIND_DLV,
    value: 'text',
    summary: 'dlv calls by function',
    example: 'dlv:main.parse',
  },
  {
    key: 'arg',
    kind: KIND_DLV,
    value: 'text',
    summary: 'dlv calls with an argument',
    example: 'arg=42',
  },
  {
    key: 'ret',
    kind: KIND_DLV,
    value: 'text',
    summary: 'dlv calls with a return value',
    example: 'ret:nil',
  },
  {
    key: 'g',
    kind: -1,
    value: 'goroutines',
    summary: 'items on goroutine N (a comma list: g:1,67)',
    example: 'g:67',
  },
  {
    key: 'dur',
    kind: -1,
    value: 'duration',
    summary: 'items longer or shorter than a duration',
    example: 'dur>5ms',
  },
];

const KEY_INFO: ReadonlyMap<string, KeyInfo> = new Map(QUERY_KEYS.map((k) => [k.key, k]));

export function keyInfo(key: QueryKey): KeyInfo {
  return KEY_INFO.get(key) as KeyInfo;
}

/** Goroutine states a query names, in Go's GoState numbering (model/trace.ts GS_*). */
export const QUERY_STATES: ReadonlyArray<readonly [string, number]> = [
  ['running', 3],
  ['runnable', 2],
  ['waiting', 4],
  ['syscall', 5],
];

export type Comparison = '>' | '>=' | '<' | '<=' | '=';

export type TermValue =
  /** `*`: the item has the property at all. */
  | { type: 'any' }
  | { type: 'states'; states: number[] }
  | { type: 'family'; family: ReasonFamily }
  /** Go goroutine ids. */
  | { type: 'ids'; ids: number[] }
  | { type: 'duration'; op: Comparison; ns: number }
  /** substring: ignoring case; exact: the whole string; regex: RE2 source (validated). */
  | { type: 'text'; mode: 'substring' | 'exact' | 'regex'; text: string; ignoreCase: boolean };

export interface QueryTerm {
  key: QueryKey;
  negated: boolean;
  value: TermValue;
  /** The term's place in the query text (UTF-16 offsets, `to` exclusive), `-` included. */
  from: number;
  to: number;
}

export interface ParsedQuery {
  source: string;
  /** OR of ANDs; empty for an empty query (which matches nothing). */
  alternatives: QueryTerm[][];
}

export interface QuerySyntaxError {
  message: string;
  /** The offending token (UTF-16 offsets into the query, `to` exclusive). */
  from: number;
  to: number;
  token: string;
}

export type ParseResult = { ok: true; query: ParsedQuery } | { ok: false; error: QuerySyntaxError };

/**
 * Alternatives after expanding parentheses (`(a|b) (c|d) (e|f) …` doubles with each group). Each
 * is evaluated on its own, a scan of the trace at worst, so this bounds what one query costs.
 */
export const MAX_ALTERNATIVES = 16;
/** Longest query accepted (a link can carry anything). */
export const MAX_QUERY_LENGTH = 4096;
/** Deepest nesting of parentheses (the parser recurses once per level). */
export const MAX_NESTING = 32;
/**
 * Most terms in a query's text. Each distinct term costs a pass over what it reads (every run
 * for wakes:*, every stack for fn:, every region for region:), once per query (evaluate.ts keeps
 * what a term computed for the other alternatives); 4096 characters could otherwise hold 1,300.
 */
export const MAX_TERMS = 64;

class SyntaxFailure {
  constructor(readonly error: QuerySyntaxError) {}
}

type Node =
  | { type: 'term'; term: QueryTerm }
  | { type: 'and'; items: Node[]; from: number; to: number }
  | { type: 'or'; items: Node[]; from: number; to: number };

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u00a0';

export function parseQuery(source: string): ParseResult {
  try {
    if (source.length > MAX_QUERY_LENGTH) {
      fail(
        `the query is ${source.length} characters long; at most ${MAX_QUERY_LENGTH} are accepted`,
        MAX_QUERY_LENGTH,
        source.length,
        source,
      );
    }
    const p = new Parser(source);
    const node = p.parseTop();
    const alternatives = node === null ? [] : dnf(node, source);
    return { ok: true, query: { source, alternatives } };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, error: e.error };
    throw e;
  }
}

function fail(message: string, from: number, to: number, source: string): never {
  throw new SyntaxFailure({ message, from, to, token: source.slice(from, to) });
}

class Parser {
  private pos = 0;
  private depth = 0;
  private terms = 0;
  constructor(private readonly s: string) {}

  parseTop(): Node | null {
    this.skipSpace();
    if (this.pos >= this.s.length) return null;
    const node = this.parseOr();
    this.skipSpace();
    if (this.pos < this.s.length) {
      // Only an unmatched `)` stops parseOr before the end.
      fail('this ")" closes no "("', this.pos, this.pos + 1, this.s);
    }
    return node;
  }

  private skipSpace(): void {
    while (this.pos < this.s.length && isSpace(this.s[this.pos])) this.pos++;
  }

  private parseOr(): Node {
    const from = this.pos;
    const items = [this.parseAnd()];
    for (;;) {
      this.skipSpace();
      if (this.s[this.pos] !== '|') break;
      const bar = this.pos++;
      this.skipSpace();
      if (this.pos >= this.s.length || this.s[this.pos] === '|' || this.s[this.pos] === ')') {
        fail('"|" needs a term after it', bar, bar + 1, this.s);
      }
      items.push(this.parseAnd());
    }
    return items.length === 1 ? (items[0] as Node) : { type: 'or', items, from, to: this.pos };
  }

  private parseAnd(): Node {
    this.skipSpace();
    const from = this.pos;
    const items: Node[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.s[this.pos];
      if (c === undefined || c === '|' || c === ')') break;
      items.push(this.parseUnary());
    }
    if (items.length === 0) {
      const c = this.s[this.pos];
      if (c === '|') fail('"|" needs a term before it', this.pos, this.pos + 1, this.s);
      if (c === ')') fail('nothing between "(" and ")"', this.pos, this.pos + 1, this.s);
      fail('a term is missing', this.pos, this.pos, this.s);
    }
    return items.length === 1 ? (items[0] as Node) : { type: 'and', items, from, to: this.pos };
  }

  private parseUnary(): Node {
    const s = this.s;
    const start = this.pos;
    if (s[start] === '(') {
      if (++this.depth > MAX_NESTING) {
        fail(`parentheses nest deeper than ${MAX_NESTING} levels`, start, start + 1, s);
      }
      this.pos++;
      this.skipSpace();
      if (s[this.pos] === ')') fail('nothing between "(" and ")"', start, this.pos + 1, s);
      if (this.pos >= s.length) fail('this "(" is never closed', start, start + 1, s);
      const inner = this.parseOr();
      this.skipSpace();
      if (s[this.pos] !== ')') fail('this "(" is never closed', start, start + 1, s);
      this.pos++;
      this.depth--;
      return inner;
    }
    if (s[start] === '-') {
      const next = s[start + 1];
      if (next === '(') {
        fail('"-" negates one term, not a group: negate each term instead', start, start + 2, s);
      }
      if (next === undefined || isSpace(next) || next === '|' || next === ')' || next === '-') {
        fail(
          '"-" must be followed by the term it negates, e.g. -state:running',
          start,
          start + 1,
          s,
        );
      }
      this.pos++;
      const t = this.parseTerm(start, true);
      return { type: 'term', term: t };
    }
    return { type: 'term', term: this.parseTerm(start, false) };
  }

  /** A term at this.pos; `from` includes a leading `-`. */
  private parseTerm(from: number, negated: boolean): QueryTerm {
    const s = this.s;
    if (++this.terms > MAX_TERMS) {
      fail(
        `more than ${MAX_TERMS} terms: simplify the query`,
        from,
        Math.max(from + 1, this.wordEnd(this.pos)),
        s,
      );
    }
    const keyStart = this.pos;
    while (this.pos < s.length && /[A-Za-z_]/.test(s[this.pos] as string)) this.pos++;
    const keyText = s.slice(keyStart, this.pos);
    const opStart = this.pos;
    const op = this.readOp();
    if (op === null || keyText === '') {
      // Not key-op-value: report the whole word.
      const end = this.wordEnd(keyStart);
      const word = s.slice(keyStart, end);
      if (keyText === '' && op !== null) {
        fail(`"${word}" has no key before "${op}"`, keyStart, end, s);
      }
      fail(
        `"${word}" is not a term: write key:value, e.g. fn:${word} or region:${word} (keys: ${keyList()})`,
        keyStart,
        end,
        s,
      );
    }
    const info = KEY_INFO.get(keyText.toLowerCase());
    if (!info) {
      const close = QUERY_KEYS.filter(
        (k) => k.key.startsWith(keyText.toLowerCase()) || keyText.toLowerCase().startsWith(k.key),
      );
      const hint = close.length > 0 ? `did you mean ${close.map((k) => k.key).join(', ')}? ` : '';
      fail(`unknown key "${keyText}": ${hint}keys are ${keyList()}`, keyStart, opStart, s);
    }
    const valueStart = this.pos;
    let raw: RawValue;
    if (op === ':' && s[valueStart] === '/') raw = this.readRegex();
    else raw = this.readValue();
    const to = this.pos;
    if (raw.text === '' && !raw.quoted && !raw.regex) {
      fail(`"${keyText}${op}" needs a value, e.g. ${info.example}`, from, to, s);
    }
    const value = interpretValue(info, op, raw, s, valueStart, to, from);
    return { key: info.key, negated, value, from, to };
  }

  private readOp(): string | null {
    const s = this.s;
    const c = s[this.pos];
    if (c === ':' || c === '=') {
      this.pos++;
      return c;
    }
    if (c === '>' || c === '<') {
      this.pos++;
      if (s[this.pos] === '=') {
        this.pos++;
        return `${c}=`;
      }
      return c;
    }
    return null;
  }

  /** End of a bare word starting at `i` (for messages). */
  private wordEnd(i: number): number {
    const s = this.s;
    let depth = 0;
    while (i < s.length) {
      const c = s[i];
      if (isSpace(c) || (depth === 0 && (c === '|' || c === ')'))) break;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      i++;
    }
    return Math.max(i, this.pos);
  }

  private readValue(): RawValue {
    const s = this.s;
    const start = this.pos;
    if (s[start] === '"') {
      let text = '';
      let i = start + 1;
      for (;;) {
        const c = s[i];
        if (c === undefined) fail('this quote is never closed', start, start + 1, s);
        if (c === '"') break;
        if (c === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\')) {
          text += s[i + 1];
          i += 2;
          continue;
        }
        text += c;
        i++;
      }
      this.pos = i + 1;
      const after = s[this.pos];
      if (after !== undefined && !isSpace(after) && after !== '|' && after !== ')') {
        fail(
          'a quoted value must be followed by a space, "|" or ")"',
          start,
          this.wordEnd(this.pos),
          s,
        );
      }
      return { text, quoted: true, regex: false, flags: '' };
    }
    const end = this.wordEnd(start);
    this.pos = end;
    return { text: s.slice(start, end), quoted: false, regex: false, flags: '' };
  }

  private readRegex(): RawValue {
    const s = this.s;
    const start = this.pos;
    let i = start + 1;
    for (;;) {
      const c = s[i];
      if (c === undefined) fail('this pattern is never closed with "/"', start, s.length, s);
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '/') break;
      i++;
    }
    const body = s.slice(start + 1, i);
    i++;
    const flagStart = i;
    while (i < s.length && /[A-Za-z]/.test(s[i] as string)) i++;
    const flags = s.slice(flagStart, i);
    this.pos = i;
    const after = s[i];
    if (after !== undefined && !isSpace(after) && after !== '|' && after !== ')') {
      fail('a /pattern/ must be followed by a space, "|" or ")"', start, this.wordEnd(i), s);
    }
    if (flags !== '' && flags !== 'i') {
      fail(`unknown pattern flag "${flags}": only /…/i (ignore case)`, flagStart, i, s);
    }
    if (body === '') fail('the pattern is empty', start, i, s);
    return { text: body, quoted: false, regex: true, flags };
  }
}

interface RawValue {
  text: string;
  quoted: boolean;
  regex: boolean;
  flags: string;
}

function keyList(): string {
  return QUERY_KEYS.map((k) => k.key).join(', ');
}

const COMPARISONS = new Set(['>', '>=', '<', '<=']);

function interpretValue(
  info: KeyInfo,
  op: string,
  raw: RawValue,
  s: string,
  from: number,
  to: number,
  termFrom: number,
): TermValue {
  const bad = (message: string): never => fail(message, from, to, s);
  if (info.value === 'duration') {
    let cmp = op;
    let text = raw.text;
    if (cmp === ':') {
      // dur:>5ms is accepted as dur>5ms.
      const m = /^(>=|<=|>|<|=)/.exec(text);
      if (!m)
        fail(`dur compares: write dur>${text || '5ms'} or dur<${text || '5ms'}`, termFrom, to, s);
      cmp = m[1] as string;
      text = text.slice(cmp.length);
    }
    const d = parseDuration(text);
    if ('error' in d) bad(d.error);
    else return { type: 'duration', op: cmp as Comparison, ns: d.ns };
  }
  if (COMPARISONS.has(op)) {
    fail(`only dur compares with < and >: write ${info.key}:value`, termFrom, to, s);
  }
  if (!raw.quoted && !raw.regex && raw.text === '*') return { type: 'any' };
  switch (info.value) {
    case 'states': {
      if (raw.regex) bad(`state takes names, not a pattern: ${stateNames()}`);
      const states: number[] = [];
      for (const name of raw.text.split(',')) {
        const st = QUERY_STATES.find(([n]) => n === name.trim().toLowerCase());
        if (!st) bad(`unknown state "${name}": one of ${stateNames()}`);
        else if (!states.includes(st[1])) states.push(st[1]);
      }
      return { type: 'states', states };
    }
    case 'goroutines': {
      if (raw.regex) bad(`${info.key} takes goroutine ids, not a pattern`);
      const ids: number[] = [];
      for (const part of raw.text.split(',')) {
        const t = part.trim();
        if (!/^\d{1,15}$/.test(t)) {
          bad(`"${part}" is not a goroutine id: ${info.key} takes numbers, e.g. ${info.example}`);
        }
        ids.push(Number(t));
      }
      return { type: 'ids', ids };
    }
    case 'reason':
      if (op === ':' && !raw.regex && !raw.quoted) {
        const f = raw.text.toLowerCase();
        // An own key only: `in` also finds Object.prototype's ("reason:constructor").
        if (Object.hasOwn(FAMILY_INDEX, f)) return { type: 'family', family: f as ReasonFamily };
      }
      return textValue(op, raw, bad);
    case 'text':
      return textValue(op, raw, bad);
  }
  return bad('unreadable value');
}

function textValue(op: string, raw: RawValue, bad: (m: string) => never): TermValue {
  if (raw.regex) {
    const ignoreCase = raw.flags === 'i';
    try {
      compileUserPattern(raw.text, { ignoreCase });
    } catch (e) {
      if (e instanceof PatternError) bad(e.message);
      throw e;
    }
    return { type: 'text', mode: 'regex', text: raw.text, ignoreCase };
  }
  return op === '='
    ? { type: 'text', mode: 'exact', text: raw.text, ignoreCase: false }
    : { type: 'text', mode: 'substring', text: raw.text, ignoreCase: true };
}

function stateNames(): string {
  return QUERY_STATES.map(([n]) => n).join(', ');
}

/** The reason family names a `reason:` value can be (lowercase ids). */
export const FAMILY_NAMES: readonly string[] = REASON_FAMILIES.map((f) => f.id);

function dnf(node: Node, source: string): QueryTerm[][] {
  switch (node.type) {
    case 'term':
      return [[node.term]];
    case 'or': {
      const out: QueryTerm[][] = [];
      for (const item of node.items) out.push(...dnf(item, source));
      if (out.length > MAX_ALTERNATIVES) tooMany(node, source);
      return out;
    }
    case 'and': {
      let acc: QueryTerm[][] = [[]];
      for (const item of node.items) {
        const alts = dnf(item, source);
        if (acc.length * alts.length > MAX_ALTERNATIVES) tooMany(node, source);
        const next: QueryTerm[][] = [];
        for (const a of acc) for (const b of alts) next.push([...a, ...b]);
        acc = next;
      }
      return acc;
    }
  }
}

function tooMany(node: { from: number; to: number }, source: string): never {
  fail(
    `more than ${MAX_ALTERNATIVES} alternatives once the parentheses are expanded: simplify the query`,
    node.from,
    node.to,
    source,
  );
}

/** The query text of a term list (for messages and tests): terms joined by spaces. */
export function termText(source: string, t: QueryTerm): string {
  return source.slice(t.from, t.to);
}
