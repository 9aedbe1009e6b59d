// Which Chromium the end-to-end tests and bench:ui drive: $CHROMIUM_PATH, else Debian's
// /usr/bin/chromium when it exists (what .ci/run installs; some machines cannot download
// browsers), else undefined, which makes Playwright use its own managed Chromium (installed with
// `npx playwright install chromium`, the usual step on macOS and Windows).

import { existsSync } from 'node:fs';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined;
}

/** Flags for headless runs here: no sandbox (root in CI), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
