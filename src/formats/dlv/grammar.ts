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

/**
 * A trace-line header anywhere in a line: optional timestamp, indentation, `>`/`>>`, goroutine,
 * optional frame. Global so that lines glued together by a broken run can be split.
 */
export const HEADER = new RegExp(
  `(?:(${TIMESTAMP_SRC}) )?( *)(>>?) goroutine\\((\\d+)\\):(?:frame\\((\\d+)\\))?`,
  'g',
);

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
