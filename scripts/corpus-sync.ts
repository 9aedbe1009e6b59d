// `npm run corpus:sync [-- SOURCE] [--dry-run]`: copies what is new or changed in the shared
// reference corpus (default ../shared/corpus beside this checkout) into testdata/, and says what
// changed. Nothing in testdata/ is deleted: files that exist only here are listed, so that a
// fixture removed upstream is a decision, not an accident. Exit 0 on success, 2 when the source
// folder does not exist.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../src/testing/corpus';
import { syncTree } from './lib/syncTree';

function main(argv: string[]): number {
  const args = argv.filter((a) => a !== '--');
  const dryRun = args.includes('--dry-run');
  const positional = args.filter((a) => !a.startsWith('--'));
  if (args.includes('-h') || args.includes('--help') || positional.length > 1) {
    process.stderr.write('usage: npm run corpus:sync [-- SOURCE_DIR] [--dry-run]\n');
    return args.includes('-h') || args.includes('--help') ? 0 : 2;
  }
  const source = resolve(positional[0] ?? join(REPO_ROOT, '../shared/corpus'));
  const target = join(REPO_ROOT, 'testdata');
  if (!existsSync(source)) {
    process.stderr.write(`corpus:sync: no corpus at ${source} (give its folder as an argument)\n`);
    return 2;
  }
  const r = syncTree(source, target, { dryRun });
  const verb = dryRun ? 'would copy' : 'copied';
  for (const f of r.added) process.stdout.write(`added    ${f}\n`);
  for (const f of r.updated) process.stdout.write(`updated  ${f}\n`);
  for (const f of r.onlyInTarget) process.stdout.write(`only in testdata/ (kept): ${f}\n`);
  process.stdout.write(
    `${source} -> testdata/: ${verb} ${r.added.length} new and ${r.updated.length} changed ` +
      `file(s); ${r.unchanged} unchanged; ${r.onlyInTarget.length} only in testdata/\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
