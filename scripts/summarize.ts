// `npm run --silent summarize -- FILE...`: decodes each file with the same modules the browser
// workers run and prints the JSON document of ../shared/corpus/SUMMARY.md. Exit 0 when every
// file decoded completely, 1 when any had an error, 2 on usage errors. Never a stack trace on
// stdout: unexpected failures become the file's `error`.

import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeFile } from '../src/formats/index';
import { summarizeOutcome, type FileSummary } from '../src/model/summary';
import { describeError } from '../src/base/errors';

const MAX_FILE_BYTES = 2 ** 31 - 1;

function main(argv: string[]): number {
  const files = argv.filter((a) => a !== '--');
  if (files.length === 0 || files.includes('-h') || files.includes('--help')) {
    process.stderr.write('usage: npm run --silent summarize -- FILE...\n');
    return files.length === 0 ? 2 : 0;
  }
  const out: Array<FileSummary & { file: string }> = [];
  let failed = false;
  for (const path of files) {
    const name = basename(path);
    let summary: FileSummary;
    try {
      if (statSync(path).size > MAX_FILE_BYTES) throw new Error('file is larger than 2 GiB');
      const bytes = new Uint8Array(readFileSync(path));
      summary = summarizeOutcome(decodeFile(name, bytes));
    } catch (e) {
      summary = { error: `${name}: ${describeError(e)}` };
    }
    if (summary.error !== undefined) failed = true;
    out.push({ file: name, ...summary });
  }
  const hasTrace = out.some((f) => f.format === 'go-trace' && f.error === undefined);
  const alignment = hasTrace
    ? out.filter((f) => f.format !== 'go-trace').map((f) => ({ file: f.file, method: 'none' }))
    : [];
  process.stdout.write(`${JSON.stringify({ files: out, alignment }, null, 1)}\n`);
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
