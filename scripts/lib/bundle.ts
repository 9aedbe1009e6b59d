// Bundles a Node script into one plain JavaScript file with esbuild (which Vite ships), for the
// benchmarks' measured child processes: one module, constants folded into their users as in the
// browser's bundle (see scripts/run.mjs, which runs the npm scripts the same way), and no
// TypeScript loader in the measured process.

import { mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Under node_modules/.cache: out of git, and out of the linter's way. */
export const BUNDLE_DIR = join(ROOT, 'node_modules/.cache/goroscope-scripts');

/** `import.meta.url` and `.dirname` keep meaning each source file's own location in the bundle. */
const keepOwnLocation: Plugin = {
  name: 'keep-own-location',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8')
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path))),
      loader: args.path.endsWith('x') ? 'tsx' : 'ts',
    }));
  },
};

/** Bundles `entry` (a .ts file) and returns the path of the bundle. */
export async function bundleScript(entry: string): Promise<string> {
  const esbuild = await import('esbuild');
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const outfile = join(BUNDLE_DIR, `${basename(entry).replace(/\.[cm]?tsx?$/, '')}.mjs`);
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    packages: 'external',
    logLevel: 'error',
    plugins: [keepOwnLocation],
  });
  return outfile;
}
