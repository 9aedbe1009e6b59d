// Open user regions per goroutine of a v1 trace, for validation (the innermost must match an
// end) and for the builder rows the ends close.

export class RegionStacks {
  private readonly head: Int32Array;
  private next = new Int32Array(1024);
  task = new Float64Array(1024);
  name = new Float64Array(1024);
  private row = new Int32Array(1024);
  private used = 0;
  private free = -1;

  constructor(goroutines: number) {
    this.head = new Int32Array(goroutines).fill(-1);
  }

  /** The node on top of goroutine `g`'s stack, or -1. */
  top(g: number): number {
    return this.head[g] as number;
  }

  push(g: number, task: number, name: number, row: number): void {
    let k = this.free;
    if (k >= 0) this.free = this.next[k] as number;
    else {
      k = this.used++;
      if (k === this.next.length) this.grow();
    }
    this.next[k] = this.head[g] as number;
    this.task[k] = task;
    this.name[k] = name;
    this.row[k] = row;
    this.head[g] = k;
  }

  /** Pops goroutine `g`'s innermost region; its builder row, or -1 when it has none open. */
  pop(g: number): number {
    const k = this.head[g] as number;
    if (k < 0) return -1;
    this.head[g] = this.next[k] as number;
    this.next[k] = this.free;
    this.free = k;
    return this.row[k] as number;
  }

  clear(g: number): void {
    while ((this.head[g] as number) >= 0) this.pop(g);
  }

  private grow(): void {
    const n = this.next.length * 2;
    const next = new Int32Array(n);
    next.set(this.next);
    this.next = next;
    const task = new Float64Array(n);
    task.set(this.task);
    this.task = task;
    const name = new Float64Array(n);
    name.set(this.name);
    this.name = name;
    const row = new Int32Array(n);
    row.set(this.row);
    this.row = row;
  }
}
