// A `dlv trace` log is text with trace lines (`> goroutine(G): f(...)`, eBPF `> (G) f(...)`), or,
// from a `--follow-calls` run whose root was never hit, nothing but timestamps glued together.

import { stripAnsi } from '../../base/text';
import { EBPF_ENTRY, GLUED_TIMESTAMPS, firstHeader } from './grammar';

const SNIFF_BYTES = 4 << 20;

export function sniffDlv(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, Math.min(bytes.length, SNIFF_BYTES));
  if (!looksLikeText(head.subarray(0, 64 << 10))) return false;
  const text = stripAnsi(new TextDecoder('utf-8', { fatal: false }).decode(head));
  if (firstHeader(text) !== null) return true;
  if (GLUED_TIMESTAMPS.test(text)) return true;
  return text.split('\n', 2000).some((line) => EBPF_ENTRY.test(line.replace(/\r$/, '')));
}

/** No NUL bytes and few control characters other than tab, CR, LF and ESC. */
function looksLikeText(b: Uint8Array): boolean {
  let control = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i] as number;
    if (c === 0) return false;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x1b) control++;
  }
  return control <= b.length / 100;
}
