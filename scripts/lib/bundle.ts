// Bundles a Node script into one plain JavaScript file with esbuild (which Vite ships), so that it
// runs as the browser's workers run: one module, constants inlined across files (V8 does not
// fold imported bindings in unbundled code), and no TypeScript loader in the process. In the
// bundle, import.meta.url and import.meta.dirname are the bundle's: paths must not depend on them.

import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Under node_modules/.cache: out of git, and out of the linter's way. */
export const BUNDLE_DIR = join(ROOT, 'node_modules/.cache/goroscope-scripts');

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
    // Modules the bundle may load at run time (esbuild itself, worker entry points).
    external: ['esbuild'],
    logLevel: 'error',
  });
  return outfile;
}
