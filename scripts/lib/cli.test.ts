import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from '../../src/testing/corpus';
import { longCommandLineNote, MAX_FILES, parsePathArgs, splitList, UsageError } from './cli';

const lists: Record<string, string> = {
  'list.txt': 'a.pprof\r\nb dir/c.log\n\n',
  '-': 'x\0y z\0',
};
const read = (source: string) => {
  const t = lists[source];
  if (t === undefined) throw new Error('ENOENT: no such file');
  return t;
};

describe('command-line paths', () => {
  it('takes arguments, --files-from FILE, --files-from=- and --', () => {
    expect(
      parsePathArgs(
        ['p1', '--files-from', 'list.txt', '--files-from=-', '--', '--odd', '-h'],
        read,
      ),
    ).toEqual({
      paths: ['p1', 'a.pprof', 'b dir/c.log', 'x', 'y z', '--odd', '-h'],
      options: [],
      help: false,
    });
    expect(parsePathArgs(['-h', '--json', '-'], read)).toEqual({
      paths: ['-'],
      options: ['--json'],
      help: true,
    });
  });

  it('says what is wrong with --files-from and with too long a list', () => {
    expect(() => parsePathArgs(['--files-from'], read)).toThrow(
      new UsageError('--files-from needs a file name, or - for standard input'),
    );
    expect(() => parsePathArgs(['--files-from', 'nope'], read)).toThrow(
      '--files-from nope: ENOENT: no such file',
    );
    const many = Array.from({ length: MAX_FILES + 1 }, (_, i) => `f${i}`).join('\n');
    expect(() => parsePathArgs(['--files-from', 'big'], () => many)).toThrow(
      `too many files: more than ${MAX_FILES} in one run; split the list and run several times`,
    );
  });

  it('splits lists by line or by NUL', () => {
    expect(splitList('a\nb\r\n')).toEqual(['a', 'b']);
    expect(splitList('a\nb\0c')).toEqual(['a\nb', 'c']);
  });

  it('warns before a command line reaches what npm can pass', () => {
    expect(longCommandLineNote(['a', 'b'])).toBeNull();
    const paths = Array.from({ length: 3000 }, () => 'testdata/combined/go1.27/cpu.pprof');
    expect(longCommandLineNote(paths)).toMatch(
      /^note: 3000 arguments \(103 KiB\) on the command line; npm cannot pass more than 128 KiB .* use --files-from FILE/,
    );
  });
});

/** Runs summarize with the given stdin; resolves with status, stdout (up to `keep` bytes), stderr. */
function summarize(args: string[], stdin: string, keep = Infinity) {
  return new Promise<{ status: number | null; out: string; err: string }>((resolve) => {
    const p = spawn('npx', ['tsx', 'scripts/summarize.ts', ...args], { stdio: 'pipe' });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // A reader that stops early, like `| head -c 10`.
      if (out.length >= keep) p.stdout.destroy();
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (status) => resolve({ status, out, err }));
    p.stdin.end(stdin);
  });
}

describe('npm run summarize', () => {
  const cpu = join(CORPUS_DIR, 'combined/go1.27/cpu.pprof');
  it('reads the list from standard input', async () => {
    const r = await summarize(['--files-from', '-'], `${cpu}\n${cpu}\n`);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out).files).toHaveLength(2);
  });
  it('ends quietly when the reader closes the pipe', async () => {
    const r = await summarize(['--files-from', '-'], `${cpu}\n`.repeat(300), 10);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
  });
  it('prints a usage error without a stack trace', async () => {
    const r = await summarize(['--nope'], '');
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^unknown option --nope\nusage: /);
  });
});
