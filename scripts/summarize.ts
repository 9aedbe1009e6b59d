// `npm run --silent summarize -- FILE...`: decodes each file with the same modules the browser
// workers run and prints the JSON document of testdata/SUMMARY.md. Exit 0 when every
// file decoded completely, 1 when any had an error, 2 on usage errors. Never a stack trace on
// stdout: unexpected failures become the file's `error`.

import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeFile } from '../src/formats/index';
import { alignDlv, alignProfile, type Alignment } from '../src/analysis/alignment';
import type { DecodedFile } from '../src/model/file';
import { summarizeOutcome, type FileSummary } from '../src/model/summary';
import { describeError } from '../src/base/errors';

const MAX_FILE_BYTES = 2 ** 31 - 1;
// GOROSCOPE_IGNORE_CLOCK=1 aligns as if the trace had no clock snapshot (to check the inference).

function main(argv: string[]): number {
  const files = argv.filter((a) => a !== '--');
  if (files.length === 0 || files.includes('-h') || files.includes('--help')) {
    process.stderr.write('usage: npm run --silent summarize -- FILE...\n');
    return files.length === 0 ? 2 : 0;
  }
  const out: Array<FileSummary & { file: string }> = [];
  const decoded: Array<DecodedFile | null> = [];
  let failed = false;
  for (const path of files) {
    const name = basename(path);
    let summary: FileSummary;
    try {
      if (statSync(path).size > MAX_FILE_BYTES) throw new Error('file is larger than 2 GiB');
      const bytes = new Uint8Array(readFileSync(path));
      const outcome = decodeFile(name, bytes);
      decoded.push(outcome.ok ? outcome.file : null);
      summary = summarizeOutcome(outcome);
    } catch (e) {
      decoded.push(null);
      summary = { error: `${name}: ${describeError(e)}` };
    }
    if (summary.error !== undefined) failed = true;
    out.push({ file: name, ...summary });
  }
  const ignoreClock = process.env.GOROSCOPE_IGNORE_CLOCK === '1';
  const trace = decoded.find((d) => d?.format === 'go-trace');
  const alignment: Array<{ file: string } & Partial<Alignment>> = [];
  if (trace && trace.format === 'go-trace') {
    decoded.forEach((d, i) => {
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
  process.stdout.write(`${JSON.stringify({ files: out, alignment }, null, 1)}\n`);
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
