// What decoding one file yields: its format and its model, or an error that says what failed.

import type { DecodeError } from '../base/errors';
import type { DlvModel } from './dlv';
import type { ProfileModel } from './profile';
import type { TraceModel } from './trace';

export type FormatId = 'go-trace' | 'pprof' | 'dlv-trace';

export const FORMAT_LABEL: Record<FormatId, string> = {
  'go-trace': 'Go execution trace',
  pprof: 'pprof profile',
  'dlv-trace': 'dlv trace log',
};

export type FileModel = DlvModel | ProfileModel | TraceModel;

interface DecodedBase {
  /** The file was gzip-compressed. */
  gzip: boolean;
  /** Its decompressed size when gzip'd (held from the session's budget, base/budget.ts). */
  inflatedBytes?: number;
  /**
   * The name promises another format than the content holds (e.g. `x.trace` holding a dlv log).
   * The content wins and is shown, and this message says so.
   */
  nameMismatch: string | null;
  /** Non-fatal remarks for the user, e.g. why a log shows no spans. */
  warnings: string[];
  /**
   * Decoding stopped early (a truncated or damaged file): what stopped it. The model holds what
   * was read before the problem, and is shown.
   */
  partialError: string | null;
}

export type DecodedFile =
  | (DecodedBase & { format: 'dlv-trace'; model: DlvModel })
  | (DecodedBase & { format: 'pprof'; model: ProfileModel })
  | (DecodedBase & { format: 'go-trace'; model: TraceModel });

export type DecodeOutcome =
  { ok: true; file: DecodedFile } | { ok: false; format: FormatId | null; error: DecodeError };
