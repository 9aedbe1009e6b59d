// Typed decode errors. Every decoder throws these (never a bare Error) so the worker, the summary
// command and the page can say what failed and where.

export type DecodeErrorKind =
  /** The content matches no known format. */
  | 'unrecognized'
  /** A known format whose decoder is not built yet. */
  | 'unsupported'
  /** The file is of this format but damaged or truncated. */
  | 'corrupt'
  /** The file is of this format but holds nothing to show. */
  | 'empty'
  /** A limit that protects the page (size, count) was exceeded. */
  | 'limit';

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly kind: DecodeErrorKind,
    message: string,
    /** Byte offset in the (decompressed) input where the problem was found, when known. */
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
  }
}

export function isDecodeError(e: unknown): e is DecodeError {
  return e instanceof DecodeError;
}

/** A plain description of any thrown value, for messages shown to the user. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** An AbortError: work that was cancelled or superseded (callers usually ignore it). */
export function isAbort(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}

/** A new AbortError with a message. */
export function abortError(message: string): Error {
  const e = new Error(message);
  e.name = 'AbortError';
  return e;
}

/**
 * Decode messages are two parts (issue 20): first what happened in plain words, what was kept and
 * what the user can do; then, after DETAIL_MARK, the technical detail (the reader's own words,
 * byte offsets) that the page shows on demand. A message without the mark is all plain.
 */
export const DETAIL_MARK = '\nTechnical detail: ';

export function splitDetail(message: string): { text: string; detail: string | null } {
  const at = message.indexOf(DETAIL_MARK);
  return at < 0
    ? { text: message, detail: null }
    : { text: message.slice(0, at), detail: message.slice(at + DETAIL_MARK.length) };
}
