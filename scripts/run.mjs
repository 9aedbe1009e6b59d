#!/usr/bin/env node
// Runs a TypeScript script of this repository bundled into one JavaScript module (esbuild, which
// Vite ships), as the browser runs the decoders: `node scripts/run.mjs scripts/summarize.ts ARGS`.
// In a bundle the constants the decoders switch on are folded into their users; unbundled (tsx,
// Vitest, vite dev) every use of an imported constant is a load through a module binding, which
// made decoding about 1.8x slower. Bundles go to node_modules/.cache/goroscope-scripts/ and are
// rebuilt on every run (esbuild takes well under a second). scripts/lib/bundle.ts does the same
// for the benchmarks' measured child processes.

import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run.mjs SCRIPT.ts [ARGS...]\n');
  process.exit(2);
}
const dir = join(root, 'node_modules/.cache/goroscope-scripts');
mkdirSync(dir, { recursive: true });
const outfile = join(dir, `${basename(entry).replace(/\.[cm]?tsx?$/, '')}.run.mjs`);
await build({
  entryPoints: [resolve(entry)],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  packages: 'external',
  logLevel: 'error',
  plugins: [keepOwnLocation()],
});
/**
 * `import.meta.url` and `import.meta.dirname` keep meaning each source file's own location inside
 * the bundle (scripts resolve the repository and the corpus from them).
 */
function keepOwnLocation() {
  return {
    name: 'keep-own-location',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8')
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)));
        return { contents: text, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
}

// The parallel trace decoder's workers (scripts/lib/traceFile.ts) run this bundle.
const worker = join(root, 'scripts/lib/decodeWorker.ts');
const workerOut = join(dir, 'decodeWorker.mjs');
await build({
  entryPoints: [worker],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: workerOut,
  packages: 'external',
  logLevel: 'error',
  plugins: [keepOwnLocation()],
});
process.env.GOROSCOPE_DECODE_WORKER = workerOut;

// The script sees its own arguments, as it would when run directly.
process.argv = [process.argv[0], resolve(entry), ...rest];
await import(pathToFileURL(outfile).href);
