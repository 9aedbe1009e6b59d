// Small hooks for views: timing, and layout preferences kept across reloads.

import { useCallback, useEffect, useRef, useState } from 'react';

/** `value` once it has stayed the same for `ms` (e.g. the view, after panning pauses). */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/**
 * `value`, passed on at most once every `ms`: the first change at once, later ones at the end of
 * the interval (so the last value always arrives).
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - performance.now();
    const t = setTimeout(
      () => {
        last.current = performance.now();
        setShown(value);
      },
      Math.max(0, wait),
    );
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}

/**
 * A layout preference kept in localStorage (panel sizes, collapsed panels): `useState` that
 * survives a reload. A stored value of another type, or storage that throws (private mode, a
 * full quota), falls back to `initial`; values are small JSON numbers and booleans.
 */
export function usePersisted<T extends number | boolean>(
  key: string,
  initial: T,
  valid: (v: T) => boolean = () => true,
): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => readPref(key, initial, valid));
  const set = useCallback(
    (v: T) => {
      setValue(v);
      writePref(key, v);
    },
    [key],
  );
  return [value, set];
}

export function readPref<T extends number | boolean>(
  key: string,
  initial: T,
  valid: (v: T) => boolean = () => true,
): T {
  try {
    const raw = localStorage.getItem(`goroscope.${key}`);
    if (raw === null) return initial;
    const v = JSON.parse(raw) as unknown;
    return typeof v === typeof initial &&
      (typeof v !== 'number' || Number.isFinite(v)) &&
      valid(v as T)
      ? (v as T)
      : initial;
  } catch {
    return initial;
  }
}

export function writePref(key: string, v: number | boolean): void {
  try {
    localStorage.setItem(`goroscope.${key}`, JSON.stringify(v));
  } catch {
    // Not remembered: the page works the same.
  }
}
