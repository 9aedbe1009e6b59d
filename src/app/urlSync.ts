// Links: `?url=` (repeatable) opens hosted files; the hash carries the view state and is kept up
// to date (replaceState, debounced) as the user works, so the address bar is always a link to
// the current view.

import type { SessionStore } from '../store/session';

/** The file name a URL points at (its last path segment), for display and sniffing hints. */
export function nameFromUrl(url: string, base: string = window.location.href): string {
  try {
    const u = new URL(url, base);
    const last = u.pathname.split('/').filter(Boolean).pop();
    return last ? safeDecode(last) : u.hostname || 'download';
  } catch {
    return 'download';
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a stray '%' is kept as it is
  }
}

/** How many `?url=` files one link may open; the rest are listed as left out. */
export const MAX_LINK_URLS = 100;
/** A URL longer than this is not a file anyone hosts: refused. */
const MAX_URL_LENGTH = 8192;

/** One `?url=` of a link: a file to fetch, or why it is not fetched (shown in the file list). */
export type LinkFile = { name: string; url: string } | { name: string; error: string };

/**
 * The files a link's `?url=` parameters name, each parsed on its own against `base` (the page's
 * address): one malformed URL (`http://[::1`) gets a message and the others still open.
 * Only http and https are fetched: `javascript:`, `data:`, `file:`, `blob:` and other schemes
 * are refused with the reason, never fetched and never answered with CORS advice.
 */
export function linkFiles(search: string, base: string): LinkFile[] {
  const raws = new URLSearchParams(search).getAll('url').filter((u) => u.trim() !== '');
  const out: LinkFile[] = raws.slice(0, MAX_LINK_URLS).map((raw) => linkFile(raw.trim(), base));
  if (raws.length > MAX_LINK_URLS) {
    out.push({
      name: `${raws.length - MAX_LINK_URLS} more links`,
      error: `this link names ${raws.length} files; at most ${MAX_LINK_URLS} are opened from one link, the rest were left out`,
    });
  }
  return out;
}

function linkFile(raw: string, base: string): LinkFile {
  const shown = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
  if (raw.length > MAX_URL_LENGTH) {
    return {
      name: shown,
      error: `this URL is ${raw.length} characters long; at most ${MAX_URL_LENGTH} are accepted`,
    };
  }
  let u: URL;
  try {
    u = new URL(raw, base);
  } catch {
    return {
      name: shown,
      error: `${JSON.stringify(shown)} is not a valid URL, so it was not opened`,
    };
  }
  const scheme = u.protocol;
  if (scheme !== 'http:' && scheme !== 'https:') {
    const why =
      scheme === 'file:'
        ? 'a file: URL names a file on your own disk, which a web page may not read: drop the file on the page instead'
        : scheme === 'javascript:' || scheme === 'data:' || scheme === 'blob:'
          ? `a ${scheme} URL is not a hosted file, and links never run or embed content`
          : `only http: and https: URLs are fetched`;
    return { name: shown, error: `${JSON.stringify(shown)} was not opened: ${why}` };
  }
  if (u.username || u.password) {
    return {
      name: nameFromUrl(u.href, base),
      error: `${JSON.stringify(shown)} was not opened: URLs with a user name or password are refused (the browser would not send them; host the file where it can be fetched without them)`,
    };
  }
  return { name: nameFromUrl(u.href, base), url: u.href };
}

/** Opens the files of `?url=` parameters and restores the hash's view once they have loaded. */
export function openFromLocation(
  store: SessionStore,
  location: Location = window.location,
): boolean {
  const files = linkFiles(location.search, location.href);
  if (files.length === 0) return false;
  store.getState().addFiles(files);
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
      s.offsets === prev.offsets &&
      s.search === prev.search;
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
