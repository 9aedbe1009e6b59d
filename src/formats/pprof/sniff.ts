// pprof profiles are a protobuf `Profile` message (github.com/google/pprof proto/profile.proto).
// Protobuf has no magic number, so the sniffer reads the first fields and checks each is a
// Profile field with its wire type: 1-6 and 11 are messages/strings (wire type 2), 7-10, 12, 14
// and 15 are varints (0), 13 `comment` is a repeated int64 (0, or 2 when packed).

import { clearVarintError, uvarint, varintEnd } from '../varint';

const WIRE: Record<number, readonly number[]> = {
  1: [2],
  2: [2],
  3: [2],
  4: [2],
  5: [2],
  6: [2],
  7: [0],
  8: [0],
  9: [0],
  10: [0],
  11: [2],
  12: [0],
  13: [0, 2],
  14: [0],
  15: [0], // doc_url (profile.proto, 2024)
};

/** Whether the bytes look like an (uncompressed) pprof Profile. */
export function sniffPprof(bytes: Uint8Array): boolean {
  let pos = 0;
  let fields = 0;
  while (pos < bytes.length && fields < 4) {
    const tag = readVarint(bytes, pos);
    if (!tag) return false;
    pos = tag.next;
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (!WIRE[field]?.includes(wire)) return false;
    if (wire === 0) {
      const v = readVarint(bytes, pos);
      if (!v) return fields > 0 && pos >= bytes.length; // cut mid-field
      pos = v.next;
    } else {
      const len = readVarint(bytes, pos);
      if (!len) return false;
      pos = len.next + len.value;
      // A length running past the end is a truncated profile only when something came before.
      if (pos > bytes.length) return fields > 0;
    }
    fields++;
  }
  // Two well-formed Profile fields, or one that is the whole file.
  return fields >= 2 || (fields === 1 && pos === bytes.length);
}

function readVarint(b: Uint8Array, pos: number): { value: number; next: number } | null {
  const value = uvarint(b, pos, b.length);
  if (value < 0) {
    clearVarintError();
    return null;
  }
  return { value, next: varintEnd };
}
