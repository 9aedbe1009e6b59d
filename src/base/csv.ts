// CSV as RFC 4180 writes it (https://www.rfc-editor.org/rfc/rfc4180, section 2): records end with
// CRLF; a field holding a comma, a double quote, CR or LF is enclosed in double quotes, and a
// double quote inside it is doubled.
//
// Text fields come from files (function names, wait reasons) and end up in spreadsheets, which
// run a cell that starts with `=`, `+`, `-` or `@` as a formula (and some strip a leading tab or
// CR first): a crafted function name such as `=HYPERLINK("http://…")` would run when the export
// is opened (CSV injection, OWASP). Such a text cell is written with a leading apostrophe, which
// spreadsheets show as text and do not evaluate. Numbers we format ourselves are written as they
// are, so that `-5` stays a number.

export const CSV_EOL = '\r\n';

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);
const NEEDS_QUOTES = /[",\r\n]/;

/** A text field: neutralised when a spreadsheet would read it as a formula, quoted when needed. */
export function csvText(value: string): string {
  const v = FORMULA_START.has(value.charAt(0)) ? `'${value}` : value;
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A number field (ours, not from a file): finite numbers as they are, anything else empty. */
export function csvNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}

/** One record, without its line end. */
export function csvRecord(fields: readonly string[]): string {
  return fields.join(',');
}
