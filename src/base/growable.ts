// Growable typed-array columns for builders: amortized O(1) push, one final trim.

type TypedArrayCtor<T> = { new (n: number): T };
type AnyTyped = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array | Int8Array;

export class Column<T extends AnyTyped> {
  private buf: T;
  length = 0;
  constructor(
    private readonly ctor: TypedArrayCtor<T>,
    initial = 1024,
  ) {
    this.buf = new ctor(initial);
  }
  push(v: number): number {
    if (this.length === this.buf.length) this.grow();
    this.buf[this.length] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.buf[i] as number;
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  private grow(): void {
    const next = new this.ctor(Math.max(16, this.buf.length * 2));
    (next as unknown as { set(a: T): void }).set(this.buf);
    this.buf = next;
  }
  /** The filled part as an exact-length array (a copy, so the result owns its buffer). */
  finish(): T {
    return this.buf.slice(0, this.length) as T;
  }
}

/** Interns strings: each distinct string gets one index. */
export class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  intern(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}
