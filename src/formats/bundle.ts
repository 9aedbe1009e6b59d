// Session bundles: every file of a session plus the view state in one download, so a session
// built from local files can be handed to a teammate. Layout (uncompressed):
//
//   "GOROSCOPE-SESSION 1\n"   magic and version
//   <JSON header>"\n"         {"state": {...}, "files": [{"name": "...", "size": N}, ...]}
//   <bytes of file 0><bytes of file 1>...
//
// A bundle comes from anyone, so everything it declares is checked before use, and a problem is
// named by its field (`files[3].size must be ...`): the header is bounded (1 MiB), it lists at most
// MAX_BUNDLE_FILES files with names of at most MAX_NAME characters, the sizes must be safe
// integers that account for exactly the bytes that follow, and the state is a string of at most
// MAX_STATE characters. Bundles do not nest: a file inside a bundle that is itself a bundle is
// not opened (its entry says so); the outer bundle's files and view open as usual. One level is
// all the share dialog ever writes, and refusing deeper ones means no file can replace the view
// its own bundle restores, and no chain of bundles can go on unpacking.

import { DecodeError } from '../base/errors';

export const BUNDLE_MAGIC = 'GOROSCOPE-SESSION 1\n';
const MAX_HEADER = 1 << 20;
/** Most files one bundle may list (a session the share dialog saves holds far fewer). */
export const MAX_BUNDLE_FILES = 1000;
/** Longest file name in a bundle. */
export const MAX_NAME = 500;
/** Longest view state in a bundle (store/viewState.ts MAX_HASH). */
const MAX_STATE = 64 << 10;

export interface BundleEntry {
  name: string;
  bytes: Uint8Array;
  /** Why this file is not opened (a bundle inside the bundle); its bytes are then empty. */
  error?: string;
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

/**
 * A bundle of files as a Blob. The files may be Blobs themselves (the page's local files): the
 * bundle is then a Blob of Blobs, and no file is read into memory to make it.
 */
export function packBundle(
  state: string,
  files: ReadonlyArray<BundleEntry | { name: string; blob: Blob }>,
): Blob {
  const size = (f: (typeof files)[number]) => ('blob' in f ? f.blob.size : f.bytes.length);
  const header = JSON.stringify({
    state,
    files: files.map((f) => ({ name: f.name, size: size(f) })),
  });
  const parts: Array<string | Blob | Uint8Array<ArrayBuffer>> = [
    BUNDLE_MAGIC,
    header,
    '\n',
    ...files.map((f) => ('blob' in f ? f.blob : (f.bytes as Uint8Array<ArrayBuffer>))),
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
  const bad = (what: string) => new DecodeError('corrupt', `session bundle: ${what}`, start);
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw bad(`the header must be a JSON object, not ${describe(header)}`);
  const h = header as { state?: unknown; files?: unknown };
  if (h.state !== undefined && typeof h.state !== 'string')
    throw bad(`"state" must be a string, not ${describe(h.state)}`);
  if (typeof h.state === 'string' && h.state.length > MAX_STATE)
    throw bad(`"state" is ${h.state.length} characters long; at most ${MAX_STATE} are read`);
  if (!Array.isArray(h.files))
    throw bad(`"files" must be a list of files, not ${describe(h.files)}`);
  if (h.files.length > MAX_BUNDLE_FILES) {
    throw new DecodeError(
      'limit',
      `session bundle: it lists ${h.files.length} files; at most ${MAX_BUNDLE_FILES} are opened from one bundle`,
      start,
    );
  }
  let pos = nl + 1;
  const files: BundleEntry[] = [];
  for (const [i, f] of h.files.entries()) {
    const field = `files[${i}]`;
    if (typeof f !== 'object' || f === null || Array.isArray(f))
      throw bad(`${field} must be an object with "name" and "size", not ${describe(f)}`);
    const e = f as { name?: unknown; size?: unknown };
    if (typeof e.name !== 'string')
      throw bad(`${field}.name must be a string, not ${describe(e.name)}`);
    if (e.name.trim() === '') throw bad(`${field}.name is empty`);
    if (e.name.length > MAX_NAME)
      throw bad(
        `${field}.name is ${e.name.length} characters long; at most ${MAX_NAME} are accepted`,
      );
    if (typeof e.size !== 'number' || !Number.isSafeInteger(e.size) || e.size < 0)
      throw bad(`${field}.size must be a whole number of bytes, not ${describe(e.size)}`);
    if (pos + e.size > bytes.length) {
      throw new DecodeError(
        'corrupt',
        `session bundle: ${field} (${e.name}) is cut short (the bundle is truncated)`,
        pos,
      );
    }
    const content = bytes.subarray(pos, pos + e.size);
    files.push(
      isBundle(content)
        ? {
            name: e.name,
            bytes: new Uint8Array(0),
            error: `${e.name}: a session bundle inside a session bundle is not opened; open it on its own`,
          }
        : { name: e.name, bytes: content },
    );
    pos += e.size;
  }
  if (pos !== bytes.length)
    throw new DecodeError('corrupt', 'session bundle: unexpected bytes after the last file', pos);
  return { state: h.state ?? '', files };
}

/** A JSON value's kind for messages: `null`, `a number (5)`, `a string`, `a list`, ... */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'missing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'number') return `a number (${v})`;
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'boolean') return `${v}`;
  return 'an object';
}
