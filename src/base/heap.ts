// A binary min-heap over an array: Go's container/heap, the same sift order (the MMU's worst
// windows rely on Go's order among equal keys: analysis/mmu.ts).

/** Go's container/heap over an array with a strict "less". */
export class Heap<T> {
  constructor(
    readonly items: T[],
    private readonly less: (a: T, b: T) => boolean,
  ) {}
  get length(): number {
    return this.items.length;
  }
  private lessAt(i: number, j: number): boolean {
    return this.less(this.items[i] as T, this.items[j] as T);
  }
  private swap(i: number, j: number): void {
    const x = this.items[i] as T;
    this.items[i] = this.items[j] as T;
    this.items[j] = x;
  }
  private up(j: number): void {
    for (;;) {
      const i = ((j - 1) / 2) | 0;
      if (i === j || !this.lessAt(j, i)) break;
      this.swap(i, j);
      j = i;
    }
  }
  private down(i0: number, n: number): boolean {
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && this.lessAt(j2, j1)) j = j2;
      if (!this.lessAt(j, i)) break;
      this.swap(i, j);
      i = j;
    }
    return i > i0;
  }
  init(): void {
    const n = this.items.length;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.down(i, n);
  }
  push(x: T): void {
    this.items.push(x);
    this.up(this.items.length - 1);
  }
  pop(): T {
    const n = this.items.length - 1;
    this.swap(0, n);
    this.down(0, n);
    return this.items.pop() as T;
  }
  remove(i: number): T {
    const n = this.items.length - 1;
    if (n !== i) {
      this.swap(i, n);
      if (!this.down(i, n)) this.up(i);
    }
    return this.items.pop() as T;
  }
}
