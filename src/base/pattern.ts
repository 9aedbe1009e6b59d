// Patterns typed by the user, or arriving in a link or a bundle (flame search, focus/ignore/hide,
// the lane filter, the query language), run on a linear-time engine: RE2's semantics through
// re2js, the same syntax Go users write for pprof's -focus or `go test -run`. A backtracking
// engine (JavaScript's RegExp) can take exponential time on a pattern such as `(.|.)*!$`, and a
// link is enough to deliver one (STYLE.md habit 13).

import { RE2JS } from 're2js';

/** A compiled user pattern. `test` is true when the pattern matches anywhere in `s`. */
export interface UserPattern {
  readonly source: string;
  readonly ignoreCase: boolean;
  test(s: string): boolean;
}

/** A pattern that is not a valid RE2 regular expression; the message says why. */
export class PatternError extends Error {
  override readonly name = 'PatternError';
}

/** The longest pattern accepted (RE2 compiles in time linear in the pattern too; this bounds it). */
export const MAX_PATTERN_LENGTH = 4096;

const META = /[\\^$.|?*+()[\]{}]/;

/**
 * Compiles a user pattern (RE2 syntax); throws PatternError with the reason when it is not valid.
 * A pattern without metacharacters is a plain substring test.
 */
export function compileUserPattern(
  source: string,
  options: { ignoreCase?: boolean } = {},
): UserPattern {
  const ignoreCase = options.ignoreCase ?? false;
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new PatternError(
      `the pattern is ${source.length} characters long; at most ${MAX_PATTERN_LENGTH} are accepted`,
    );
  }
  if (!META.test(source)) {
    const needle = ignoreCase ? source.toLowerCase() : source;
    return {
      source,
      ignoreCase,
      test: ignoreCase ? (s) => s.toLowerCase().includes(needle) : (s) => s.includes(needle),
    };
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
    throw new PatternError(`invalid pattern ${JSON.stringify(source)}: ${why}`);
  }
  return { source, ignoreCase, test: (s) => re.test(s) };
}

/** A pattern matching exactly `name` (for "focus on this function" from a view). */
export function exactPattern(name: string): string {
  return `^${RE2JS.quote(name)}$`;
}
