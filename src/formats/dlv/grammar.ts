// The line grammar of `dlv trace` output, Delve 1.21-1.27 (testdata/SUMMARY.md, and
// Delve's pkg/terminal/command.go printTracepoint and cmd/dlv/cmds/commands.go traceCmd):
//
//   entry   [TS ]{indent}> goroutine(G):[frame(D)] [[name] ]pkg.Func(args)
//   return  [TS ]{indent}>> goroutine(G):[frame(D)] pkg.Func => (values)
//   eBPF    [TS ]> (G) pkg.Func(args)          and   [TS ]=> value
//
// TS is time.RFC3339Nano (`--timestamp`); `frame(D)` and the indentation come from
// `--follow-calls` (`goroutine(G):frame(D)`, no space, and D-1 spaces before `>`); `-v 3`/`-v 4`
// print arguments and return values over several lines, closing with `)` on a later line.
// Older Delve printed returns without the function (`>> goroutine(G): => (values)`).
// A run whose `--follow-calls` root is never hit prints only timestamps, glued on one line.

export const TIMESTAMP_SRC =
  '\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:[Zz]|[+-]\\d{2}:\\d{2})';

/** A trace-line header found in a line (see `findHeaders`). */
export interface Header {
  /** Where the header starts (its timestamp, else its indentation, else its `>`). */
  index: number;
  /** Just after the header (after `:` or `frame(D)`). */
  end: number;
  /** The RFC 3339 timestamp before it, if any. */
  ts: string | undefined;
  /** Spaces between the timestamp (or the line start) and the arrows (`--follow-calls`). */
  indent: number;
  arrows: '>' | '>>';
  goroutine: number;
  /** `frame(D)` of `--follow-calls`, or -1. */
  frame: number;
}

const GOROUTINE_OPEN = ' goroutine(';

/**
 * Every trace-line header in `line`, left to right, not overlapping: optional timestamp and one
 * space, indentation, `>` or `>>`, ` goroutine(G):`, optional `frame(D)`. Several per line when
 * a broken run glued lines together.
 *
 * Hand-scanned rather than a global regular expression: the unanchored
 * `(?:(TS) )?( *)(>>?) goroutine\(` retried its `( *)` from every space of a line, quadratic in
 * the length of a run of spaces (3.5 s on 100k spaces, issue 21). Here each ` goroutine(` is
 * found with indexOf and checked forwards (digits) and, only when it is a header, backwards over
 * the spaces and the timestamp, never past the previous header: every character is looked at a
 * bounded number of times. The result is what the regular expression's leftmost-first matches
 * were (decode.test.ts checks both on the corpus and on crafted lines).
 */
export function findHeaders(line: string): Header[] {
  const out: Header[] = [];
  let lastEnd = 0;
  let from = 0;
  for (;;) {
    const h = headerFrom(line, from, lastEnd);
    if (h === null) return out;
    out.push(h);
    lastEnd = from = h.end;
  }
}

/** The first trace-line header in `text`, or null (for sniffing). */
export function firstHeader(text: string): Header | null {
  return headerFrom(text, 0, 0);
}

/** Whether `line` begins with a trace-line header. */
export function startsWithHeader(line: string): boolean {
  // A header at 0 is `[TS ]{spaces}>`: check that cheaply before looking for ` goroutine(`.
  let i = 0;
  if (isDigit(line.charCodeAt(0))) {
    const ts = timestampAt(line, 0);
    if (ts < 0 || line.charCodeAt(ts) !== 0x20) return false;
    i = ts + 1;
  }
  while (line.charCodeAt(i) === 0x20) i++;
  if (line.charCodeAt(i) !== 0x3e /* > */) return false;
  return headerFrom(line, i, 0)?.index === 0;
}

function headerFrom(line: string, from: number, lastEnd: number): Header | null {
  for (;;) {
    const k = line.indexOf(GOROUTINE_OPEN, from);
    if (k < 0) return null;
    from = k + 1;
    let a = k - 1;
    if (a < lastEnd || line.charCodeAt(a) !== 0x3e /* > */) continue;
    if (a - 1 >= lastEnd && line.charCodeAt(a - 1) === 0x3e) a--;
    let p = k + GOROUTINE_OPEN.length;
    const g0 = p;
    while (isDigit(line.charCodeAt(p))) p++;
    if (p === g0 || line.charCodeAt(p) !== 0x29 /* ) */ || line.charCodeAt(p + 1) !== 0x3a /* : */)
      continue;
    const goroutine = Number(line.slice(g0, p));
    let end = p + 2;
    let frame = -1;
    if (line.startsWith('frame(', end)) {
      let q = end + 6;
      const f0 = q;
      while (isDigit(line.charCodeAt(q))) q++;
      if (q > f0 && line.charCodeAt(q) === 0x29) {
        frame = Number(line.slice(f0, q));
        end = q + 1;
      }
    }
    let s = a;
    while (s > lastEnd && line.charCodeAt(s - 1) === 0x20) s--;
    // `TS ` before the spaces: the timestamp ends right before the first of them.
    const tsStart = s < a ? timestampEndingAt(line, s, lastEnd) : -1;
    return tsStart >= 0
      ? {
          index: tsStart,
          end,
          ts: line.slice(tsStart, s),
          indent: a - s - 1,
          arrows: a === k - 2 ? '>>' : '>',
          goroutine,
          frame,
        }
      : {
          index: s,
          end,
          ts: undefined,
          indent: a - s,
          arrows: a === k - 2 ? '>>' : '>',
          goroutine,
          frame,
        };
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** `\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}` (19 characters) at `i`. */
function dateTimeAt(s: string, i: number): boolean {
  if (i < 0 || i + 19 > s.length) return false;
  for (let j = 0; j < 19; j++) {
    const c = s.charCodeAt(i + j);
    const ok =
      j === 4 || j === 7
        ? c === 0x2d /* - */
        : j === 10
          ? c === 0x54 || c === 0x74 /* T t */
          : j === 13 || j === 16
            ? c === 0x3a /* : */
            : isDigit(c);
    if (!ok) return false;
  }
  return true;
}

/** `[+-]\d{2}:\d{2}` at `i`. */
function offsetAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return (
    (c === 0x2b || c === 0x2d) &&
    isDigit(s.charCodeAt(i + 1)) &&
    isDigit(s.charCodeAt(i + 2)) &&
    s.charCodeAt(i + 3) === 0x3a &&
    isDigit(s.charCodeAt(i + 4)) &&
    isDigit(s.charCodeAt(i + 5))
  );
}

/** End of a TIMESTAMP_SRC timestamp starting at `i`, or -1. */
export function timestampAt(s: string, i: number): number {
  if (!dateTimeAt(s, i)) return -1;
  let p = i + 19;
  if (s.charCodeAt(p) === 0x2e /* . */ && isDigit(s.charCodeAt(p + 1))) {
    p += 2;
    while (isDigit(s.charCodeAt(p))) p++;
  }
  const c = s.charCodeAt(p);
  if (c === 0x5a || c === 0x7a /* Z z */) return p + 1;
  return offsetAt(s, p) ? p + 6 : -1;
}

/** Start of a TIMESTAMP_SRC timestamp that ends right before `end` (not before `min`), or -1. */
function timestampEndingAt(s: string, end: number, min: number): number {
  let p: number;
  const z = s.charCodeAt(end - 1);
  if (z === 0x5a || z === 0x7a) p = end - 1;
  else if (end - 6 >= min && offsetAt(s, end - 6)) p = end - 6;
  else return -1;
  // An optional fraction `.\d+` before the zone.
  let q = p;
  while (q > min && isDigit(s.charCodeAt(q - 1))) q--;
  if (q < p && q - 1 >= min && s.charCodeAt(q - 1) === 0x2e) p = q - 1;
  const start = p - 19;
  return start >= min && dateTimeAt(s, start) ? start : -1;
}

/** eBPF entry `> (G) f(args)` at the start of a line (after an optional timestamp). */
export const EBPF_ENTRY = new RegExp(`^(?:(${TIMESTAMP_SRC}) )?> \\((\\d+)\\) (.*)$`);
/** eBPF return `=> value` at the start of a line. */
export const EBPF_RETURN = new RegExp(`^(?:(${TIMESTAMP_SRC}) )?=> (.*)$`);

/** Timestamps glued at the start of a line (a `--follow-calls` run that printed nothing else). */
export const GLUED_TIMESTAMPS = new RegExp(`^(?:${TIMESTAMP_SRC} ){2,}`);

/**
 * Index of the '(' that opens the argument list of `pkg.(*T[K]).Method[...](args`, or -1.
 * A '(' right after a '.' opens a receiver group and belongs to the name; '[' ... ']' groups
 * (type parameters) are skipped.
 */
export function argsOpenParen(s: string): number {
  let brackets = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5b /* [ */) brackets++;
    else if (c === 0x5d /* ] */) brackets = Math.max(0, brackets - 1);
    else if (c === 0x28 /* ( */ && brackets === 0) {
      if (i > 0 && s.charCodeAt(i - 1) === 0x2e /* . */) {
        const close = matchParen(s, i, 0).close;
        if (close < 0) return -1;
        i = close;
        continue;
      }
      return i;
    } else if (c === 0x20 /* space */ && brackets === 0) {
      return -1; // names have no spaces outside brackets
    }
  }
  return -1;
}

export interface ParenScan {
  /** Index of the ')' that brings the depth back to zero, or -1. */
  close: number;
  /** Depth after scanning the whole string (when `close` is -1). */
  depth: number;
  /** Still inside a double-quoted string at the end. */
  inString: boolean;
}

/**
 * Finds the ')' matching the '(' at `open` (or continues a scan with `depth` already open when
 * `open` is -1), ignoring parentheses inside double-quoted Go strings.
 */
export function matchParen(s: string, open: number, depth: number, inString = false): ParenScan {
  let d = open >= 0 ? 0 : depth;
  let str = inString;
  for (let i = open >= 0 ? open : 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (str) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) str = false;
      continue;
    }
    if (c === 0x22) str = true;
    else if (c === 0x28) d++;
    else if (c === 0x29) {
      d--;
      if (d === 0) return { close: i, depth: 0, inString: false };
    }
  }
  return { close: -1, depth: d, inString: str };
}
