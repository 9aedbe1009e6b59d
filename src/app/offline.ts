// Offline use: after the first visit a service worker (generated at build time, see
// vite.config.ts) serves the app from its cache. A new build has a new cache name, so a version
// bump invalidates the old copy. Not registered in development or from file:// pages.

/**
 * How long the page must have gone without reading a file before the service worker is
 * registered. Its install fetches every file of the build, and Chromium compiles the scripts it
 * caches (0.4-0.6 s of one core in a Chrome trace of the page here). Begun at the load event, that
 * ran beside the decode of a file dropped at once, on a machine of two cores.
 */
export const QUIET_MS = 2000;

/**
 * Calls `then` once `busy()` has stayed false for `ms`; `onChange(f)` calls f whenever busy() may
 * have changed and returns how to stop.
 */
export function afterQuiet(
  busy: () => boolean,
  onChange: (f: () => void) => () => void,
  ms: number,
  then: () => void,
): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let done = false;
  let stop = (): void => {};
  const check = (): void => {
    if (done) return;
    if (busy()) {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    } else if (timer === null) {
      timer = setTimeout(() => {
        done = true;
        stop();
        then();
      }, ms);
    }
  };
  stop = onChange(check);
  check();
}

/** Registers the service worker after the load event, once no file has been read for QUIET_MS. */
export function registerServiceWorker(
  busy: () => boolean,
  onChange: (f: () => void) => () => void,
): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  if (!/^https?:$/.test(window.location.protocol)) return;
  window.addEventListener('load', () => {
    afterQuiet(busy, onChange, QUIET_MS, () => {
      navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => {
        // Offline support is a convenience: the app works without it.
      });
    });
  });
}
