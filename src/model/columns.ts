// Growable typed-array columns, one class per element type. A single generic class (like
// base/growable.ts Column) sees every element kind at the same call sites and V8 cannot keep them
// monomorphic; on millions of pushes per trace that costs seconds. These stay fast.

/** Growable Float64Array column (amortized O(1) push, exact-length `finish`). */
export class F64Col {
  buf: Float64Array;
  length = 0;
  constructor(initial = 256) {
    this.buf = new Float64Array(initial);
  }
  push(v: number): number {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.buf[i] as number;
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  /** The filled part, as an array that owns its buffer. */
  finish(): Float64Array {
    const out = this.buf.length === this.length ? this.buf : this.buf.slice(0, this.length);
    this.buf = new Float64Array(0);
    this.length = 0;
    return out;
  }
}

/** Growable Int32Array column (amortized O(1) push, exact-length `finish`). */
export class I32Col {
  buf: Int32Array;
  length = 0;
  constructor(initial = 256) {
    this.buf = new Int32Array(initial);
  }
  push(v: number): number {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.buf[i] as number;
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  /** The filled part, as an array that owns its buffer. */
  finish(): Int32Array {
    const out = this.buf.length === this.length ? this.buf : this.buf.slice(0, this.length);
    this.buf = new Int32Array(0);
    this.length = 0;
    return out;
  }
}

/** Growable Uint32Array column (amortized O(1) push, exact-length `finish`). */
export class U32Col {
  buf: Uint32Array;
  length = 0;
  constructor(initial = 256) {
    this.buf = new Uint32Array(initial);
  }
  push(v: number): number {
    if (this.length === this.buf.length) {
      const next = new Uint32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.buf[i] as number;
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  /** The filled part, as an array that owns its buffer. */
  finish(): Uint32Array {
    const out = this.buf.length === this.length ? this.buf : this.buf.slice(0, this.length);
    this.buf = new Uint32Array(0);
    this.length = 0;
    return out;
  }
}

/** Growable Uint16Array column (amortized O(1) push, exact-length `finish`). */
export class U16Col {
  buf: Uint16Array;
  length = 0;
  constructor(initial = 256) {
    this.buf = new Uint16Array(initial);
  }
  push(v: number): number {
    if (this.length === this.buf.length) {
      const next = new Uint16Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.buf[i] as number;
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  /** The filled part, as an array that owns its buffer. */
  finish(): Uint16Array {
    const out = this.buf.length === this.length ? this.buf : this.buf.slice(0, this.length);
    this.buf = new Uint16Array(0);
    this.length = 0;
    return out;
  }
}

/** Growable Uint8Array column (amortized O(1) push, exact-length `finish`). */
export class U8Col {
  buf: Uint8Array;
  length = 0;
  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
  }
  push(v: number): number {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.buf[i] as number;
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  /** The filled part, as an array that owns its buffer. */
  finish(): Uint8Array {
    const out = this.buf.length === this.length ? this.buf : this.buf.slice(0, this.length);
    this.buf = new Uint8Array(0);
    this.length = 0;
    return out;
  }
}
