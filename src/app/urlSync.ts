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

/**
 * The `?url=` part of a link to the session's files: one `url` per file fetched from a URL (the
 * example's files too, which are hosted with the app), in session order so that the view's file
 * positions still match; other query parameters of the page are kept. A URL on the page's own
 * origin under the page's directory is written relative to the page (`examples/go1.27/trace.out`)
 * so that the link survives a move of the whole site. Files from this computer cannot be named.
 */
export function linkSearch(
  files: ReadonlyArray<{ url: string | null }>,
  page: string = window.location.href,
): string {
  const here = new URL(page);
  const dir = here.pathname.slice(0, here.pathname.lastIndexOf('/') + 1);
  const p = new URLSearchParams(here.search);
  p.delete('url');
  for (const f of files) {
    if (f.url === null) continue;
    let shown = f.url;
    try {
      const u = new URL(f.url);
      if (u.origin === here.origin && u.pathname.startsWith(dir))
        shown = u.pathname.slice(dir.length) + u.search;
      else if (u.origin === here.origin) shown = u.pathname + u.search;
    } catch {
      // kept as it is
    }
    p.append('url', shown);
  }
  const q = p.toString();
  return q ? `?${q}` : '';
}

/**
 * Keeps the address bar a link to the current view: the hash follows the view, and `?url=` the
 * session's hosted files (debounced replaceState; never adds history entries).
 */
export function syncHash(store: SessionStore, delayMs = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = '';
  const unsubscribe = store.subscribe((s, prev) => {
    const same =
      s.files === prev.files &&
      s.view === prev.view &&
      s.selection === prev.selection &&
      s.selected === prev.selected &&
      s.flame === prev.flame &&
      s.lanes === prev.lanes &&
      s.offsets === prev.offsets &&
      s.search === prev.search;
    if (same) return;
    if (s.files.length === 0 && prev.files.length > 0) {
      // "Close all": the address no longer names the closed files.
      clearTimeout(timer);
      const url = new URL(window.location.href);
      url.search = linkSearch([], url.href);
      url.hash = '';
      last = url.href;
      window.history.replaceState(window.history.state, '', url);
      return;
    }
    if (s.pendingView !== null || s.files.length === 0) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const st = store.getState();
      const url = new URL(window.location.href);
      url.search = linkSearch(st.files, url.href);
      url.hash = st.viewStateString();
      if (url.href === last) return;
      last = url.href;
      window.history.replaceState(window.history.state, '', url);
    }, delayMs);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

/** A link to this view: the page with a `?url=` per hosted file of the session, and the view. */
export function shareLink(store: SessionStore, page: string = window.location.href): string {
  const url = new URL(page);
  url.search = linkSearch(store.getState().files, url.href);
  url.hash = store.getState().viewStateString();
  return url.href;
}
