// `npm run --silent summarize -- FILE...`: decodes each file with the same modules the browser
// workers run and prints the JSON document of testdata/SUMMARY.md. Exit 0 when every
// file decoded completely, 1 when any had an error, 2 on usage errors. Never a stack trace on
// stdout: unexpected failures become the file's `error`. Long lists: `--files-from FILE` or
// `--files-from -` (scripts/lib/cli.ts). Decompressed data is drawn from one budget for the
// whole run, as in the page (base/budget.ts). Go 1.22+ traces are summarized while they decode,
// a generation at a time from the disk, without their model (issue 18: memory at most twice the
// file), unless another file needs the model to align to it; GOROSCOPE_WORKERS=N decodes them in
// runs on N worker threads instead (scripts/lib/traceFile.ts).

import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeFile } from '../src/formats/index';
import { alignDlv, alignProfile, type Alignment } from '../src/analysis/alignment';
import { clockTrace } from '../src/analysis/session';
import type { DecodedFile } from '../src/model/file';
import { summarizeOutcome, type FileSummary } from '../src/model/summary';
import { InflateBudget, gzipWant } from '../src/base/budget';
import { describeError, isDecodeError } from '../src/base/errors';
import { readHeader } from '../src/formats/gotrace/decode';
import { V2_VERSIONS } from '../src/formats/gotrace/spec';
import { summarizeTraceFile } from './lib/summarizeTrace';
import { longCommandLineNote, parsePathArgs, runCli, UsageError } from './lib/cli';

const MAX_FILE_BYTES = 2 ** 31 - 1;
const USAGE =
  'usage: npm run --silent summarize -- [--files-from FILE|-] FILE...\n' +
  '  --files-from FILE  read more paths from FILE, one per line (or NUL-separated); - is stdin';
// GOROSCOPE_IGNORE_CLOCK=1 aligns as if the trace had no clock snapshot (to check the inference).

/** Whether the file at `path` is an (uncompressed) Go 1.22+ execution trace, by its header. */
function isV2Trace(path: string): boolean {
  try {
    const head = new Uint8Array(32);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    const h = readHeader(head);
    return h !== null && V2_VERSIONS.includes(h.minor);
  } catch {
    return false;
  }
}

/** GOROSCOPE_WORKERS=N decodes traces in runs on N workers (default 0: in order). */
function workersOption(): number {
  const n = Number(process.env.GOROSCOPE_WORKERS ?? 0);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

async function main(argv: string[]): Promise<number> {
  const args = parsePathArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.options.length > 0) throw new UsageError(`unknown option ${args.options[0]}`);
  if (args.paths.length === 0) throw new UsageError('no files given');
  const note = longCommandLineNote(argv);
  if (note) process.stderr.write(`${note}\n`);
  const budget = new InflateBudget();
  const out: Array<FileSummary & { file: string }> = [];
  const decoded: Array<{ id: string; decoded: DecodedFile | null }> = [];
  let failed = false;
  const streaming = args.paths.every(isV2Trace);
  // Streamed traces that could own the session's clock (analysis/session.ts canBeClock), and
  // the files that could not be read at all.
  let streamedClock = false;
  const unreadable = new Set<number>();
  for (const [i, path] of args.paths.entries()) {
    const name = basename(path);
    const id = String(i);
    let summary: FileSummary;
    let file: DecodedFile | null = null;
    if (streaming) {
      try {
        const s = await summarizeTraceFile(path, { workers: workersOption() });
        if (s === null) throw new Error('not a Go 1.22+ trace');
        const { how: _how, canBeClock, ...rest } = s;
        summary = rest;
        streamedClock ||= canBeClock;
      } catch (e) {
        unreadable.add(i);
        // As summarizeOutcome reports a trace with nothing usable.
        summary = isDecodeError(e)
          ? { error: e.message, format: 'go-trace' }
          : { error: `${name}: ${describeError(e)}` };
      }
      decoded.push({ id, decoded: null });
      if (summary.error !== undefined) failed = true;
      out.push({ file: name, ...summary });
      continue;
    }
    try {
      if (statSync(path).size > MAX_FILE_BYTES) throw new Error('file is larger than 2 GiB');
      const bytes = new Uint8Array(readFileSync(path));
      const inflate = budget.grant(
        id,
        gzipWant(bytes.subarray(0, 2), bytes.subarray(-4), bytes.length),
      );
      const outcome = decodeFile(name, bytes, { inflate });
      file = outcome.ok ? outcome.file : null;
      budget.settle(id, file?.inflatedBytes ?? 0);
      summary = summarizeOutcome(outcome);
    } catch (e) {
      budget.release(id);
      summary = { error: `${name}: ${describeError(e)}` };
    }
    decoded.push({ id, decoded: file });
    if (summary.error !== undefined) failed = true;
    out.push({ file: name, ...summary });
  }
  const ignoreClock = process.env.GOROSCOPE_IGNORE_CLOCK === '1';
  // The same clock as the page: never a trace that decoded to (almost) nothing.
  const trace = clockTrace(decoded)?.decoded;
  const alignment: Array<{ file: string } & Partial<Alignment>> = [];
  if (trace) {
    decoded.forEach(({ decoded: d }, i) => {
      const file = out[i]?.file ?? '';
      if (d === trace || d?.format === 'go-trace') return;
      if (!d) {
        alignment.push({ file, method: 'none', startNs: null });
        return;
      }
      const a =
        d.format === 'dlv-trace'
          ? alignDlv(trace.model, d.model, { ignoreClockSnapshot: ignoreClock })
          : alignProfile(trace.model, d.model, { ignoreClockSnapshot: ignoreClock });
      const { offsetNs: _offset, ...rest } = a;
      alignment.push({ file, ...rest });
    });
  }
  if (streamedClock) {
    // With a trace on the clock, the other (unreadable) files get no alignment, as above.
    decoded.forEach((_, i) => {
      if (unreadable.has(i))
        alignment.push({ file: out[i]?.file ?? '', method: 'none', startNs: null });
    });
  }
  process.stdout.write(`${JSON.stringify({ files: out, alignment }, null, 1)}\n`);
  return failed ? 1 : 0;
}

void runCli(USAGE, main);
