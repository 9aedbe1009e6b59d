// Plumbing shared by the command-line tools that take files (summarize, and why/analyze when they
// land): the list of paths (arguments, or `--files-from FILE` / `--files-from -` for lists too
// long for a command line), usage errors, and output that survives a reader that stops early
// (`| head`): no stack trace on a closed pipe, ever.
//
// Why --files-from: `npm run X -- A B C` hands the whole command to `sh -c` as one string, and
// Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN): with about 4,000 paths npm exits
// with status 249 and prints nothing, before this process even starts. Nothing here can report
// that failure, so the tools warn when a command line gets close to it, and take long lists from
// a file or standard input instead (`find . -name '*.pprof' | npm run --silent summarize --
// --files-from -`).

import { readFileSync } from 'node:fs';

/** Most files one run reads (each decoded model stays in memory until the report is written). */
export const MAX_FILES = 10_000;
/** npm's limit for the whole command line (Linux MAX_ARG_STRLEN), for the warning. */
const NPM_ARGS_LIMIT = 128 << 10;

/** A usage error: printed as one line with the usage, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface PathArgs {
  /** The paths, in order: arguments first, then those read with --files-from. */
  paths: string[];
  /** Options other than --files-from (e.g. `--json`), as given. */
  options: string[];
  help: boolean;
}

/**
 * Reads the paths of a command line: plain arguments, `--files-from FILE` or
 * `--files-from=FILE` (one path per line, or NUL-separated as `find -print0` writes them;
 * `-` reads standard input). `--` ends the options. `readStdin` is for tests.
 */
export function parsePathArgs(
  argv: readonly string[],
  readList: (source: string) => string = readListSource,
): PathArgs {
  const paths: string[] = [];
  const options: string[] = [];
  let help = false;
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (onlyPaths) paths.push(a);
    else if (a === '--') onlyPaths = true;
    else if (a === '-h' || a === '--help') help = true;
    else if (a === '--files-from' || a.startsWith('--files-from=')) {
      const source = a === '--files-from' ? argv[++i] : a.slice('--files-from='.length);
      if (source === undefined || source === '')
        throw new UsageError('--files-from needs a file name, or - for standard input');
      let text: string;
      try {
        text = readList(source);
      } catch (e) {
        throw new UsageError(
          `--files-from ${source}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      paths.push(...splitList(text));
    } else if (a.startsWith('-') && a !== '-') options.push(a);
    else paths.push(a);
    if (paths.length > MAX_FILES) {
      throw new UsageError(
        `too many files: more than ${MAX_FILES} in one run; split the list and run several times`,
      );
    }
  }
  return { paths, options, help };
}

/** Paths of a list: NUL-separated when it holds a NUL, else one per line (CRLF too). */
export function splitList(text: string): string[] {
  const parts = text.includes('\0') ? text.split('\0') : text.split(/\r?\n/);
  return parts.filter((p) => p !== '');
}

function readListSource(source: string): string {
  return readFileSync(source === '-' ? 0 : source, 'utf8');
}

/**
 * A note for a command line close to what npm can pass (see above), or null: printed on stderr
 * so that the next, longer list is not a silent exit 249.
 */
export function longCommandLineNote(argv: readonly string[]): string | null {
  const bytes = argv.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0);
  if (bytes < NPM_ARGS_LIMIT / 2) return null;
  return (
    `note: ${argv.length} arguments (${Math.round(bytes / 1024)} KiB) on the command line; ` +
    `npm cannot pass more than ${NPM_ARGS_LIMIT / 1024} KiB (it then exits with status 249 and ` +
    'no message): for long lists use --files-from FILE, or --files-from - to read them from ' +
    'standard input'
  );
}

/**
 * Makes writes to a closed pipe quiet: when the reader goes away (`| head -c 10`), the tool ends
 * at once with the status it had, instead of an EPIPE stack trace.
 */
export function quietPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}

/**
 * Runs a tool's main function: quiet pipes, usage errors as one line and status 2, any other
 * failure as one line (no stack trace) and status 2. The main function returns the status.
 */
export async function runCli(
  usage: string,
  main: (argv: string[]) => number | Promise<number>,
): Promise<void> {
  quietPipes();
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(
      e instanceof UsageError ? `${message}\n${usage}\n` : `error: ${message}\n`,
    );
    process.exitCode = 2;
  }
}
