// Offline use: after the first visit a service worker (generated at build time, see
// vite.config.ts) serves the app from its cache. A new build has a new cache name, so a version
// bump invalidates the old copy. Not registered in development or from file:// pages.

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  if (!/^https?:$/.test(window.location.protocol)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => {
      // Offline support is a convenience: the app works without it.
    });
  });
}
