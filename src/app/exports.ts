// Exports: the flame graph's stack set as a gzip'd pprof (`go tool pprof` opens it), the timeline
// as a PNG, and the goroutine intervals in scope as CSV. The engine makes the pprof and the CSV
// (engine/flame.ts, engine/timeline.ts) from the same params the page shows; the page downloads
// them. Nothing is sent anywhere.

import type { EngineApi } from '../engine/api';
import { csvParams, flameParams } from '../store/selectors';
import type { SessionState } from '../store/session';

export function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** The flame graph's current stack set (range, goroutines, labels) as .pb.gz bytes and a file name. */
export function flameAsPprof(
  s: SessionState,
  engine: EngineApi,
): Promise<{ bytes: Uint8Array; name: string; samples: number } | null> {
  return engine.query('flamePprof', flameParams(s, s.view));
}

/** Goroutine intervals overlapping the selection (or view), for the lanes the filter keeps. */
export async function intervalsAsCsv(
  s: SessionState,
  engine: EngineApi,
): Promise<{ text: string; rows: number; cut: boolean } | null> {
  const p = csvParams(s);
  return p ? engine.query('intervalsCsv', p) : null;
}

/** The timeline as a PNG: its picture with the selection drawn over it. */
export async function timelinePng(): Promise<Blob | null> {
  const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=timeline-canvas]');
  if (!canvas) return null;
  const overlay = document.querySelector<HTMLCanvasElement>('[data-testid=timeline-overlay]');
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d');
  if (!ctx) return null;
  ctx.drawImage(canvas, 0, 0);
  if (overlay) ctx.drawImage(overlay, 0, 0);
  return new Promise((resolve) => out.toBlob((b) => resolve(b), 'image/png'));
}
