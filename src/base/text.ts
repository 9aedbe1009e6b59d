// Text helpers shared by the text decoders.

/**
 * ANSI escape sequences: CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL|ESC \`) and two-byte escapes.
 * Delve colours function names and file:line in `--stack` blocks with them.
 */
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;

export function stripAnsi(s: string): string {
  return s.indexOf('\x1b') < 0 ? s : s.replace(ANSI, '');
}

/** Truncates untrusted text to a bound, marking the cut. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length - max} more characters)`;
}

/**
 * Splits bytes into lines chunk by chunk (streaming UTF-8 decode), so a large log never becomes
 * one giant string. Calls `onLine` for each line without its terminator ('\n' or '\r\n').
 */
export function forEachLine(
  bytes: Uint8Array,
  onLine: (line: string) => void,
  onProgress?: (fraction: number) => void,
  chunkSize = 1 << 20,
): void {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  // The unfinished line so far, in pieces: joined once when it ends. Concatenating and searching
  // it again with every chunk made a long line cost its length times the number of chunks.
  let carry: string[] = [];
  let carryLength = 0;
  const take = (last: string): string => {
    if (carry.length === 0) return last;
    carry.push(last);
    const line = carry.join('');
    carry = [];
    carryLength = 0;
    return line;
  };
  for (let off = 0; off < bytes.length; off += chunkSize) {
    const end = Math.min(bytes.length, off + chunkSize);
    const text = decoder.decode(bytes.subarray(off, end), { stream: end < bytes.length });
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      onLine(trimCr(take(text.slice(start, nl))));
      start = nl + 1;
    }
    if (start < text.length) {
      carry.push(text.slice(start));
      carryLength += text.length - start;
    }
    // A file without line breaks must not become one unbounded string: cut it.
    if (carryLength > MAX_LINE) onLine(take(''));
    onProgress?.(end / bytes.length);
  }
  const rest = take(decoder.decode());
  if (rest.length > 0) onLine(trimCr(rest));
}

const MAX_LINE = 8 << 20;

function trimCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}
