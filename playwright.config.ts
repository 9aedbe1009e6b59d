import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './scripts/lib/chromium';

// End-to-end tests run Chromium (see scripts/lib/chromium.ts for which one) against the
// production build served by `vite preview`.
const PORT = Number(process.env.E2E_PORT ?? 4173);
export const STATIC_PORT = PORT + 1;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1400, height: 860 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
    },
  },
  webServer: [
    {
      command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      // dist/ from a sub-path, plus the corpus from the same origin, a CORS origin and a non-CORS one.
      command: `npx tsx e2e/static-server.ts ${STATIC_PORT} ${STATIC_PORT + 1} ${STATIC_PORT + 2}`,
      url: `http://127.0.0.1:${STATIC_PORT}/deep/sub/path/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
