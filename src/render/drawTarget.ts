// What painters draw on: the part of a canvas 2D context they use. The page passes the canvas's
// own context (no list is built between the painters and the pixels: a frame draws tens of
// thousands of rectangles); tests pass a DrawList, which records every call with the state it was
// made in, so a painter's output can be read as a list of shapes.

export type DrawTarget = Pick<
  CanvasRenderingContext2D,
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'globalAlpha'
  | 'font'
  | 'textBaseline'
  | 'save'
  | 'restore'
  | 'beginPath'
  | 'closePath'
  | 'moveTo'
  | 'lineTo'
  | 'quadraticCurveTo'
  | 'arc'
  | 'rect'
  | 'clip'
  | 'fill'
  | 'stroke'
  | 'fillRect'
  | 'clearRect'
  | 'strokeRect'
  | 'fillText'
  | 'measureText'
  | 'setLineDash'
>;

interface RectOp {
  x: number;
  y: number;
  w: number;
  h: number;
  style: string;
  alpha: number;
}
interface PathOp {
  path: Array<[number, number]>;
  style: string;
  alpha: number;
}

/** One recorded call, with the style it was drawn in. */
export type DrawOp =
  | ({ op: 'fillRect' } & RectOp)
  | ({ op: 'strokeRect' } & RectOp)
  | { op: 'fillText'; text: string; x: number; y: number; style: string; font: string }
  | ({ op: 'fill' } & PathOp)
  | ({ op: 'stroke' } & PathOp)
  | { op: 'clip'; path: Array<[number, number]> };

/**
 * A DrawTarget that records instead of drawing: every rectangle, text and filled or stroked path
 * (paths as their vertices), in order, with the fill or stroke style and alpha at the time. Text
 * measures 6 px per character, as render/dlvSpans.ts's fitText assumes.
 */
export class DrawList implements DrawTarget {
  readonly ops: DrawOp[] = [];
  fillStyle: string | CanvasGradient | CanvasPattern = '#000';
  strokeStyle: string | CanvasGradient | CanvasPattern = '#000';
  lineWidth = 1;
  globalAlpha = 1;
  font = '10px sans-serif';
  textBaseline: CanvasTextBaseline = 'alphabetic';
  private path: Array<[number, number]> = [];
  private readonly saved: Array<
    Pick<
      DrawList,
      'fillStyle' | 'strokeStyle' | 'lineWidth' | 'globalAlpha' | 'font' | 'textBaseline'
    >
  > = [];

  private get fill_(): string {
    return String(this.fillStyle);
  }

  save(): void {
    const { fillStyle, strokeStyle, lineWidth, globalAlpha, font, textBaseline } = this;
    this.saved.push({ fillStyle, strokeStyle, lineWidth, globalAlpha, font, textBaseline });
  }
  restore(): void {
    const s = this.saved.pop();
    if (s) Object.assign(this, s);
  }
  beginPath(): void {
    this.path = [];
  }
  closePath(): void {
    const first = this.path[0];
    if (first) this.path.push([first[0], first[1]]);
  }
  moveTo(x: number, y: number): void {
    this.path.push([x, y]);
  }
  lineTo(x: number, y: number): void {
    this.path.push([x, y]);
  }
  quadraticCurveTo(_cx: number, _cy: number, x: number, y: number): void {
    this.path.push([x, y]);
  }
  arc(x: number, y: number): void {
    this.path.push([x, y]);
  }
  rect(x: number, y: number, w: number, h: number): void {
    this.path.push([x, y], [x + w, y], [x + w, y + h], [x, y + h]);
  }
  clip(): void {
    this.ops.push({ op: 'clip', path: this.path.slice() });
  }
  fill(): void {
    this.ops.push({
      op: 'fill',
      path: this.path.slice(),
      style: this.fill_,
      alpha: this.globalAlpha,
    });
  }
  stroke(): void {
    this.ops.push({
      op: 'stroke',
      path: this.path.slice(),
      style: String(this.strokeStyle),
      alpha: this.globalAlpha,
    });
  }
  fillRect(x: number, y: number, w: number, h: number): void {
    this.ops.push({ op: 'fillRect', x, y, w, h, style: this.fill_, alpha: this.globalAlpha });
  }
  /** Records nothing (the overlay clears its whole canvas before drawing). */
  clearRect(): void {}
  strokeRect(x: number, y: number, w: number, h: number): void {
    this.ops.push({
      op: 'strokeRect',
      x,
      y,
      w,
      h,
      style: String(this.strokeStyle),
      alpha: this.globalAlpha,
    });
  }
  fillText(text: string, x: number, y: number): void {
    this.ops.push({ op: 'fillText', text, x, y, style: this.fill_, font: this.font });
  }
  measureText(text: string): TextMetrics {
    return { width: text.length * 6 } as TextMetrics;
  }
  setLineDash(): void {}

  /** The recorded operations of one kind. */
  of<K extends DrawOp['op']>(op: K): Array<Extract<DrawOp, { op: K }>> {
    return this.ops.filter((o): o is Extract<DrawOp, { op: K }> => o.op === op);
  }
}
