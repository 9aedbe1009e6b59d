// Session bundles: every file of a session plus the view state in one download, so a session
// built from local files can be handed to a teammate. Layout (uncompressed):
//
//   "GOROSCOPE-SESSION 1\n"   magic and version
//   <JSON header>"\n"         {"state": {...}, "files": [{"name": "...", "size": N}, ...]}
//   <bytes of file 0><bytes of file 1>...
//
// The header is bounded (1 MiB) and the sizes must account for exactly the bytes that follow.

import { DecodeError } from '../base/errors';

export const BUNDLE_MAGIC = 'GOROSCOPE-SESSION 1\n';
const MAX_HEADER = 1 << 20;

export interface BundleEntry {
  name: string;
  bytes: Uint8Array;
}

export interface Bundle {
  /** Opaque view state (the URL-hash form), restored after the files load. */
  state: string;
  files: BundleEntry[];
}

export function isBundle(bytes: Uint8Array): boolean {
  if (bytes.length < BUNDLE_MAGIC.length) return false;
  for (let i = 0; i < BUNDLE_MAGIC.length; i++)
    if (bytes[i] !== BUNDLE_MAGIC.charCodeAt(i)) return false;
  return true;
}

export function packBundle(state: string, files: ReadonlyArray<BundleEntry>): Blob {
  const header = JSON.stringify({
    state,
    files: files.map((f) => ({ name: f.name, size: f.bytes.length })),
  });
  const parts: BlobPart[] = [
    BUNDLE_MAGIC,
    header,
    '\n',
    ...files.map((f) => f.bytes as Uint8Array<ArrayBuffer>),
  ];
  return new Blob(parts, { type: 'application/octet-stream' });
}

export function unpackBundle(bytes: Uint8Array): Bundle {
  if (!isBundle(bytes)) throw new DecodeError('unrecognized', 'not a goroscope session bundle');
  const start = BUNDLE_MAGIC.length;
  const limit = Math.min(bytes.length, start + MAX_HEADER);
  let nl = -1;
  for (let i = start; i < limit; i++) {
    if (bytes[i] === 0x0a) {
      nl = i;
      break;
    }
  }
  if (nl < 0)
    throw new DecodeError(
      'corrupt',
      'session bundle: header line missing or longer than 1 MiB',
      start,
    );
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(start, nl)));
  } catch {
    throw new DecodeError('corrupt', 'session bundle: header is not valid JSON', start);
  }
  const h = header as { state?: unknown; files?: unknown };
  if (!Array.isArray(h.files))
    throw new DecodeError('corrupt', 'session bundle: header has no file list', start);
  let pos = nl + 1;
  const files: BundleEntry[] = [];
  for (const [i, f] of h.files.entries()) {
    const e = f as { name?: unknown; size?: unknown };
    if (
      typeof e.name !== 'string' ||
      typeof e.size !== 'number' ||
      !Number.isInteger(e.size) ||
      e.size < 0
    ) {
      throw new DecodeError('corrupt', `session bundle: file entry ${i} is malformed`, start);
    }
    if (pos + e.size > bytes.length) {
      throw new DecodeError(
        'corrupt',
        `session bundle: ${e.name} is cut short (the bundle is truncated)`,
        pos,
      );
    }
    files.push({ name: e.name.slice(0, 500), bytes: bytes.subarray(pos, pos + e.size) });
    pos += e.size;
  }
  if (pos !== bytes.length)
    throw new DecodeError('corrupt', 'session bundle: unexpected bytes after the last file', pos);
  return { state: typeof h.state === 'string' ? h.state : '', files };
}
