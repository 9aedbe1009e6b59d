// Where the real-file corpus lives for tests, benchmarks and scripts: the repository's own copy in
// testdata/ (copied from ../shared/corpus by `npm run corpus:sync`), or $GOROSCOPE_CORPUS.

import { join, resolve } from 'node:path';

/** The repository's root folder. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The corpus folder: $GOROSCOPE_CORPUS when set, else testdata/ in this repository. */
export const CORPUS_DIR = process.env.GOROSCOPE_CORPUS
  ? resolve(process.env.GOROSCOPE_CORPUS)
  : join(REPO_ROOT, 'testdata');

/** A path inside the corpus. */
export function corpusPath(...parts: string[]): string {
  return join(CORPUS_DIR, ...parts);
}
