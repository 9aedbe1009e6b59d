// Quoting text into a pattern, without loading a regular expression engine (the page needs only
// this much of base/pattern.ts, whose RE2 engine runs in the engine worker).

/**
 * A pattern matching exactly `name` (for "focus on this function" from a view): every RE2 (and
 * JavaScript) metacharacter escaped, as Go's regexp.QuoteMeta does.
 */
export function exactPattern(name: string): string {
  return `^${name.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')}$`;
}
