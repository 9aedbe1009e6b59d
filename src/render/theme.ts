// Colours for canvas drawing, light and dark. Function colours hash the package so frames and
// spans of one package share a hue across views.

export interface Theme {
  dark: boolean;
  /** Stop-the-world bands. */
  stw: string;
  /** The overview's veil outside the current view. */
  veil: string;
  bg: string;
  panel: string;
  text: string;
  muted: string;
  grid: string;
  axisBg: string;
  selection: string;
  selectionEdge: string;
  highlight: string;
  laneAlt: string;
}

export const LIGHT: Theme = {
  dark: false,
  stw: '#c62828',
  veil: 'rgba(255,255,255,0.55)',
  bg: '#ffffff',
  panel: '#f5f6f8',
  text: '#1b1f24',
  muted: '#6a737d',
  grid: 'rgba(27,31,36,0.10)',
  axisBg: '#eef0f3',
  selection: 'rgba(56,132,255,0.14)',
  selectionEdge: 'rgba(56,132,255,0.9)',
  highlight: '#ff9f1a',
  laneAlt: 'rgba(27,31,36,0.025)',
};

export const DARK: Theme = {
  dark: true,
  stw: '#ff6b6b',
  veil: 'rgba(0,0,0,0.35)',
  bg: '#16181d',
  panel: '#1e2128',
  text: '#e6e8eb',
  muted: '#9aa3ad',
  grid: 'rgba(230,232,235,0.10)',
  axisBg: '#20242c',
  selection: 'rgba(90,160,255,0.18)',
  selectionEdge: 'rgba(120,180,255,0.95)',
  highlight: '#ffb347',
  laneAlt: 'rgba(230,232,235,0.03)',
};

/** The package of a Go function name: `net/http.(*conn).serve` -> `net/http`. */
export function packageOf(func: string): string {
  const slash = func.lastIndexOf('/');
  const dot = func.indexOf('.', slash + 1);
  return dot < 0 ? func : func.slice(0, dot);
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A stable colour per package (hue band) and function (hue offset and lightness within it). */
export function funcColour(func: string, theme: Theme): string {
  const h = hash(func);
  // Functions of one package take one of 7 hue steps 12 degrees apart around the package hue.
  const hue = ((hash(packageOf(func)) % 360) + ((h % 7) - 3) * 12 + 360) % 360;
  const jitter = ((h >>> 8) % 14) - 7;
  return theme.dark ? `hsl(${hue} 45% ${36 + jitter}%)` : `hsl(${hue} 62% ${74 + jitter}%)`;
}

/**
 * funcColour with a memo for one paint (a flame graph draws the same functions many times):
 * made per paint call, so nothing outlives the frame.
 */
export function funcColours(theme: Theme): (func: string) => string {
  const memo = new Map<string, string>();
  return (func) => {
    let c = memo.get(func);
    if (c === undefined) {
      c = funcColour(func, theme);
      memo.set(func, c);
    }
    return c;
  };
}
