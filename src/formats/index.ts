// Picks a decoder by content, never by name (STYLE.md habit 1): each format has a cheap sniffer,
// gzip is inflated and sniffed again, and a file that matches a signature but fails to decode is
// reported as a damaged file of that format, not as "unrecognized".

import type { InflateLimit } from '../base/budget';
import { DecodeError, describeError, isDecodeError } from '../base/errors';
import { FORMAT_LABEL, type DecodeOutcome, type DecodedFile, type FormatId } from '../model/file';
import type { DlvModel } from '../model/dlv';
import { decodeDlv } from './dlv/decode';
import { sniffDlv } from './dlv/sniff';
import { sniffGoTrace } from './gotrace/sniff';
import { gunzip, isGzip } from './gzip';
import { sniffPprof } from './pprof/sniff';
import { decodePprof } from './pprof/decode';
import { decodeGoTrace } from './gotrace/decode';

export interface DecodeOptions {
  /** Progress of the current stage, 0..1. */
  onProgress?: (stage: string, fraction: number) => void;
  /**
   * How far a gzip'd file may inflate: the allowance the session's budget granted this file
   * (base/budget.ts). Without it, the whole default budget.
   */
  inflate?: InflateLimit;
}

/** The format of (uncompressed) bytes by their signature, or null. */
export function detectFormat(bytes: Uint8Array): FormatId | null {
  if (sniffGoTrace(bytes) !== null) return 'go-trace';
  if (sniffDlv(bytes)) return 'dlv-trace';
  if (sniffPprof(bytes)) return 'pprof';
  return null;
}

/** Decodes one file's bytes. Never throws: failures come back as `{ok: false}` with a typed error. */
export function decodeFile(
  name: string,
  input: Uint8Array,
  options: DecodeOptions = {},
): DecodeOutcome {
  const progress = options.onProgress ?? (() => {});
  let format: FormatId | null = null;
  try {
    let bytes = input;
    let gzip = false;
    if (isGzip(bytes)) {
      gzip = true;
      progress('decompressing', 0);
      bytes = gunzip(bytes, (f) => progress('decompressing', f), options.inflate);
    }
    format = detectFormat(bytes);
    if (format === null) {
      throw new DecodeError(
        'unrecognized',
        `${name}: unrecognized file${gzip ? ' (gzip-compressed)' : ''}: not a Go execution trace, a pprof profile or a dlv trace log`,
      );
    }
    const file = decodeAs(format, bytes, gzip, progress);
    file.nameMismatch = nameMismatch(name, format);
    if (gzip) file.inflatedBytes = bytes.length;
    return { ok: true, file };
  } catch (e) {
    // When the content could not even be sniffed (a truncated gzip), the name's promise is the
    // best guess of what the file was meant to be.
    // Anything but a DecodeError is a decoder bug that a file reached: still a message for the
    // user, and the original kept as `cause` (the fuzz test looks for these).
    let error: DecodeError;
    if (isDecodeError(e)) error = e;
    else {
      error = new DecodeError('corrupt', `${name}: ${describeError(e)}`);
      error.cause = e;
    }
    return { ok: false, format: format ?? declaredFormat(name), error };
  }
}

function decodeAs(
  format: FormatId,
  bytes: Uint8Array,
  gzip: boolean,
  progress: (stage: string, fraction: number) => void,
): DecodedFile {
  switch (format) {
    case 'dlv-trace': {
      const model = decodeDlv(bytes, { onProgress: (f) => progress('reading lines', f) });
      return {
        format,
        gzip,
        model,
        nameMismatch: null,
        warnings: dlvWarnings(model),
        partialError: null,
      };
    }
    case 'go-trace': {
      const { model, error } = decodeGoTrace(bytes, { onProgress: progress });
      return {
        format,
        gzip,
        model,
        nameMismatch: null,
        warnings: [],
        partialError: error?.message ?? null,
      };
    }
    case 'pprof': {
      const model = decodePprof(bytes, { onProgress: progress });
      return { format, gzip, model, nameMismatch: null, warnings: [], partialError: null };
    }
  }
}

function dlvWarnings(model: DlvModel): string[] {
  if (model.spanCount > 0 || model.lineCount > 0) {
    return model.unterminated > 0
      ? [
          `${model.unterminated} call(s) had multi-line arguments that never closed; they are cut short`,
        ]
      : [];
  }
  if (model.gluedTimestamps > 0) {
    return [
      `no trace lines: the log holds ${model.gluedTimestamps} timestamps and nothing else. ` +
        'This is what a `dlv trace --follow-calls` run prints when its root function is never ' +
        'reached; trace a function the program calls, or drop --follow-calls.',
    ];
  }
  return ['no trace lines (`> goroutine(N): pkg.Func(...)`) in this log: nothing to show'];
}

/** Formats promised by well-known extensions. */
const EXTENSIONS: ReadonlyArray<[RegExp, FormatId]> = [
  [/\.trace(\.gz)?$/i, 'go-trace'],
  [/\.(pprof|pb\.gz|prof)$/i, 'pprof'],
];

function declaredFormat(name: string): FormatId | null {
  for (const [re, format] of EXTENSIONS) if (re.test(name)) return format;
  return null;
}

/** The warning for a file whose name promises another format than `format`, or null. */
export function nameMismatch(name: string, format: FormatId): string | null {
  const declared = declaredFormat(name);
  if (declared === null || declared === format) return null;
  return (
    `bad file format: ${name} is named like a ${FORMAT_LABEL[declared]}, but it is not one: ` +
    `its content is a ${FORMAT_LABEL[format]}, shown as such`
  );
}
