// Completion for the query box: given the text and the caret, what can come next. Keys while a
// key is being typed; values from the loaded models once `key:` is there (state names with their
// counts, the reasons and families present, region, task and log names, function names by
// prefix then substring, goroutine ids by prefix, duration units). Pure and bounded: at most
// `limit` items, and at most MAX_SCANNED names read per call, whatever the model holds.

import { lowerBound } from '../../base/search';
import type { TraceModel } from '../../model/trace';
import { REASON_FAMILIES, reasonFamily } from '../reasons';
import { compareStrings, type DlvQueryIndex, type NameCounts, type QueryIndex } from './queryIndex';
import { FAMILY_NAMES, QUERY_KEYS, QUERY_STATES, type QueryKey } from './syntax';

export interface CompletionItem {
  /** What the list shows. */
  label: string;
  /** What replaces the text [from, to) of the Completion. */
  insert: string;
  /** A short note: a count, a summary, a goroutine's function. */
  detail: string;
}

export interface Completion {
  from: number;
  to: number;
  /** 'key', 'value' or 'none' (inside a quoted value or a /pattern/, or a key without values). */
  context: 'key' | 'value' | 'none';
  key: QueryKey | null;
  items: CompletionItem[];
  /** True when the name scan stopped at MAX_SCANNED names (more matches may exist). */
  truncated: boolean;
}

export interface CompletionSources {
  trace?: { model: TraceModel; index: QueryIndex } | null;
  dlv?: ReadonlyArray<{ index: DlvQueryIndex }>;
}

/** Names read per completion at most (function names, region names, ...). */
export const MAX_SCANNED = 200_000;
const DEFAULT_LIMIT = 20;

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u00a0';

/**
 * Where the token under the caret begins, or -1 when the caret is between tokens; and whether the
 * caret is inside a quoted value or a /pattern/.
 */
function tokenAt(text: string, caret: number): { start: number; quote: boolean; regex: boolean } {
  let start = -1;
  let depth = 0;
  let opSeen = false;
  let valueStart = -1;
  let quote = false;
  let regex = false;
  for (let i = 0; i < caret; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
      continue;
    }
    if (regex) {
      if (c === '\\') i++;
      else if (c === '/') regex = false;
      continue;
    }
    if (start < 0) {
      if (isSpace(c) || c === '|' || c === '(' || c === ')') continue;
      start = i;
      depth = 0;
      opSeen = false;
      valueStart = -1;
    }
    if (isSpace(c) || (depth === 0 && (c === '|' || c === ')'))) {
      start = -1;
      continue;
    }
    if (!opSeen && (c === ':' || c === '=' || c === '<' || c === '>')) {
      opSeen = true;
      // A second character of the operator (>=) belongs to it.
      valueStart = text[i + 1] === '=' && (c === '<' || c === '>') ? i + 2 : i + 1;
      continue;
    }
    if (opSeen && i === valueStart && c === '"') quote = true;
    else if (opSeen && i === valueStart && c === '/' && text[valueStart - 1] === ':') regex = true;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return { start, quote, regex };
}

/** The end of the token that continues after the caret (inside quotes: after the closing one). */
function tokenEnd(text: string, from: number, quote: boolean): number {
  let i = from;
  if (quote) {
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    return Math.min(text.length, i + 1);
  }
  let depth = 0;
  while (i < text.length) {
    const c = text[i];
    if (isSpace(c) || (depth === 0 && (c === '|' || c === ')'))) break;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    i++;
  }
  return i;
}

export function completeQuery(
  text: string,
  caret: number,
  sources: CompletionSources,
  options: { limit?: number } = {},
): Completion {
  const limit = Math.max(1, options.limit ?? DEFAULT_LIMIT);
  caret = Math.max(0, Math.min(caret, text.length));
  const at = tokenAt(text, caret);
  const start = at.start;
  const none = (from: number, to: number): Completion => ({
    from,
    to,
    context: 'none',
    key: null,
    items: [],
    truncated: false,
  });
  if (at.regex) return none(caret, caret);
  if (start === -1) return keyCompletion('', caret, caret, limit);
  const token = text.slice(start, caret);
  const m = /^(-?)([A-Za-z_]*)(>=|<=|:|=|>|<)?([\s\S]*)$/.exec(token);
  if (!m) return none(caret, caret);
  const neg = m[1] as string;
  const keyText = m[2] as string;
  const op = m[3];
  const keyFrom = start + neg.length;
  if (op === undefined) {
    // Typing a key: replace it whole (letters after the caret too).
    let to = caret;
    while (to < text.length && /[A-Za-z_]/.test(text[to] as string)) to++;
    const hasOp = /^(>=|<=|:|=|>|<)/.test(text.slice(to));
    return keyCompletion(keyText, keyFrom, to, limit, hasOp);
  }
  const key = QUERY_KEYS.find((k) => k.key === keyText.toLowerCase())?.key ?? null;
  const valueFrom = keyFrom + keyText.length + op.length;
  const to = tokenEnd(text, caret, at.quote);
  if (key === null) return none(valueFrom, to);
  // The part of the value being typed: after the last comma for id and state lists.
  let prefix = m[4] as string;
  let from = valueFrom;
  if (key === 'g' || key === 'wakes' || key === 'wokenby' || key === 'state') {
    const comma = prefix.lastIndexOf(',');
    if (comma >= 0) {
      from = valueFrom + comma + 1;
      prefix = prefix.slice(comma + 1);
    }
  }
  const out = valueCompletion(key, op, prefix, sources, limit);
  return { from, to, context: 'value', key, items: out.items, truncated: out.truncated };
}

function keyCompletion(
  prefix: string,
  from: number,
  to: number,
  limit: number,
  hasOp = false,
): Completion {
  const p = prefix.toLowerCase();
  const items = QUERY_KEYS.filter((k) => k.key.startsWith(p))
    .slice(0, limit)
    .map((k) => ({
      label: k.key,
      insert: hasOp ? k.key : k.key === 'dur' ? 'dur>' : `${k.key}:`,
      detail: k.summary,
    }));
  return { from, to, context: 'key', key: null, items, truncated: false };
}

/** A value as the query must spell it to read back as the same text. */
export function quoteValue(v: string): string {
  let depth = 0;
  let plain = v !== '' && v !== '*' && v[0] !== '/' && v[0] !== '"';
  for (const c of v) {
    if (!plain) break;
    if (isSpace(c) || c === '"') plain = false;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth < 0) plain = false;
    } else if (c === '|' && depth === 0) plain = false;
  }
  if (plain && depth === 0) return v;
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

interface Found {
  items: CompletionItem[];
  truncated: boolean;
}

function count(n: number, what: string): string {
  return `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
}

function valueCompletion(
  key: QueryKey,
  op: string,
  typed: string,
  sources: CompletionSources,
  limit: number,
): Found {
  const trace = sources.trace ?? null;
  const x = trace?.index ?? null;
  const prefix = typed.startsWith('"') ? typed.slice(1) : typed;
  if (typed.startsWith('/')) return { items: [], truncated: false };
  const lower = prefix.toLowerCase();
  switch (key) {
    case 'state': {
      const items = QUERY_STATES.filter(([n]) => n.startsWith(lower)).map(([n, s]) => ({
        label: n,
        insert: n,
        detail: x ? count(x.stateRuns[s] as number, 'interval') : '',
      }));
      return { items: items.slice(0, limit), truncated: false };
    }
    case 'reason':
      return reasons(trace, op, lower, limit);
    case 'fn':
      return trace && x ? functions(trace.model.strings, x.funcs, prefix, limit) : empty();
    case 'region':
      return x ? names([x.regionNames], prefix, limit, 'region') : empty();
    case 'task':
      return x ? names([x.taskNames], prefix, limit, 'task') : empty();
    case 'log':
      return x ? names([x.logCategories, x.logMessages], prefix, limit, 'log') : empty();
    case 'dlv':
      return names(
        (sources.dlv ?? []).map((d) => d.index.funcs),
        prefix,
        limit,
        'call',
      );
    case 'g':
    case 'wakes':
    case 'wokenby':
      return trace && x ? goroutineIds(trace.model, x, prefix, limit) : empty();
    case 'dur':
      return durations(prefix, limit);
    case 'arg':
    case 'ret':
      return empty();
  }
}

function empty(): Found {
  return { items: [], truncated: false };
}

function reasons(
  trace: CompletionSources['trace'],
  op: string,
  lower: string,
  limit: number,
): Found {
  const items: CompletionItem[] = [];
  const x = trace?.index ?? null;
  const table = trace?.model.reasons ?? [];
  if (op === ':') {
    // Families first, with the runs of the trace in each.
    const perFamily = new Map<string, number>();
    table.forEach((r, i) => {
      const f = reasonFamily(r);
      perFamily.set(f, (perFamily.get(f) ?? 0) + ((x?.reasonRuns[i] as number) ?? 0));
    });
    for (const f of REASON_FAMILIES) {
      if (!f.id.startsWith(lower)) continue;
      const n = perFamily.get(f.id) ?? 0;
      if (x && n === 0) continue;
      items.push({
        label: f.id,
        insert: f.id,
        detail: `${f.description}${x ? `: ${count(n, 'interval')}` : ''}`,
      });
    }
  }
  // Go's reasons present, most used first.
  const present = table
    .map((r, i) => [r, (x?.reasonRuns[i] as number) ?? 0] as const)
    .filter(([r, n]) => r !== '' && n > 0 && r.toLowerCase().includes(lower))
    .sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]));
  for (const [r, n] of present) {
    // A reason spelled like a family is a family after ':'; quoted it is the text.
    const insert = op === ':' && FAMILY_NAMES.includes(r.toLowerCase()) ? `"${r}"` : quoteValue(r);
    items.push({ label: r, insert, detail: `Go's reason: ${count(n, 'interval')}` });
  }
  return { items: items.slice(0, limit), truncated: false };
}

/** Function names: those starting with the prefix (binary search), then containing it. */
function functions(
  strings: readonly string[],
  funcs: Int32Array,
  prefix: string,
  limit: number,
): Found {
  const items: CompletionItem[] = [];
  const seen = new Set<number>();
  const name = (k: number) => strings[funcs[k] as number] ?? '';
  // Sorted by name: the names with this exact prefix are one contiguous block.
  let lo = 0;
  let hi = funcs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareStrings(name(mid), prefix) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < funcs.length && items.length < limit; k++) {
    const n = name(k);
    if (!n.startsWith(prefix)) break;
    seen.add(k);
    items.push({ label: n, insert: quoteValue(n), detail: 'function' });
  }
  let truncated = false;
  if (items.length < limit && prefix !== '') {
    const lower = prefix.toLowerCase();
    const scan = Math.min(funcs.length, MAX_SCANNED);
    truncated = scan < funcs.length;
    for (let k = 0; k < scan && items.length < limit; k++) {
      if (seen.has(k)) continue;
      const n = name(k);
      if (n.toLowerCase().includes(lower)) {
        items.push({ label: n, insert: quoteValue(n), detail: 'function' });
      }
    }
  }
  return { items, truncated };
}

/** Names from several lists (merged, counts added): prefix matches first, then substrings. */
function names(lists: readonly NameCounts[], prefix: string, limit: number, what: string): Found {
  const lower = prefix.toLowerCase();
  const first: Array<[string, number]> = [];
  const then: Array<[string, number]> = [];
  const index = new Map<string, [string, number]>();
  let scanned = 0;
  let truncated = false;
  outer: for (const list of lists) {
    for (let k = 0; k < list.names.length; k++) {
      if (++scanned > MAX_SCANNED) {
        truncated = true;
        break outer;
      }
      const n = list.names[k] as string;
      const l = n.toLowerCase();
      if (!l.includes(lower)) continue;
      const c = list.counts[k] as number;
      const had = index.get(n);
      if (had) {
        had[1] += c;
        continue;
      }
      const row: [string, number] = [n, c];
      index.set(n, row);
      (l.startsWith(lower) ? first : then).push(row);
    }
  }
  const byCount = (a: [string, number], b: [string, number]) =>
    b[1] - a[1] || compareStrings(a[0], b[0]);
  const rows = [...first.sort(byCount), ...then.sort(byCount)].slice(0, limit);
  return {
    items: rows.map(([n, c]) => ({ label: n, insert: quoteValue(n), detail: count(c, what) })),
    truncated,
  };
}

/** Goroutine ids starting with the typed digits, ascending: p, p0-p9, p00-p99, ... */
function goroutineIds(m: TraceModel, x: QueryIndex, prefix: string, limit: number): Found {
  const items: CompletionItem[] = [];
  if (!/^\d*$/.test(prefix) || prefix.length > 15) return { items, truncated: false };
  const ids = x.idSorted;
  const push = (k: number) => {
    const g = x.idIndex[k] as number;
    const f = m.goroutines.startFunc[g] as number;
    const id = String(ids[k]);
    items.push({ label: id, insert: id, detail: f >= 0 ? (m.strings[f] ?? '') : '' });
  };
  if (prefix === '') {
    for (let k = 0; k < ids.length && items.length < limit; k++)
      if ((ids[k] as number) >= 0) push(k);
    return { items, truncated: false };
  }
  const p = Number(prefix);
  const max = ids.length > 0 ? (ids[ids.length - 1] as number) : -1;
  for (let scale = 1; p * scale <= max && items.length < limit; scale *= 10) {
    if (p === 0 && scale > 1) break; // "0" is no prefix of other ids
    const lo = p * scale;
    const hi = (p + 1) * scale;
    for (let k = lowerBound(ids, lo); k < ids.length && (ids[k] as number) < hi; k++) {
      if (items.length >= limit) break;
      push(k);
    }
  }
  return { items, truncated: false };
}

function durations(prefix: string, limit: number): Found {
  const m = /^(>=|<=|>|<|=)?(\d*\.?\d*)$/.exec(prefix);
  if (!m) return empty();
  const cmp = m[1] ?? '';
  const num = m[2] as string;
  const values =
    num === ''
      ? ['1ms', '5ms', '100ms', '1s', '100µs']
      : ['ns', 'µs', 'ms', 's'].map((u) => num + u);
  return {
    items: values
      .slice(0, limit)
      .map((v) => ({ label: cmp + v, insert: cmp + v, detail: 'duration' })),
    truncated: false,
  };
}
