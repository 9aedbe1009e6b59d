// `npm run --silent why -- TRACE [--from NS --to NS] [--reason R] [--causes N]`: who held the
// blocked goroutines of an execution trace up (testdata/WHY.md). Decodes with the modules the
// browser workers run and charges with src/analysis/why.ts; prints one JSON document:
//
//   without --from/--to: the blocking spikes, ranked as the page ranks them (spikes.ts), each with
//     its causes (its own goroutines and series); --reason keeps the spikes of that reason;
//   with --from/--to: one element, the waits (of reason R when given) clipped to [from, to].
//
// --causes N: causes listed per spike (default 10; 0 for all). Exit status 0 on success, 1 when
// the trace had an error (the JSON then has an "error" and, for a damaged trace, what could be
// read), 2 on bad usage. Never a stack trace: unexpected failures become the "error".

import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { describeError } from '../src/base/errors';
import { decodeFile } from '../src/formats/index';
import { whyReport } from '../src/analysis/whyReport';
import { quietPipes } from './lib/cli';

const USAGE =
  'usage: npm run --silent why -- TRACE [--from NS --to NS] [--reason REASON] [--causes N]\n' +
  '  TRACE        a Go execution trace (runtime/trace, go test -trace), gzip allowed\n' +
  "  --from/--to  a window in ns since the trace's first event (both or neither)\n" +
  '  --reason R   only waits with Go\'s wait reason R ("sync", "chan receive", ...)\n' +
  '  --causes N   causes to list per spike (default 10, 0 for all)\n';

const MAX_FILE_BYTES = 2 ** 31 - 1;

class UsageError extends Error {}

interface Args {
  file: string;
  from: number | null;
  to: number | null;
  reason: string | null;
  causes: number;
}

function nonNegative(name: string, v: string | undefined, integer: boolean): number {
  if (v === undefined) throw new UsageError(`${name} needs a value`);
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `${name}: expected a non-negative ${integer ? 'integer' : 'number'}, got ${JSON.stringify(v)}`,
    );
  }
  return n;
}

function parse(argv: string[]): Args {
  const files: string[] = [];
  const a: Args = { file: '', from: null, to: null, reason: null, causes: 10 };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i] as string;
    if (x === '--') continue;
    if (x === '--from') a.from = nonNegative('--from', argv[++i], false);
    else if (x === '--to') a.to = nonNegative('--to', argv[++i], false);
    else if (x === '--causes') a.causes = nonNegative('--causes', argv[++i], true);
    else if (x === '--reason') {
      const r = argv[++i];
      if (r === undefined) throw new UsageError('--reason needs a value');
      a.reason = r;
    } else if (x.startsWith('-') && x !== '-') throw new UsageError(`unknown option ${x}`);
    else files.push(x);
  }
  if (files.length !== 1) {
    throw new UsageError(files.length === 0 ? 'no trace given' : 'give exactly one trace');
  }
  a.file = files[0] as string;
  if ((a.from === null) !== (a.to === null)) throw new UsageError('--from and --to go together');
  if (a.from !== null && a.to !== null && !(a.to > a.from)) {
    throw new UsageError('--to must be after --from');
  }
  return a;
}

function main(argv: string[]): number {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  let args: Args;
  try {
    args = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`why: ${e.message}\n${USAGE}`);
    return 2;
  }
  const name = basename(args.file);
  const fail = (error: string): number => {
    process.stdout.write(`${JSON.stringify({ error, spikes: [] }, null, 1)}\n`);
    return 1;
  };
  try {
    if (statSync(args.file).size > MAX_FILE_BYTES)
      return fail(`${name}: file is larger than 2 GiB`);
    const outcome = decodeFile(name, new Uint8Array(readFileSync(args.file)));
    if (!outcome.ok) {
      const msg = outcome.error.message;
      return fail(msg.startsWith(`${name}:`) ? msg : `${name}: ${msg}`);
    }
    if (outcome.file.format !== 'go-trace') {
      return fail(`${name}: not a Go execution trace (a ${outcome.file.format} file)`);
    }
    const { spikes } = whyReport(outcome.file.model, {
      fromNs: args.from,
      toNs: args.to,
      reason: args.reason,
      causes: args.causes,
    });
    const error = outcome.file.partialError;
    const doc = error === null ? { spikes } : { error: `${name}: ${error}`, spikes };
    process.stdout.write(`${JSON.stringify(doc, null, 1)}\n`);
    return error === null ? 0 : 1;
  } catch (e) {
    return fail(`${name}: ${describeError(e)}`);
  }
}

// A reader that stops early (`| head`) ends the command quietly (scripts/lib/cli.ts).
quietPipes();
process.exitCode = main(process.argv.slice(2));
