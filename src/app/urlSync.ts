// Links: `?url=` (repeatable) opens hosted files; the hash carries the view state and is kept up
// to date (replaceState, debounced) as the user works, so the address bar is always a link to
// the current view.

import type { SessionStore } from '../store/session';

/** The file name a URL points at (its last path segment), for display and sniffing hints. */
export function nameFromUrl(url: string): string {
  try {
    const u = new URL(url, window.location.href);
    const last = u.pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : u.hostname || 'download';
  } catch {
    return 'download';
  }
}

/** Opens the files of `?url=` parameters and restores the hash's view once they have loaded. */
export function openFromLocation(
  store: SessionStore,
  location: Location = window.location,
): boolean {
  const urls = new URLSearchParams(location.search).getAll('url').filter((u) => u.trim() !== '');
  if (urls.length === 0) return false;
  store.getState().addFiles(
    urls.map((u) => {
      const abs = new URL(u, location.href).href;
      return { name: nameFromUrl(abs), url: abs };
    }),
  );
  if (location.hash.length > 1) store.getState().restoreView(location.hash.slice(1));
  return true;
}

/** Keeps the hash in step with the view (debounced replaceState; never adds history entries). */
export function syncHash(store: SessionStore, delayMs = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = '';
  const unsubscribe = store.subscribe((s, prev) => {
    const same =
      s.view === prev.view &&
      s.selection === prev.selection &&
      s.selected === prev.selected &&
      s.flame === prev.flame &&
      s.lanes === prev.lanes &&
      s.offsets === prev.offsets;
    if (same) return;
    if (s.pendingView !== null || s.files.length === 0) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const hash = store.getState().viewStateString();
      if (hash === last) return;
      last = hash;
      const url = new URL(window.location.href);
      url.hash = hash;
      window.history.replaceState(window.history.state, '', url);
    }, delayMs);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

/** A link to this view: the current URL (with `?url=` files) and the current hash. */
export function shareLink(store: SessionStore): string {
  const url = new URL(window.location.href);
  url.hash = store.getState().viewStateString();
  return url.href;
}
