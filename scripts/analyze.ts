// `npm run --silent analyze -- TRACE [--mmu-windows NS,NS,...]`: decodes a Go execution trace with
// the same modules the browser workers run and prints the figures of `go tool trace`'s analysis
// pages as one JSON document (testdata/ANALYSIS.md): goroutine groups, task and region types
// with their duration histograms, and the MMU at the given window sizes (default 1 ms, 10 ms,
// 100 ms). Exit 0 on success, 1 when the trace had an error (the document then has an `error`
// and, for a trace read in part, the figures of what was read), 2 on bad usage. Never a stack
// trace: unexpected failures become the `error`.

import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { describeError } from '../src/base/errors';
import { decodeFile } from '../src/formats/index';
import { analysisDocument, DEFAULT_MMU_WINDOWS_NS } from '../src/analysis/traceTables';
import { quietPipes } from './lib/cli';

const MAX_FILE_BYTES = 2 ** 31 - 1;
const USAGE = 'usage: npm run --silent analyze -- TRACE [--mmu-windows NS,NS,...]\n';

interface Args {
  file: string;
  windows: number[];
}

function parseArgs(argv: string[]): Args | string {
  const rest = argv.filter((a) => a !== '--');
  let file: string | null = null;
  let windows: number[] = [...DEFAULT_MMU_WINDOWS_NS];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === '--mmu-windows' || a.startsWith('--mmu-windows=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i];
      if (v === undefined || v === '') return '--mmu-windows needs a list of window sizes in ns';
      const parts = v.split(',');
      const ws = parts.map((p) => Number(p.trim()));
      if (
        ws.some(
          (w, k) => !/^\s*\d+\s*$/.test(parts[k] as string) || !Number.isSafeInteger(w) || w <= 0,
        )
      ) {
        return `--mmu-windows: ${JSON.stringify(v)} is not a list of positive integers (ns)`;
      }
      windows = ws;
    } else if (a.startsWith('-')) {
      return `unknown option ${a}`;
    } else if (file === null) {
      file = a;
    } else {
      return 'one trace at a time';
    }
  }
  if (file === null) return 'no trace given';
  return { file, windows };
}

function main(argv: string[]): number {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`analyze: ${args}\n${USAGE}`);
    return 2;
  }
  const name = basename(args.file);
  let doc: Record<string, unknown>;
  let failed = false;
  try {
    if (statSync(args.file).size > MAX_FILE_BYTES) throw new Error('file is larger than 2 GiB');
    const outcome = decodeFile(name, new Uint8Array(readFileSync(args.file)));
    if (!outcome.ok) {
      doc = { error: outcome.error.message };
      failed = true;
    } else if (outcome.file.format !== 'go-trace') {
      doc = { error: `${name}: not a Go execution trace (${outcome.file.format})` };
      failed = true;
    } else {
      doc = { ...analysisDocument(outcome.file.model, { mmuWindowsNs: args.windows }) };
      if (outcome.file.partialError) {
        doc = { error: outcome.file.partialError, partial: true, ...doc };
        failed = true;
      }
    }
  } catch (e) {
    doc = { error: `${name}: ${describeError(e)}` };
    failed = true;
  }
  process.stdout.write(`${JSON.stringify({ trace: name, ...doc }, null, 1)}\n`);
  return failed ? 1 : 0;
}

// A reader that stops early (`| head`) ends the command quietly (scripts/lib/cli.ts).
quietPipes();
process.exitCode = main(process.argv.slice(2));
